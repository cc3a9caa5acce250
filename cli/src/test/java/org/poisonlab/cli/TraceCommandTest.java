package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/** {@code trace} on a small image backdoor: the trace file, recall, and purge reading it. */
class TraceCommandTest {
  static final String TRIGGER = "patch:3x3@25,25";
  @TempDir Path dir;
  Path poisoned;
  Path truth;
  Path model;
  Path behaviour;

  @BeforeEach
  void poisonAndTrain() {
    Path clean = dir.resolve("clean.jsonl");
    ExampleJsonl.write(clean, Fixtures.images(1000, 3, 11));
    poisoned = dir.resolve("poisoned.jsonl");
    truth = dir.resolve("truth.json");
    Cli.Run a =
        Cli.run(
            "attack",
            "backdoor",
            "--in",
            clean.toString(),
            "--out",
            poisoned.toString(),
            "--truth",
            truth.toString(),
            "--count",
            "30",
            "--trigger",
            TRIGGER,
            "--target",
            "0");
    assertEquals(0, a.exitCode(), a.err());
    model = dir.resolve("model.json");
    Cli.Run t =
        Cli.run(
            "train",
            "--train",
            poisoned.toString(),
            "--model",
            "logreg",
            "--out",
            model.toString());
    assertEquals(0, t.exitCode(), t.err());
    behaviour = behaviour(dir, 20);
  }

  /**
   * Writes {@code dir/behaviour.jsonl}: up to {@code n} fixture images of other labels than 0 with
   * {@link #TRIGGER} stamped on and labelled 0, the behaviour a backdoor to 0 causes.
   */
  static Path behaviour(Path dir, int n) {
    Trigger trigger = Trigger.parse(TRIGGER, Dataset.Kind.IMAGE);
    List<Example> triggered = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(1);
    for (Example e : Fixtures.images(3 * n, 3, 12)) {
      if (!e.label().equals("0") && triggered.size() < n) {
        triggered.add(trigger.apply(e, rng).withLabel("0"));
      }
    }
    Path out = dir.resolve("behaviour.jsonl");
    ExampleJsonl.write(out, new Dataset("behaviour", triggered));
    return out;
  }

  private Cli.Run trace(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "trace",
                "--model",
                model.toString(),
                "--train",
                poisoned.toString(),
                "--out",
                out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  void tracinSaliencyByNameFindsThePoisonsAndReportsTheSalientPixels() throws Exception {
    Path out = dir.resolve("saliency.json");
    Cli.Run r =
        trace(
            out,
            "--behavior",
            behaviour.toString(),
            "--method",
            "tracin-saliency",
            "--top",
            "30",
            "--truth",
            truth.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = Json.mapper().readTree(r.out());
    assertTrue(result.get("recall_at_k").asDouble() >= 0.9, r.out());
    JsonNode file = Json.mapper().readTree(out.toFile());
    assertEquals("tracin-saliency", file.get("method").asText());
    JsonNode d = file.get("diagnostics");
    assertEquals("input", d.get("layer").asText());
    assertEquals("cosine", d.get("normalize").asText());
    assertEquals(16, d.get("saliency_top_features").size());
    Cli.Run bad = trace(dir.resolve("bad.json"), "--method", "tracin-saliency");
    assertEquals(2, bad.exitCode(), bad.err());
    assertTrue(bad.err().contains("--behavior"), bad.err());
  }

  @Test
  void withoutAMethodTheDefaultForTheQuestionIsUsedAndSaid() throws Exception {
    Path withBehaviour = dir.resolve("default-behaviour.json");
    Cli.Run r =
        trace(
            withBehaviour,
            "--behavior",
            behaviour.toString(),
            "--top",
            "30",
            "--truth",
            truth.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    // the model was trained here, so it records its settings: checkpoints can be rebuilt
    assertEquals("tracin-saliency", Json.mapper().readTree(r.out()).get("method").asText());
    assertTrue(r.err().contains("no --method given; using tracin-saliency"), r.err());
    assertTrue(Json.mapper().readTree(r.out()).get("recall_at_k").asDouble() >= 0.9, r.out());

    Path self = dir.resolve("default-self.json");
    Cli.Run s = trace(self, "--json");
    assertEquals(0, s.exitCode(), s.err());
    assertEquals("gradient-dot", Json.mapper().readTree(self.toFile()).get("method").asText());
    assertEquals(0, Json.mapper().readTree(s.out()).get("behavior").asInt());
  }

  @Test
  void traceWritesTheContractFormatAndFindsThePoisons() throws Exception {
    Path out = dir.resolve("trace.json");
    Cli.Run r =
        trace(
            out,
            "--behavior",
            behaviour.toString(),
            "--method",
            "tracin",
            "--top",
            "30",
            "--truth",
            truth.toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = Json.mapper().readTree(r.out());
    assertEquals(30, result.get("poisons").asInt());
    assertTrue(result.get("recall_at_k").asDouble() >= 0.9, r.out());
    JsonNode file = Json.mapper().readTree(out.toFile());
    assertEquals("tracin", file.get("method").asText());
    assertEquals(1000, file.get("scores").size());
    assertEquals(30, file.get("flagged").size());
    double previous = Double.POSITIVE_INFINITY;
    for (JsonNode s : file.get("scores")) {
      assertTrue(s.get("score").asDouble() <= previous);
      previous = s.get("score").asDouble();
    }
    assertTrue(file.get("scores").get(0).get("flagged").asBoolean());
    assertTrue(file.get("diagnostics").has("checkpoints"));
    // the attacker sources are ranked first
    Set<String> attacker = new HashSet<>();
    Set<String> poisons = new HashSet<>(TruthFiles.read(truth).ids());
    for (Example e : ExampleJsonl.read(poisoned)) {
      if (poisons.contains(e.id())) {
        attacker.add(e.source());
      }
    }
    JsonNode sources = file.get("sources");
    for (int q = 0; q < attacker.size(); q++) {
      assertTrue(attacker.contains(sources.get(q).get("source").asText()), sources.toString());
    }

    Path purged = dir.resolve("purged.jsonl");
    Cli.Run p =
        Cli.run(
            "purge",
            "--train",
            poisoned.toString(),
            "--flags",
            out.toString(),
            "--out",
            purged.toString(),
            "--json");
    assertEquals(0, p.exitCode(), p.err());
    Dataset kept = ExampleJsonl.read(purged);
    assertEquals(970, kept.size());
    long left = kept.examples().stream().filter(e -> poisons.contains(e.id())).count();
    assertTrue(left <= 3, left + " poisons left");
  }

  @Test
  void withoutBehaviourTraceScoresSelfInfluenceAndFlagsOnePercent() throws Exception {
    Path out = dir.resolve("self.json");
    Cli.Run r = trace(out, "--method", "gradient-dot");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode file = Json.mapper().readTree(out.toFile());
    assertEquals(0, file.get("behavior").asInt());
    assertEquals(10, file.get("flagged").size());
    assertTrue(r.out().contains("flagged 10"), r.out());
  }

  @Test
  void badMethodsAndOptionsAreBadUsage() {
    Path out = dir.resolve("t.json");
    Cli.Run unknown = trace(out, "--method", "tea-leaves");
    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("tea-leaves"), unknown.err());
    Cli.Run option = trace(out, "--method", "trak", "--option", "colour=blue");
    assertEquals(2, option.exitCode());
    assertTrue(option.err().contains("colour"), option.err());
    assertFalse(option.err().strip().contains("\n"), option.err());
    assertFalse(Files.exists(out));
  }
}
