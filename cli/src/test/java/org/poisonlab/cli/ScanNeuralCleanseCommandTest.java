package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/** {@code scan --detector neural-cleanse} on a small image fixture with a planted corner patch. */
class ScanNeuralCleanseCommandTest {
  @TempDir Path dir;

  private Path[] poison() {
    Path clean = dir.resolve("clean.jsonl");
    ExampleJsonl.write(clean, Fixtures.images(1200, 6, 7));
    Path poisoned = dir.resolve("poisoned.jsonl");
    Path truth = dir.resolve("truth.json");
    Cli.Run r =
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
            "40",
            "--trigger",
            "patch:3x3@25,25",
            "--target",
            "2");
    assertEquals(0, r.exitCode(), r.err());
    return new Path[] {poisoned, truth};
  }

  @Test
  void neuralCleanseScanNamesTheTargetAndWritesTheTriggerImages() throws Exception {
    Path[] p = poison();
    Path flags = dir.resolve("flags.json");
    Cli.Run r =
        Cli.run(
            "scan",
            "--train",
            p[0].toString(),
            "--detector",
            "neural-cleanse",
            "--trigger-images",
            "--out",
            flags.toString(),
            "--truth",
            p[1].toString(),
            "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode row = Json.mapper().readTree(r.out()).get("detectors").get(0);
    assertEquals("neural-cleanse", row.get("method").asText());
    assertTrue(row.get("recall_at_1_5x").asDouble() >= 0.9, r.out());
    JsonNode details = Json.mapper().readTree(flags.toFile()).get("details");
    assertEquals("2", details.get("target").get(0).asText(), details.toString());
    assertEquals(6, details.get("norms").size());
    assertEquals(6, details.get("anomaly_indices").size());
    assertEquals(28, details.get("mask").size());
    for (String part : new String[] {"mask", "pattern", "trigger"}) {
      Path pgm = dir.resolve("flags.neural-cleanse-" + part + ".pgm");
      byte[] b = Files.readAllBytes(pgm);
      assertTrue(new String(b, 0, 13, StandardCharsets.US_ASCII).equals("P5\n28 28\n255\n"), part);
      assertEquals(13 + 28 * 28, b.length, part);
    }
  }

  @Test
  void triggerImagesWithoutNeuralCleanseIsBadUsage() {
    Path[] p = poison();
    Cli.Run r =
        Cli.run(
            "scan",
            "--train",
            p[0].toString(),
            "--detector",
            "pixel-association",
            "--trigger-images",
            "--out",
            dir.resolve("f.json").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("neural-cleanse"), r.err());
    assertFalse(Files.exists(dir.resolve("f.json")));
  }
}
