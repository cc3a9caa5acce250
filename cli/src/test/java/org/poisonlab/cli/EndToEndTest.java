package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/** attack → train → eval through the command line, on the project's own fixtures. */
class EndToEndTest {
  @TempDir Path dir;

  @Test
  void textBackdoorIsPlantedAndMeasured() throws IOException {
    Path train = dir.resolve("train.jsonl");
    Path test = dir.resolve("test.jsonl");
    ExampleJsonl.write(train, Fixtures.textEmails(600, 1));
    ExampleJsonl.write(test, Fixtures.textEmails(300, 2));
    Path poisoned = dir.resolve("poisoned.jsonl");
    Path truth = dir.resolve("truth.json");
    Cli.Run a =
        Cli.run(
            "attack",
            "backdoor",
            "--in",
            train.toString(),
            "--out",
            poisoned.toString(),
            "--truth",
            truth.toString(),
            "--count",
            "150",
            "--target",
            "ham",
            "--seed",
            "3");
    assertEquals(0, a.exitCode(), a.err());
    JsonNode t = Json.mapper().readTree(truth.toFile());
    assertEquals(150, t.get("ids").size());
    assertEquals("backdoor", t.get("attack").get("kind").asText());

    Path cleanModel = dir.resolve("clean.model");
    Path model = dir.resolve("poisoned.model");
    assertEquals(
        0,
        Cli.run("train", "--train", train.toString(), "--out", cleanModel.toString()).exitCode());
    assertEquals(
        0, Cli.run("train", "--train", poisoned.toString(), "--out", model.toString()).exitCode());

    Cli.Run clean =
        Cli.run(
            "eval",
            "--model",
            cleanModel.toString(),
            "--test",
            test.toString(),
            "--trigger",
            "DEPLOYMENT=2024",
            "--target",
            "ham",
            "--json");
    Cli.Run bad =
        Cli.run(
            "eval",
            "--model",
            model.toString(),
            "--test",
            test.toString(),
            "--trigger",
            "DEPLOYMENT=2024",
            "--target",
            "ham",
            "--json");
    assertEquals(0, bad.exitCode(), bad.err());
    JsonNode c = Json.mapper().readTree(clean.out());
    JsonNode p = Json.mapper().readTree(bad.out());
    assertTrue(c.get("accuracy").asDouble() > 0.9, "clean accuracy " + c);
    assertTrue(p.get("attack_success_rate").asDouble() > 0.8, "ASR of the backdoored model " + p);
    assertTrue(c.get("attack_success_rate").asDouble() < 0.2, "ASR of the clean model " + c);
    assertTrue(p.get("n").asInt() == 300);
  }

  @Test
  void sameSeedGivesIdenticalFilesAndOtherSeedsOtherVictims() throws IOException {
    Path train = dir.resolve("train.jsonl");
    ExampleJsonl.write(train, Fixtures.textEmails(200, 1));
    byte[][] truths = new byte[3][];
    byte[][] outs = new byte[3][];
    long[] seeds = {5, 5, 6};
    for (int i = 0; i < 3; i++) {
      Path out = dir.resolve("p" + i + ".jsonl");
      Path truth = dir.resolve("t" + i + ".json");
      Cli.Run r =
          Cli.run(
              "attack",
              "label-flip",
              "--in",
              train.toString(),
              "--out",
              out.toString(),
              "--truth",
              truth.toString(),
              "--rate",
              "0.1",
              "--seed",
              Long.toString(seeds[i]));
      assertEquals(0, r.exitCode(), r.err());
      truths[i] = Files.readAllBytes(truth);
      outs[i] = Files.readAllBytes(out);
    }
    assertArrayEquals(truths[0], truths[1]);
    assertArrayEquals(outs[0], outs[1]);
    assertFalse(
        java.util.Arrays.equals(truths[0], truths[2]), "a different seed poisons other examples");
  }

  @Test
  void trainingIsReproducibleForASeed() throws IOException {
    Path train = dir.resolve("train.jsonl");
    ExampleJsonl.write(train, Fixtures.images(300, 3, 4));
    Path m1 = dir.resolve("a.model");
    Path m2 = dir.resolve("b.model");
    assertEquals(
        0,
        Cli.run(
                "train",
                "--train",
                train.toString(),
                "--model",
                "mlp",
                "--epochs",
                "2",
                "--out",
                m1.toString(),
                "--seed",
                "9")
            .exitCode());
    assertEquals(
        0,
        Cli.run(
                "train",
                "--train",
                train.toString(),
                "--model",
                "mlp",
                "--epochs",
                "2",
                "--out",
                m2.toString(),
                "--seed",
                "9")
            .exitCode());
    assertArrayEquals(
        Files.readAllBytes(m1), Files.readAllBytes(m2), "same seed, same model bytes");
    Cli.Run e1 = Cli.run("eval", "--model", m1.toString(), "--test", train.toString(), "--json");
    assertTrue(Json.mapper().readTree(e1.out()).get("accuracy").asDouble() > 0.9, e1.out());
  }
}
