package org.poisonlab.report;

import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;
import static org.poisonlab.report.Html.percent;
import static org.poisonlab.report.ReportRenderer.d;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The report's seed-table and budget-sweep sections. */
final class TableSections {
  private final RunFolder in;

  TableSections(RunFolder in) {
    this.in = in;
  }

  String seedTable() {
    if (in.table == null || !in.table.path("rows").isArray() || in.table.path("rows").isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    b.append("<p>Each cell: what this run measured, and below it, in grey, what the seed's table")
        .append(
            " claims. Budget = poisons in the training set at the chosen point of the sweep.</p>\n")
        .append("<div class=\"scroll\"><table class=\"seed\">\n<thead><tr><th>Attack</th>")
        .append("<th>Data · model</th><th>Budget</th><th>Detectable by eval?</th>")
        .append("<th>Defense</th><th>Clean acc.</th><th>Poisoned acc.</th><th>Attack success</th>")
        .append("<th>After purge</th></tr></thead>\n<tbody>\n");
    for (JsonNode row : in.table.path("rows")) {
      JsonNode claim = row.path("seed_claim");
      b.append("<tr><td><b>").append(esc(row.path("attack").asText())).append("</b></td>");
      b.append("<td>")
          .append(esc(row.path("dataset").asText()))
          .append(" · ")
          .append(esc(row.path("model").asText()))
          .append("</td>");
      JsonNode budget = row.path("budget");
      cell(
          b,
          budget.has("count")
              ? budget.path("count").asText() + " (" + percent(d(budget, "rate")) + ")"
              : "n/a",
          claim.path("budget").asText(claim.path("note").asText("")));
      JsonNode det = row.path("detectable_by_eval");
      String measured =
          det.isObject()
              ? (det.path("verdict").asBoolean() ? "Yes" : "No")
                  + ", p = "
                  + Html.pValue(d(det, "p_value"))
              : "n/a";
      cell(b, measured, claim.path("detectable_by_eval").asText(""));
      JsonNode def = row.path("defense");
      String defense =
          def.isObject()
              ? def.path("name").asText()
                  + ": P "
                  + num(d(def, "precision"), 2)
                  + ", R "
                  + num(d(def, "recall"), 2)
              : "none run";
      JsonNode prov = row.path("provenance");
      if (prov.isObject()) {
        defense +=
            "; manifest check: "
                + prov.path("poisons_caught").asText()
                + " of "
                + prov.path("poisons").asText()
                + " poisons, "
                + prov.path("clean_flagged").asText()
                + " clean";
      }
      cell(b, defense, claim.path("known_defense").asText(""));
      b.append("<td>").append(num(d(row.path("clean"), "accuracy"), 3)).append("</td>");
      JsonNode p = row.path("poisoned");
      b.append("<td>").append(num(d(p, "accuracy"), 3));
      if (p.has("accuracy_drop")) {
        b.append(" <span class=\"claim\">−")
            .append(num(d(p, "accuracy_drop"), 3))
            .append("</span>");
      }
      b.append("</td><td>")
          .append(
              p.has("attack_success_rate")
                  ? num(d(p, "attack_success_rate"), 3)
                  : "n/a (untargeted)");
      JsonNode safe = row.path("after_safety_finetune");
      if (safe.isObject()) {
        b.append("<br><span class=\"claim\">after safety fine-tune: ")
            .append(num(d(safe, "attack_success_rate"), 3))
            .append("</span>");
      }
      b.append("</td>");
      JsonNode after = row.path("after_purge");
      b.append("<td>");
      if (after.isObject()) {
        b.append("acc. ").append(num(d(after, "accuracy"), 3));
        if (after.has("attack_success_rate") && !after.path("attack_success_rate").isNull()) {
          b.append(", ASR ").append(num(d(after, "attack_success_rate"), 3));
        }
      } else {
        b.append("n/a");
      }
      JsonNode traced = row.path("trace");
      if (traced.isObject() && traced.path("after_purge").isObject()) {
        JsonNode ta = traced.path("after_purge");
        b.append("<br><span class=\"claim\">traced (")
            .append(esc(traced.path("method").asText()))
            .append(", recall@k ")
            .append(num(d(traced, "recall_at_k"), 2))
            .append("): acc. ")
            .append(num(d(ta, "accuracy"), 3))
            .append(", ASR ")
            .append(num(d(ta, "attack_success_rate"), 3))
            .append("</span>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n");
    return b.toString();
  }

  private static void cell(StringBuilder b, String measured, String claim) {
    b.append("<td>").append(esc(measured));
    if (!claim.isEmpty()) {
      b.append("<br><span class=\"claim\">seed: ").append(esc(claim)).append("</span>");
    }
    b.append("</td>");
  }

  // ---------------------------------------------------------------- budget sweeps

  String budget() {
    if (in.table == null) {
      return "";
    }
    StringBuilder charts = new StringBuilder();
    for (JsonNode row : in.table.path("rows")) {
      String name = row.path("attack").asText() + " · " + row.path("dataset").asText();
      JsonNode sweep = row.path("sweep");
      if (sweep.isArray() && !sweep.isEmpty()) {
        int n = sweep.size();
        double[] x = new double[n];
        double[] acc = new double[n];
        double[] asr = new double[n];
        boolean hasAsr = false;
        for (int i = 0; i < n; i++) {
          JsonNode p = sweep.get(i);
          x[i] = 100 * d(p, "rate");
          acc[i] = d(p, "accuracy");
          asr[i] = d(p, "attack_success_rate");
          hasAsr |= Double.isFinite(asr[i]);
        }
        double clean = d(row.path("clean"), "accuracy");
        Charts.Range xr = Charts.Range.of(x);
        List<Charts.Series> series = new ArrayList<>();
        series.add(
            new Charts.Series(
                "clean accuracy",
                Charts.GREY,
                new double[] {xr.min(), xr.max()},
                new double[] {clean, clean},
                false,
                true));
        series.add(new Charts.Series("accuracy", Charts.BLUE, x, acc, true, false));
        if (hasAsr) {
          series.add(new Charts.Series("attack success", Charts.RED, x, asr, true, false));
        }
        String svg =
            Charts.line(
                name,
                "poisons, % of the training set",
                "share",
                series,
                xr,
                new Charts.Range(0, 1));
        if (!svg.isEmpty()) {
          charts
              .append("<figure>")
              .append(svg)
              .append("<figcaption>")
              .append(esc(row.path("criterion").asText("")))
              .append("</figcaption></figure>\n");
        }
      }
      JsonNode variants = row.path("variants");
      if (variants.isObject() && variants.size() > 0) {
        List<Charts.Bar> bars = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = variants.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> v = it.next();
          double before = d(v.getValue().path("poisoned"), "attack_success_rate");
          double after = d(v.getValue().path("after_safety_finetune"), "attack_success_rate");
          bars.add(new Charts.Bar(v.getKey() + ": planted", before, num(before, 3), Charts.RED));
          bars.add(
              new Charts.Bar(v.getKey() + ": after safety", after, num(after, 3), Charts.ORANGE));
        }
        String svg = Charts.bars(name + ": attack success", bars, 1.0);
        if (!svg.isEmpty()) {
          charts
              .append("<figure>")
              .append(svg)
              .append("<figcaption>")
              .append(esc(row.path("criterion").asText("")))
              .append("</figcaption></figure>\n");
        }
      }
    }
    if (charts.length() == 0) {
      return "";
    }
    return "<p>Each point is one poisoned training run. Blue: accuracy on the clean test split; red:"
        + " attack success rate (share of triggered non-target test inputs classified as the"
        + " target); dashed: the clean model's accuracy.</p>\n<div class=\"grid\">\n"
        + charts
        + "</div>\n";
  }
}
