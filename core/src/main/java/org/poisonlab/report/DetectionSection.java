package org.poisonlab.report;

import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.defense.Finding;
import org.poisonlab.defense.ScanFiles;

/** The report's detection section: per scan file, ROC and PR curves and score histograms. */
final class DetectionSection {
  private final RunFolder in;

  DetectionSection(RunFolder in) {
    this.in = in;
  }

  String detection() {
    StringBuilder b = new StringBuilder();
    if (in.detection != null) {
      String t = Tables.generic(in.detection);
      if (!t.isEmpty()) {
        b.append("<h3>Every detector on every row (detection.json)</h3>\n").append(t);
      }
    }
    for (RunFolder.Scored s : in.scans) {
      b.append(scoredCharts(s, "scan"));
    }
    return b.toString();
  }

  private String scoredCharts(RunFolder.Scored s, String what) {
    List<ScanFiles.Entry> entries = s.scan().scores();
    if (entries.isEmpty()) {
      return "";
    }
    return "<h3>"
        + esc(s.name())
        + " <span class=\"claim\">"
        + esc(what)
        + " "
        + esc(s.scan().method())
        + ", "
        + entries.size()
        + " examples, "
        + s.scan().flagged().size()
        + " flagged</span></h3>\n"
        + findings(s)
        + "<div class=\"grid\">\n"
        + scoredFigures(s)
        + "</div>\n";
  }

  /**
   * A scan file's verdict and the findings that hold (detector, kind, candidate, target, p- and
   * q-value, flags), then the detectors without a test; empty for a file without findings (a
   * trace).
   */
  static String findings(RunFolder.Scored s) {
    JsonNode verdict = s.raw() == null ? null : s.raw().get("verdict");
    JsonNode node = s.raw() == null ? null : s.raw().get("findings");
    if (verdict == null || node == null || !node.isArray()) {
      return "";
    }
    List<Finding> all;
    try {
      all =
          org.poisonlab.io.Json.mapper()
              .convertValue(
                  node, new com.fasterxml.jackson.core.type.TypeReference<List<Finding>>() {});
    } catch (IllegalArgumentException e) {
      return "";
    }
    StringBuilder b = new StringBuilder("<p>Verdict: <b>").append(esc(verdict.asText()));
    b.append("</b>");
    List<String> untested = new ArrayList<>();
    for (Finding f : all) {
      if (f.significant()) {
        b.append("<br>").append(esc(f.detector())).append(" (").append(esc(f.kind())).append(")");
        if (f.candidate() != null) {
          b.append(" ").append(esc(f.candidate()));
        }
        if (f.target() != null) {
          b.append(" → ").append(esc(f.target()));
        }
        b.append(", p = ").append(Html.pValue(f.pValue()));
        if (f.qValue() != null) {
          b.append(", q = ").append(Html.pValue(f.qValue()));
        }
        b.append(", ").append(f.flagged()).append(" flagged");
        if (f.note() != null) {
          b.append(" <span class=\"claim\">").append(esc(f.note())).append("</span>");
        }
      } else if (!f.isTested()) {
        untested.add(f.detector());
      }
    }
    if (!untested.isEmpty()) {
      b.append("<br><span class=\"claim\">no calibrated test: ")
          .append(esc(String.join(", ", untested)))
          .append("</span>");
    }
    return b.append("</p>\n").toString();
  }

  /**
   * The figures of a scan or trace file: with its truth, ROC, precision-recall and a score
   * histogram with the poisons marked; without, a histogram with the flagged examples marked.
   */
  String scoredFigures(RunFolder.Scored s) {
    List<ScanFiles.Entry> entries = s.scan().scores();
    if (entries.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    double[] scores = entries.stream().mapToDouble(ScanFiles.Entry::score).toArray();
    if (s.truth() == null) {
      boolean[] flagged = new boolean[entries.size()];
      for (int i = 0; i < flagged.length; i++) {
        flagged[i] = entries.get(i).flagged();
      }
      b.append(
          figure(
              Charts.histogram(
                  s.scan().method() + ": scores",
                  "score",
                  select(scores, flagged, false),
                  select(scores, flagged, true),
                  "not flagged",
                  "flagged",
                  ReportRenderer.HISTOGRAM_BINS),
              "No truth file for this scan in the run: flagged examples are marked instead of poisons."));
      return b.toString();
    }
    boolean[] poison = new boolean[entries.size()];
    for (int i = 0; i < poison.length; i++) {
      poison[i] = s.truth().contains(entries.get(i).id());
    }
    Map<String, double[]> perDetector = perDetectorScores(s, entries);
    List<Charts.Series> roc = new ArrayList<>();
    List<Charts.Series> pr = new ArrayList<>();
    StringBuilder caption = new StringBuilder();
    int k = 0;
    for (Map.Entry<String, double[]> e : perDetector.entrySet()) {
      Curves.Result c = Curves.of(e.getValue(), poison);
      String color = Charts.PALETTE[k++ % Charts.PALETTE.length];
      double[][] r = Curves.thin(c.fpr(), c.tpr(), ReportRenderer.CURVE_POINTS);
      double[][] p = Curves.thin(c.recall(), c.precision(), ReportRenderer.CURVE_POINTS);
      roc.add(new Charts.Series(e.getKey(), color, r[0], r[1], false, false));
      pr.add(new Charts.Series(e.getKey(), color, p[0], p[1], false, false));
      caption
          .append(e.getKey())
          .append(": AUROC ")
          .append(num(c.auroc(), 3))
          .append(", AP ")
          .append(num(c.averagePrecision(), 3))
          .append(". ");
    }
    roc.add(
        new Charts.Series(
            "chance", Charts.GREY, new double[] {0, 1}, new double[] {0, 1}, false, true));
    // each detector's own flags: one operating point on each chart
    Map<String, List<String>> flagSets = new LinkedHashMap<>();
    JsonNode detectors = s.raw().path("detectors");
    if (detectors.isObject()) {
      detectors
          .fields()
          .forEachRemaining(e -> flagSets.put(e.getKey(), texts(e.getValue().path("flagged"))));
    }
    flagSets.put(s.scan().method(), s.scan().flagged());
    int positives = s.truth().size();
    int negatives = Math.max(1, entries.size() - positives);
    for (Map.Entry<String, List<String>> f : flagSets.entrySet()) {
      int tp = 0;
      for (String id : f.getValue()) {
        tp += s.truth().contains(id) ? 1 : 0;
      }
      int fp = f.getValue().size() - tp;
      double recall = positives == 0 ? Double.NaN : tp / (double) positives;
      double precision = f.getValue().isEmpty() ? Double.NaN : tp / (double) f.getValue().size();
      String color = Charts.PALETTE[k++ % Charts.PALETTE.length];
      String label = "flags: " + f.getKey();
      roc.add(
          new Charts.Series(
              label,
              color,
              new double[] {fp / (double) negatives},
              new double[] {recall},
              true,
              false));
      pr.add(
          new Charts.Series(
              label, color, new double[] {recall}, new double[] {precision}, true, false));
    }
    int truePoisons = 0;
    for (boolean x : poison) {
      truePoisons += x ? 1 : 0;
    }
    int hit = 0;
    for (ScanFiles.Entry e : entries) {
      hit += e.flagged() && s.truth().contains(e.id()) ? 1 : 0;
    }
    caption
        .append("Flags: precision ")
        .append(
            num(
                s.scan().flagged().isEmpty()
                    ? Double.NaN
                    : hit / (double) s.scan().flagged().size(),
                3))
        .append(", recall ")
        .append(num(truePoisons == 0 ? Double.NaN : hit / (double) truePoisons, 3))
        .append(" (")
        .append(truePoisons)
        .append(" poisons among ")
        .append(entries.size())
        .append(").");
    Charts.Range unit = new Charts.Range(0, 1);
    b.append(
        figure(
            Charts.line(
                s.name() + ": ROC", "false positive rate", "true positive rate", roc, unit, unit),
            caption.toString()));
    b.append(
        figure(
            Charts.line(
                s.name() + ": precision-recall",
                "recall",
                "precision",
                pr,
                unit,
                new Charts.Range(0, 1.02)),
            "Precision against recall as the threshold falls from the highest score."));
    b.append(
        figure(
            Charts.histogram(
                s.scan().method() + ": scores",
                "score",
                select(scores, poison, false),
                select(scores, poison, true),
                "clean",
                "poison",
                ReportRenderer.HISTOGRAM_BINS),
            "Score histogram, poisons in red; each poison's score also has a tick below the axis."));
    return b.toString();
  }

  /**
   * The file's own scores under its method name, and each detector's scores when the file keeps
   * them ({@code "detectors": {name: {"scores": [{"id", "score"}...]}}}), aligned to {@code
   * entries}.
   */
  private static Map<String, double[]> perDetectorScores(
      RunFolder.Scored s, List<ScanFiles.Entry> entries) {
    Map<String, double[]> out = new LinkedHashMap<>();
    out.put(s.scan().method(), entries.stream().mapToDouble(ScanFiles.Entry::score).toArray());
    JsonNode detectors = s.raw().path("detectors");
    if (!detectors.isObject()) {
      return out;
    }
    Map<String, Integer> position = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      position.put(entries.get(i).id(), i);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = detectors.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> d = it.next();
      JsonNode sc = d.getValue().path("scores");
      if (!sc.isArray() || sc.isEmpty()) {
        continue;
      }
      double[] v = new double[entries.size()];
      java.util.Arrays.fill(v, Double.NaN);
      for (JsonNode e : sc) {
        Integer i = position.get(e.path("id").asText());
        if (i != null && e.path("score").isNumber()) {
          v[i] = e.path("score").asDouble();
        }
      }
      out.put(d.getKey(), v);
    }
    return out;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static double[] select(double[] values, boolean[] mask, boolean want) {
    int n = 0;
    for (boolean m : mask) {
      n += m == want ? 1 : 0;
    }
    double[] out = new double[n];
    int k = 0;
    for (int i = 0; i < values.length; i++) {
      if (mask[i] == want) {
        out[k++] = values[i];
      }
    }
    return out;
  }

  static String figure(String svg, String caption) {
    if (svg.isEmpty()) {
      return "";
    }
    return "<figure>" + svg + "<figcaption>" + esc(caption) + "</figcaption></figure>\n";
  }
}
