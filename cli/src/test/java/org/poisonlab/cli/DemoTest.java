package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.experiment.Json;
import org.poisonlab.testkit.RealData;

/** The README's main job, in its quick form, on the real pinned datasets. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void quickDemoWritesTheContractTableAndTheSameSeedGivesTheSameBytes() throws IOException {
    RealData.require("spamassassin", "fashion-mnist");
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Cli.Run r1 = Cli.run("demo", "--quick", "--out", a.toString());
    assertEquals(0, r1.exitCode(), r1.err());
    Cli.Run r2 = Cli.run("demo", "--quick", "--out", b.toString(), "--json");
    assertEquals(0, r2.exitCode(), r2.err());
    assertEquals(
        Json.mapper().readTree(b.resolve("table.json").toFile()),
        Json.mapper().readTree(r2.out()),
        "--json prints the table");
    assertArrayEquals(
        Files.readAllBytes(a.resolve("table.json")),
        Files.readAllBytes(b.resolve("table.json")),
        "same seed, same table.json bytes");

    JsonNode table = Json.mapper().readTree(a.resolve("table.json").toFile());
    assertEquals(0, table.get("seed").asInt());
    Set<String> attacks = new HashSet<>();
    for (JsonNode row : table.get("rows")) {
      attacks.add(row.get("attack").asText());
      for (String field :
          new String[] {
            "dataset",
            "model",
            "budget",
            "clean",
            "poisoned",
            "detectable_by_eval",
            "defense",
            "after_purge"
          }) {
        assertTrue(row.has(field), "row " + row.get("attack") + " lacks " + field);
      }
      assertTrue(row.get("budget").get("count").asInt() > 0);
      assertEquals("mcnemar", row.get("detectable_by_eval").get("test").asText());
      double p = row.get("detectable_by_eval").get("p_value").asDouble();
      assertTrue(p >= 0 && p <= 1, "p-value " + p);
      if (row.get("attack").asText().equals("sleeper")) {
        assertTrue(row.get("after_safety_finetune").has("attack_success_rate"));
      }
      if (row.get("attack").asText().equals("backdoor")
          && row.get("dataset").asText().equals("fashion-mnist")) {
        assertTrue(
            row.get("poisoned").get("attack_success_rate").asDouble() >= 0.9,
            "image backdoor ASR: " + row);
        assertTrue(
            row.get("budget").get("rate").asDouble() <= 0.01, "image backdoor budget: " + row);
      }
      if (row.get("attack").asText().equals("label-flip")) {
        assertTrue(
            row.get("detectable_by_eval").get("verdict").asBoolean(),
            "label flipping is detected: " + row);
      }
    }
    assertEquals(Set.of("label-flip", "backdoor", "semantic", "clean-label", "sleeper"), attacks);
    assertTrue(Files.exists(a.resolve("run.json")));
  }
}
