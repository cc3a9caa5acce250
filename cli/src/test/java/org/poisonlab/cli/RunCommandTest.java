package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.Fixtures;

/**
 * {@code poisonlab run}: a recipe on fixtures gives a run folder, the same bytes for the same seed.
 */
class RunCommandTest {
  @TempDir Path dir;

  static final String SMALL =
      """
      {
        "name": "small",
        "datasets": [{"name": "emails", "train": "train.jsonl", "test": "test.jsonl"}],
        "attacks": [
          {"kind": "backdoor", "target": "ham", "budgets": [{"count": 30}]}
        ],
        "detectors": [{"name": "spectral", "epsilon": 0.1}],
        "attributors": [{"name": "gradient-dot"}],
        "seeds": [0]
      }
      """;

  @BeforeEach
  void fixtures() {
    ExampleJsonl.write(dir.resolve("train.jsonl"), Fixtures.textEmails(300, 1));
    ExampleJsonl.write(dir.resolve("test.jsonl"), Fixtures.textEmails(150, 2));
  }

  @Test
  void sameRecipeAndSeedGiveByteIdenticalResultsScansAndTracesAndAFullRunFolder()
      throws IOException {
    Path recipe = dir.resolve("small.json");
    Files.writeString(recipe, SMALL);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Cli.Run r1 = Cli.run("run", recipe.toString(), "--out", a.toString());
    assertEquals(0, r1.exitCode(), r1.err());
    Cli.Run r2 = Cli.run("run", recipe.toString(), "--out", b.toString());
    assertEquals(0, r2.exitCode(), r2.err());
    assertArrayEquals(
        Files.readAllBytes(a.resolve("results.json")),
        Files.readAllBytes(b.resolve("results.json")),
        "same recipe, same seed, same results.json bytes");

    JsonNode results = Json.mapper().readTree(a.resolve("results.json").toFile());
    assertEquals(1, results.get("runs").size(), "one attack, one budget, one seed");
    JsonNode backdoor = results.get("runs").get(0);
    assertEquals("backdoor", backdoor.get("attack").get("kind").asText());
    assertEquals(30, backdoor.get("budget").get("count").asInt());
    assertTrue(backdoor.get("poisoned").get("attack_success_rate").asDouble() > 0.5);
    JsonNode scan = backdoor.get("detectors").get(0);
    assertEquals("spectral", scan.get("name").asText());
    assertTrue(scan.get("auroc").asDouble() > 0.8, "spectral signatures rank the poisons: " + scan);
    assertTrue(
        scan.get("after_purge").get("attack_success_rate").asDouble()
            < backdoor.get("poisoned").get("attack_success_rate").asDouble(),
        "purging what the scan flagged lowers the attack success rate");
    JsonNode trace = backdoor.get("attributors").get(0);
    assertEquals("gradient-dot", trace.get("name").asText());
    assertEquals(20, trace.get("behavior").asInt());

    JsonNode run = Json.mapper().readTree(a.resolve("run.json").toFile());
    assertTrue(run.get("command").asText().startsWith("poisonlab run "));
    assertTrue(run.get("recipe").get("sha256").asText().startsWith("sha256:"));
    assertEquals(0, run.get("seeds").get(0).asInt());
    assertTrue(run.get("environment").has("java"));
    assertTrue(run.get("environment").has("os"));
    assertEquals(2, run.get("datasets").size(), "train and test hashes");
    assertEquals(SMALL, Files.readString(a.resolve("recipe.json")), "the recipe is copied");
    assertEquals("0.1", scan.get("options").get("epsilon").asText(), "options are recorded");

    // each scan and trace in the run folder, same bytes for the same seed, shown by the report
    String stem = "backdoor-emails-count-30-seed0-";
    Path traceFile = Path.of("traces", stem + "gradient-dot.json");
    Path scanFile = Path.of("scans", stem + "spectral.json");
    for (Path f : new Path[] {traceFile, scanFile}) {
      assertArrayEquals(
          Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), "same bytes: " + f);
    }
    JsonNode t = Json.mapper().readTree(a.resolve(traceFile).toFile());
    assertEquals("gradient-dot", t.get("method").asText());
    assertEquals(300, t.get("scores").size(), "every training example of the poisoned set");
    assertEquals(45, t.get("flagged").size(), "1.5 x the poison count");
    assertEquals(30, t.get("truth").get("ids").size());
    assertEquals(12, t.get("examples").size(), "the top examples travel with the trace");
    String html = Files.readString(a.resolve("report.html"));
    assertTrue(html.contains("<section id=\"trace\" data-state=\"rendered\">"), "trace shown");
    assertTrue(html.contains("<section id=\"detection\" data-state=\"rendered\">"));
  }

  @Test
  void anUnknownDetectorOptionIsOneLineNamingFileLineAndFieldWithExitCode2() throws IOException {
    Path recipe = dir.resolve("bad.json");
    Files.writeString(recipe, SMALL.replace("\"epsilon\"", "\"epsilom\""));
    Cli.Run r = Cli.run("run", recipe.toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, r.exitCode());
    assertEquals(
        "poisonlab: "
            + recipe
            + ":7: field \"detectors[0].epsilom\" is not an option of spectral; its options are"
            + " [epsilon]",
        r.err().strip());
    assertTrue(Files.notExists(dir.resolve("x")), "nothing is written");
  }
}
