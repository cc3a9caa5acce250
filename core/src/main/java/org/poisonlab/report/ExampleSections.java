package org.poisonlab.report;

import static org.poisonlab.report.DetectionSection.figure;
import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.results.TableRow;

/**
 * The report's examples and sources sections: the top-ranked examples of each scan or trace file as
 * cards, and their sources as bars.
 */
final class ExampleSections {

  private final RunFolder in;

  ExampleSections(RunFolder in) {
    this.in = in;
  }

  String examples() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Scored s : in.scans) {
      b.append(topExamples(s, "flagged by scan"));
    }
    return b.toString();
  }

  private String topExamples(RunFolder.Scored s, String what) {
    List<ScanFiles.Entry> top =
        s.scan()
            .scores()
            .subList(0, Math.min(ReportRenderer.TOP_EXAMPLES, s.scan().scores().size()));
    if (top.isEmpty()) {
      return "";
    }
    TableRow row = in.rowFor(s.name());
    List<String> terms = highlightTerms(s, row);
    Thumbnails.Box box = patchBox(s, row);
    StringBuilder b = new StringBuilder();
    b.append("<h3>")
        .append(esc(s.name()))
        .append(" <span class=\"claim\">top ")
        .append(top.size())
        .append(" ")
        .append(esc(what))
        .append(" ")
        .append(esc(s.scan().method()));
    if (!terms.isEmpty()) {
      b.append("; highlighted: ").append(esc(String.join(", ", terms)));
    }
    b.append("</span></h3>\n").append(cards(s, top, terms, box));
    return b.toString();
  }

  /** One card per example: rank, score, flags, truth, source, label, and the content. */
  String cards(
      RunFolder.Scored s, List<ScanFiles.Entry> top, List<String> terms, Thumbnails.Box box) {
    StringBuilder b = new StringBuilder("<div class=\"cards\">\n");
    int rank = 0;
    for (ScanFiles.Entry e : top) {
      rank++;
      Example ex = in.examples.get(e.id());
      boolean poison = s.truth() != null && s.truth().contains(e.id());
      b.append("<div class=\"card").append(poison ? " poison" : "").append("\">");
      b.append("<div class=\"meta\">#")
          .append(rank)
          .append(" · score ")
          .append(num(e.score(), 4))
          .append(e.flagged() ? " · flagged" : "")
          .append(s.truth() == null ? "" : poison ? " · <b>poison</b>" : " · clean")
          .append("<br>source ")
          .append(esc(e.source() == null ? "none" : e.source()));
      if (ex != null) {
        b.append(" · label ").append(esc(ex.label()));
      }
      b.append("</div>");
      if (ex == null) {
        b.append("<div class=\"id\">")
            .append(esc(e.id()))
            .append("</div>")
            .append("<div class=\"absent\">content not in this run (examples/*.jsonl)</div>");
      } else if (ex.isImage() && ex.shape() != null && ex.shape().length >= 2) {
        int h = ex.shape()[0];
        int w = ex.shape()[1];
        if ((long) h * w <= ex.pixelCount() && h <= 512 && w <= 512) {
          int scale = Math.max(1, 84 / Math.max(h, w));
          b.append("<img class=\"thumb\" alt=\"")
              .append(esc(e.id()))
              .append("\" width=\"")
              .append(w * scale)
              .append("\" height=\"")
              .append(h * scale)
              .append("\" src=\"")
              .append(Thumbnails.png(ex.pixels(), h, w, scale, box))
              .append("\">");
        }
      } else {
        b.append("<div class=\"text\">").append(highlight(ex.content(), terms)).append("</div>");
      }
      b.append("</div>\n");
    }
    b.append("</div>\n");
    return b.toString();
  }

  /**
   * The row's trigger or phrase, else the trigger or phrase of the file's truth, else the top
   * n-grams a detector found (at most five).
   */
  static List<String> highlightTerms(RunFolder.Scored s, TableRow row) {
    List<String> out = new ArrayList<>();
    for (RunFolder.Spec spec : RunFolder.specs(s, row)) {
      if (!out.isEmpty()) {
        continue;
      }
      for (String t : new String[] {spec.trigger(), spec.phrase()}) {
        if (t != null && !t.isEmpty() && !t.startsWith("patch:") && !out.contains(t)) {
          out.add(t);
        }
      }
    }
    if (out.isEmpty()) {
      List<JsonNode> detailNodes = new ArrayList<>();
      detailNodes.add(s.raw().path("details"));
      s.raw().path("detectors").forEach(d -> detailNodes.add(d.path("details")));
      for (JsonNode details : detailNodes) {
        for (JsonNode c : details.path("candidates")) {
          String g = c.path("ngram").asText("");
          if (!g.isEmpty() && !out.contains(g) && out.size() < 5) {
            out.add(g);
          }
        }
      }
    }
    return out;
  }

  /**
   * The row's patch trigger, else the patch trigger of the file's truth, else the first patch a
   * detector reported, else null.
   */
  static Thumbnails.Box patchBox(RunFolder.Scored s, TableRow row) {
    for (RunFolder.Spec spec : RunFolder.specs(s, row)) {
      String text = spec.trigger() == null ? "" : spec.trigger();
      if (text.startsWith("patch:")) {
        try {
          if (Trigger.parse(text, Dataset.Kind.IMAGE) instanceof Trigger.PatchTrigger p) {
            return new Thumbnails.Box(p.x(), p.y(), p.width(), p.height());
          }
        } catch (BadInputException e) {
          // not a patch this build can draw: fall through to the detectors' candidates
        }
      }
    }
    List<JsonNode> detailNodes = new ArrayList<>();
    detailNodes.add(s.raw().path("details"));
    s.raw().path("detectors").forEach(d -> detailNodes.add(d.path("details")));
    for (JsonNode details : detailNodes) {
      for (JsonNode c : details.path("candidates")) {
        if (c.has("x") && c.has("y") && c.has("width") && c.has("height")) {
          return new Thumbnails.Box(
              c.path("x").asInt(),
              c.path("y").asInt(),
              c.path("width").asInt(),
              c.path("height").asInt());
        }
      }
    }
    return null;
  }

  /**
   * Escaped text around the first match of any term (up to {@value #SNIPPET} characters), every
   * match (ignoring case) wrapped in {@code <mark>}.
   */
  static String highlight(String text, List<String> terms) {
    if (text == null) {
      return "";
    }
    String lower = text.toLowerCase(Locale.ROOT);
    int first = -1;
    for (String t : terms) {
      int i = lower.indexOf(t.toLowerCase(Locale.ROOT));
      if (i >= 0 && (first < 0 || i < first)) {
        first = i;
      }
    }
    int start = first < 0 ? 0 : Math.max(0, first - SNIPPET / 3);
    int end = Math.min(text.length(), start + SNIPPET);
    String cut = text.substring(start, end);
    String cutLower = cut.toLowerCase(Locale.ROOT);
    StringBuilder b = new StringBuilder();
    if (start > 0) {
      b.append("…");
    }
    int at = 0;
    while (at < cut.length()) {
      int best = -1;
      int bestLen = 0;
      for (String t : terms) {
        if (t.isEmpty()) {
          continue;
        }
        int i = cutLower.indexOf(t.toLowerCase(Locale.ROOT), at);
        if (i >= 0 && (best < 0 || i < best || (i == best && t.length() > bestLen))) {
          best = i;
          bestLen = t.length();
        }
      }
      if (best < 0) {
        b.append(esc(cut.substring(at)));
        break;
      }
      b.append(esc(cut.substring(at, best)))
          .append("<mark>")
          .append(esc(cut.substring(best, best + bestLen)))
          .append("</mark>");
      at = best + bestLen;
    }
    if (end < text.length()) {
      b.append("…");
    }
    return b.toString();
  }

  static final int SNIPPET = 420;

  // ---------------------------------------------------------------- sources

  String sources() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Scored s : in.scans) {
      b.append(sourceFigure(s));
    }
    return b.isEmpty() ? "" : "<div class=\"grid\">\n" + b + "</div>\n";
  }

  /** The sources of a scan or trace file as bars, or "" when no example has a source. */
  static String sourceFigure(RunFolder.Scored s) {
    List<ScanFiles.SourceCount> named = ScanFiles.rankedByFlags(s.scan().sources());
    if (named.isEmpty()) {
      return "";
    }
    Set<String> poisoned = new java.util.HashSet<>();
    if (s.truth() != null) {
      for (ScanFiles.Entry e : s.scan().scores()) {
        if (e.source() != null && s.truth().contains(e.id())) {
          poisoned.add(e.source());
        }
      }
    }
    List<Charts.Bar> bars = new ArrayList<>();
    for (ScanFiles.SourceCount c :
        named.subList(0, Math.min(ReportRenderer.TOP_SOURCES, named.size()))) {
      bars.add(
          new Charts.Bar(
              c.source(),
              c.share(),
              c.flagged() + " / " + c.total(),
              poisoned.contains(c.source()) ? Charts.RED : Charts.BLUE));
    }
    String svg = Charts.bars(s.name() + ": flagged share per source", bars, 1.0);
    return figure(
        svg,
        named.size()
            + " sources, ranked by flagged examples, then by flagged share; bar length: share flagged ("
            + s.scan().method()
            + ")"
            + (s.truth() == null ? "." : "; red: sources holding poisons."));
  }
}
