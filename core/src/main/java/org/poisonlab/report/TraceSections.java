package org.poisonlab.report;

import static org.poisonlab.report.DetectionSection.figure;
import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;
import static org.poisonlab.report.ReportRenderer.kv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.results.TableRow;

/** The report's trace and manifest-verification sections. */
final class TraceSections {
  private final RunFolder in;

  TraceSections(RunFolder in) {
    this.in = in;
  }

  String trace() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Scored s : in.traces) {
      List<ScanFiles.Entry> entries = s.scan().scores();
      if (entries.isEmpty()) {
        continue;
      }
      JsonNode raw = s.raw();
      TableRow row = in.rowFor(s.name());
      List<String> terms = ExampleSections.highlightTerms(s, row);
      Thumbnails.Box box = ExampleSections.patchBox(s, row);
      int behavior = raw.path("behavior").asInt(0);
      b.append("<div class=\"trace\" data-name=\"")
          .append(esc(s.name()))
          .append("\">\n<h3>")
          .append(esc(s.name()))
          .append(" <span class=\"claim\">")
          .append(esc(s.scan().method()))
          .append("</span></h3>\n<p>")
          .append(
              behavior > 0
                  ? "Explains the model's output on "
                      + behavior
                      + " behaviour input"
                      + (behavior == 1 ? "" : "s")
                  : "Self-influence (no behaviour file)")
          .append(": each of the ")
          .append(entries.size())
          .append(" training examples is scored by how much it pushed the model to that output;")
          .append(" the top ")
          .append(s.scan().flagged().size())
          .append(" are flagged.");
      if (s.truth() != null) {
        int poisons = 0;
        for (ScanFiles.Entry e : entries) {
          poisons += s.truth().contains(e.id()) ? 1 : 0;
        }
        int hits = 0;
        for (int r = 0; r < poisons; r++) {
          hits += s.truth().contains(entries.get(r).id()) ? 1 : 0;
        }
        b.append(" Poison recall@k: <b>")
            .append(num(poisons == 0 ? Double.NaN : hits / (double) poisons, 3))
            .append("</b> (")
            .append(hits)
            .append(" of the ")
            .append(poisons)
            .append(" poisons in the top ")
            .append(poisons)
            .append(").");
      }
      if (!terms.isEmpty()) {
        b.append(" Highlighted: ").append(esc(String.join(", ", terms))).append(".");
      } else if (box != null) {
        b.append(" The trigger patch is outlined in red.");
      }
      b.append("</p>\n");
      List<ScanFiles.Entry> top =
          entries.subList(0, Math.min(ReportRenderer.TOP_EXAMPLES, entries.size()));
      b.append(new ExampleSections(in).cards(s, top, terms, box));
      b.append("<div class=\"grid\">\n")
          .append(new DetectionSection(in).scoredFigures(s))
          .append(ExampleSections.sourceFigure(s))
          .append("</div>\n");
      String diagnostics = Tables.scalars(raw.path("diagnostics"));
      if (!diagnostics.isEmpty()) {
        b.append("<details><summary>Diagnostics</summary>\n")
            .append(diagnostics)
            .append("</details>\n");
      }
      b.append("</div>\n");
    }
    return b.toString();
  }

  // ---------------------------------------------------------------- verification

  String verification() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Named v : in.verifications) {
      JsonNode j = v.json();
      if (j == null || !j.isObject() || !j.has("ok")) {
        continue;
      }
      boolean ok = j.path("ok").asBoolean();
      b.append("<h3>")
          .append(esc(v.name()))
          .append(" <span class=\"badge ")
          .append(ok ? "ok\">VERIFIED" : "bad\">MISMATCH")
          .append("</span></h3>\n<table class=\"kv\"><tbody>\n");
      kv(b, "dataset", j.path("dataset").asText());
      kv(
          b,
          "examples (manifest / dataset)",
          j.path("count").path("manifest").asText()
              + " / "
              + j.path("count").path("dataset").asText());
      kv(b, "Merkle root matches", j.path("root").path("match").asText());
      kv(b, "manifest root", j.path("root").path("manifest").asText());
      kv(b, "dataset root", j.path("root").path("dataset").asText());
      kv(b, "manifest intact", j.path("manifest_intact").asText());
      kv(b, "signature", j.path("signature").asText());
      b.append("</tbody></table>\n");
      List<Charts.Bar> bars = new ArrayList<>();
      double max = 1;
      for (Iterator<Map.Entry<String, JsonNode>> it = j.path("changes").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> c = it.next();
        int n = c.getValue().asInt();
        max = Math.max(max, n);
        bars.add(
            new Charts.Bar(c.getKey(), n, Integer.toString(n), n > 0 ? Charts.RED : Charts.GREEN));
      }
      b.append(
          figure(
              Charts.bars("changes by kind", bars, max),
              "Examples that differ from the manifest, by kind of change."));
      JsonNode details = j.path("details");
      if (details.isArray() && !details.isEmpty()) {
        b.append(
                "<table><thead><tr><th>kind</th><th>position</th><th>fields</th><th>expected id</th>")
            .append("<th>actual id</th><th>source</th></tr></thead><tbody>\n");
        int shown = 0;
        for (JsonNode c : details) {
          if (shown++ == 10) {
            break;
          }
          b.append("<tr><td>")
              .append(esc(c.path("kind").asText()))
              .append("</td><td>")
              .append(esc(c.path("position").asText()))
              .append("</td><td>")
              .append(
                  esc(
                      c.path("fields").isArray()
                          ? joined(c.path("fields"))
                          : c.path("fields").asText()))
              .append("</td><td class=\"id\">")
              .append(esc(c.path("expected").path("id").asText("")))
              .append("</td><td class=\"id\">")
              .append(esc(c.path("actual").path("id").asText("")))
              .append("</td><td>")
              .append(
                  esc(
                      c.path("actual")
                          .path("source")
                          .asText(c.path("expected").path("source").asText(""))))
              .append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
        if (details.size() > 10) {
          b.append("<p class=\"claim\">and ").append(details.size() - 10).append(" more.</p>\n");
        }
      }
    }
    return b.toString();
  }

  private static String joined(JsonNode array) {
    List<String> parts = new ArrayList<>();
    array.forEach(n -> parts.add(n.asText()));
    return String.join(", ", parts);
  }
}
