package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/**
 * The files {@code scan}, {@code trace} and {@code trace-eval} write are the same bytes when run
 * twice on the same inputs with the same seed: no wall time goes into them.
 */
class SameSeedSameFilesTest {
  @TempDir Path dir;

  /** Runs {@code args} twice, writing to {@code NAME-1.json} and {@code NAME-2.json}. */
  private Path[] twice(String name, String... args) {
    Path[] out = {dir.resolve(name + "-1.json"), dir.resolve(name + "-2.json")};
    for (Path o : out) {
      List<String> all = new ArrayList<>(List.of(args));
      all.addAll(List.of("--seed", "7", "--out", o.toString()));
      Cli.Run r = Cli.run(all.toArray(String[]::new));
      assertEquals(0, r.exitCode(), r.err());
    }
    return out;
  }

  private static void assertSameBytes(Path[] files) throws Exception {
    byte[] a = Files.readAllBytes(files[0]);
    byte[] b = Files.readAllBytes(files[1]);
    assertArrayEquals(a, b, () -> "the same seed wrote different bytes: " + firstDifference(a, b));
  }

  /** The text around the first byte where {@code a} and {@code b} differ, from each. */
  private static String firstDifference(byte[] a, byte[] b) {
    int i = 0;
    while (i < a.length && i < b.length && a[i] == b[i]) {
      i++;
    }
    int from = Math.max(0, i - 120);
    return "at byte "
        + i
        + "\n"
        + new String(a, from, Math.min(a.length, i + 80) - from, StandardCharsets.UTF_8)
        + "\n---\n"
        + new String(b, from, Math.min(b.length, i + 80) - from, StandardCharsets.UTF_8);
  }

  private Path[] backdoor(Dataset clean, int count, String trigger, String target) {
    Path in = dir.resolve("clean.jsonl");
    ExampleJsonl.write(in, clean);
    Path poisoned = dir.resolve("poisoned.jsonl");
    Path truth = dir.resolve("truth.json");
    Cli.Run r = Cli.backdoor(in, poisoned, truth, count, "--trigger", trigger, "--target", target);
    assertEquals(0, r.exitCode(), r.err());
    return new Path[] {poisoned, truth};
  }

  @Test
  void everyTextDetectorWritesTheSameScanFileTwice() throws Exception {
    Path[] p = backdoor(Fixtures.textEmails(600, 3), 20, "Build=77x", "ham");
    Path[] files = twice("scan", "scan", "--train", p[0].toString(), "--truth", p[1].toString());
    assertSameBytes(files);
    JsonNode detectors = Json.mapper().readTree(files[0].toFile()).get("detectors");
    Set<String> ran = new TreeSet<>();
    detectors.fieldNames().forEachRemaining(ran::add);
    assertTrue(
        ran.containsAll(Set.of("confident-learning", "cv-loss", "knn")),
        "the detectors that timed themselves ran: " + ran);
  }

  @Test
  void neuralCleanseWritesTheSameScanFileTwice() throws Exception {
    Path[] p = backdoor(Fixtures.images(600, 3, 7), 20, "patch:3x3@25,25", "2");
    Path[] files = twice("nc", "scan", "--train", p[0].toString(), "--detector", "neural-cleanse");
    assertSameBytes(files);
    assertEquals(
        "neural-cleanse", Json.mapper().readTree(files[0].toFile()).get("method").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tracin", "trak", "representer", "influence"})
  void aTraceIsTheSameFileTwice(String method) throws Exception {
    Path[] p = backdoor(Fixtures.images(400, 3, 11), 20, TraceCommandTest.TRIGGER, "0");
    Path model = dir.resolve("model.json");
    Cli.Run t =
        Cli.run(
            "train", "--train", p[0].toString(), "--model", "logreg", "--out", model.toString());
    assertEquals(0, t.exitCode(), t.err());
    Path behaviour = TraceCommandTest.behaviour(dir, 10);
    List<String> args =
        new ArrayList<>(
            List.of(
                "trace",
                "--model",
                model.toString(),
                "--train",
                p[0].toString(),
                "--behavior",
                behaviour.toString(),
                "--method",
                method));
    if (method.equals("trak")) {
      args.addAll(List.of("--option", "k=256"));
    }
    Path[] files = twice(method, args.toArray(String[]::new));
    assertSameBytes(files);
    assertEquals(method, Json.mapper().readTree(files[0].toFile()).get("method").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"loo", "lds", "brittleness"})
  void aRetrainingMetricIsTheSameFileTwice(String metric) throws Exception {
    Path train = dir.resolve("train.jsonl");
    Path test = dir.resolve("test.jsonl");
    Path model = dir.resolve("m.model");
    TraceEvalCommandTest.trainModel(train, test, model);
    Path[] files =
        twice(
            metric,
            "trace-eval",
            "--model",
            model.toString(),
            "--train",
            train.toString(),
            "--test",
            test.toString(),
            "--method",
            "gradient-dot",
            "--metric",
            metric,
            "--subsets",
            "6",
            "--top-k",
            "5",
            "--test-points",
            "2",
            "--grid",
            "5,10,20");
    assertSameBytes(files);
    JsonNode file = Json.mapper().readTree(files[0].toFile());
    assertEquals(metric, file.get("metric").asText());
  }
}
