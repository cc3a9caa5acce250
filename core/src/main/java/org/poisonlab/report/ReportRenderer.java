package org.poisonlab.report;

import static org.poisonlab.report.DetectionSection.figure;
import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the HTML page from a {@link RunFolder}: one method per {@link Section}. */
final class ReportRenderer {
  /** Examples shown per scan or trace file. */
  static final int TOP_EXAMPLES = 6;

  /** Sources shown per scan or trace file. */
  static final int TOP_SOURCES = 12;

  /** Points kept per ROC or PR curve. */
  static final int CURVE_POINTS = 300;

  static final int HISTOGRAM_BINS = 30;

  private final RunFolder in;
  private final Set<Section> rendered = EnumSet.noneOf(Section.class);

  /** The page and the sections that drew something (the others say "not in this run"). */
  record Page(String html, Set<Section> rendered) {}

  private ReportRenderer(RunFolder in) {
    this.in = in;
  }

  static Page render(RunFolder in) {
    ReportRenderer r = new ReportRenderer(in);
    String html = r.page();
    return new Page(html, EnumSet.copyOf(r.rendered));
  }

  private String page() {
    StringBuilder b = new StringBuilder(1 << 16);
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("img-src data:; style-src 'unsafe-inline'\">\n")
        .append("<title>PoisonLab report</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<header>\n<h1>PoisonLab report</h1>\n");
    if (in.run != null && in.run.hasNonNull("command")) {
      b.append("<p class=\"lead\">Run: <code>")
          .append(esc(in.run.path("command").asText()))
          .append("</code>, seed ")
          .append(esc(in.run.path("seed").asText()))
          .append("</p>\n");
    }
    b.append("<nav>");
    for (Section s : Section.values()) {
      b.append("<a href=\"#").append(s.id()).append("\">").append(esc(s.title())).append("</a> ");
    }
    b.append("</nav>\n</header>\n<main>\n");
    for (Section s : Section.values()) {
      String body =
          switch (s) {
            case SEED_TABLE -> new TableSections(in).seedTable();
            case BUDGET -> new TableSections(in).budget();
            case MATRIX -> new MatrixSection(in).matrix();
            case DETECTION -> new DetectionSection(in).detection();
            case EXAMPLES -> new ExampleSections(in).examples();
            case SOURCES -> new ExampleSections(in).sources();
            case TRACE -> new TraceSections(in).trace();
            case VERIFICATION -> new TraceSections(in).verification();
            case SLEEPER -> SleeperSection.render(in.sleeper);
            case RUN -> run();
          };
      boolean has = !body.isEmpty();
      if (has) {
        rendered.add(s);
      }
      b.append("<section id=\"")
          .append(s.id())
          .append("\" data-state=\"")
          .append(has ? "rendered" : "absent")
          .append("\">\n<h2>")
          .append(esc(s.title()))
          .append("</h2>\n");
      if (has) {
        b.append(body);
      } else {
        b.append("<p class=\"absent\">Not in this run (drawn from ")
            .append(esc(s.inputs()))
            .append(").</p>\n");
      }
      b.append("</section>\n");
    }
    b.append("</main>\n<footer>Written by <code>poisonlab report</code>. Self-contained: ")
        .append("no script, no network.</footer>\n</body>\n</html>\n");
    return b.toString();
  }

  // ---------------------------------------------------------------- the run itself

  private String run() {
    JsonNode r = in.run;
    if (r == null || !r.isObject() || r.isEmpty()) {
      return "";
    }
    StringBuilder b =
        new StringBuilder("<div class=\"grid\">\n<div>\n<table class=\"kv\"><tbody>\n");
    kv(b, "command", r.path("command").asText(""));
    kv(b, "seed", r.path("seed").asText(""));
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("environment").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      kv(b, e.getKey(), e.getValue().asText());
    }
    if (r.has("wall_seconds")) {
      kv(b, "wall time", num(d(r, "wall_seconds"), 1) + " s");
    }
    b.append("</tbody></table>\n");
    if (r.path("datasets").isObject() && r.path("datasets").size() > 0) {
      b.append(
          "<table class=\"kv\"><thead><tr><th>dataset</th><th>content hash</th></tr></thead><tbody>\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = r.path("datasets").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append("<tr><td>")
            .append(esc(e.getKey()))
            .append("</td><td class=\"id\">")
            .append(esc(e.getValue().asText()))
            .append("</td></tr>\n");
      }
      b.append("</tbody></table>\n");
    }
    b.append("</div>\n");
    List<Charts.Bar> bars = new ArrayList<>();
    double max = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("seconds").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("total") || !e.getValue().isNumber()) {
        continue;
      }
      double s = e.getValue().asDouble();
      max = Math.max(max, s);
      bars.add(new Charts.Bar(e.getKey(), s, num(s, 1) + " s", Charts.BLUE));
    }
    b.append(
        figure(Charts.bars("seconds per step", bars, max), "Wall time of each step of the run."));
    b.append("</div>\n");
    return b.toString();
  }

  static void kv(StringBuilder b, String key, String value) {
    b.append("<tr><th>")
        .append(esc(key))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  /** A number field, NaN when absent, null or not a number. */
  static double d(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
  }

  private static final String CSS =
      """
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a202c;margin:0;background:#f7fafc}
      header,main,footer{max-width:1220px;margin:0 auto;padding:0 20px}
      header{padding-top:18px}h1{margin:0 0 4px;font-size:24px}.lead{margin:0 0 8px;color:#4a5568}
      nav a{display:inline-block;margin:0 10px 6px 0;color:#2b6cb0;text-decoration:none;font-size:13px}
      section{background:#fff;border:1px solid #e2e8f0;border-radius:6px;margin:16px 0;padding:4px 18px 14px}
      h2{font-size:19px;margin:12px 0 8px}h3{font-size:15px;margin:16px 0 6px}
      table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
      th,td{border-bottom:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
      thead th{background:#edf2f7}.kv th{font-weight:600;color:#4a5568}
      .scroll{overflow-x:auto}.claim{color:#718096;font-size:12px}.absent{color:#a0aec0;font-style:italic}
      .grid{display:flex;flex-wrap:wrap;gap:14px}figure{margin:4px 0;flex:0 1 380px;max-width:380px}
      figcaption{font-size:12px;color:#4a5568;margin-top:2px}
      svg.chart{max-width:100%;height:auto;background:#fff}
      svg text{font:11px system-ui,sans-serif;fill:#2d3748}svg text.title{font-weight:600;font-size:12px}
      .cards{display:flex;flex-wrap:wrap;gap:10px}
      .card{border:1px solid #e2e8f0;border-radius:5px;padding:6px 8px;width:260px;font-size:12px;background:#fff}
      .card.poison{border-color:#c53030;box-shadow:inset 3px 0 0 #c53030}
      .meta{color:#4a5568;margin-bottom:4px}.text{white-space:pre-wrap;word-break:break-word;max-height:170px;overflow:hidden}
      .id{font-family:ui-monospace,monospace;font-size:11px;word-break:break-all}
      mark{background:#fbd38d;padding:0 1px}img.thumb{image-rendering:pixelated;border:1px solid #cbd5e0}
      .badge{font-size:12px;padding:2px 8px;border-radius:10px;color:#fff}.badge.ok{background:#2f855a}.badge.bad{background:#c53030}
      footer{color:#718096;font-size:12px;padding-bottom:24px}
      """;
}
