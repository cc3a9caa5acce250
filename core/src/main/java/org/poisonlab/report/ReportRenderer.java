package org.poisonlab.report;

import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;
import static org.poisonlab.report.Html.percent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.poisonlab.data.Example;
import org.poisonlab.defense.ScanFiles;

/** Builds the HTML page from a {@link RunFolder}: one method per {@link Section}. */
final class ReportRenderer {
  /** Examples shown per scan or trace file. */
  static final int TOP_EXAMPLES = 6;

  /** Sources shown per scan or trace file. */
  static final int TOP_SOURCES = 12;

  /** Points kept per ROC or PR curve. */
  static final int CURVE_POINTS = 300;

  static final int HISTOGRAM_BINS = 30;

  private static final Pattern PATCH =
      Pattern.compile("patch:(\\d{1,4})x(\\d{1,4})@(\\d{1,4}),(\\d{1,4})(?:=\\d{1,3})?");

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
            case SEED_TABLE -> seedTable();
            case BUDGET -> budget();
            case DETECTION -> detection();
            case EXAMPLES -> examples();
            case SOURCES -> sources();
            case TRACE -> trace();
            case VERIFICATION -> verification();
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

  // ---------------------------------------------------------------- the seed's table

  private String seedTable() {
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

  private String budget() {
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

  // ---------------------------------------------------------------- detection

  private String detection() {
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
        + " flagged</span></h3>\n<div class=\"grid\">\n"
        + scoredFigures(s)
        + "</div>\n";
  }

  /**
   * The figures of a scan or trace file: with its truth, ROC, precision-recall and a score
   * histogram with the poisons marked; without, a histogram with the flagged examples marked.
   */
  private String scoredFigures(RunFolder.Scored s) {
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
                  HISTOGRAM_BINS),
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
      double[][] r = Curves.thin(c.fpr(), c.tpr(), CURVE_POINTS);
      double[][] p = Curves.thin(c.recall(), c.precision(), CURVE_POINTS);
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
                HISTOGRAM_BINS),
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

  private static String figure(String svg, String caption) {
    if (svg.isEmpty()) {
      return "";
    }
    return "<figure>" + svg + "<figcaption>" + esc(caption) + "</figcaption></figure>\n";
  }

  // ---------------------------------------------------------------- examples

  private String examples() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Scored s : in.scans) {
      b.append(topExamples(s, "flagged by scan"));
    }
    return b.toString();
  }

  private String topExamples(RunFolder.Scored s, String what) {
    List<ScanFiles.Entry> top =
        s.scan().scores().subList(0, Math.min(TOP_EXAMPLES, s.scan().scores().size()));
    if (top.isEmpty()) {
      return "";
    }
    JsonNode row = in.rowFor(s.name());
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
  private String cards(
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
  private static List<String> highlightTerms(RunFolder.Scored s, JsonNode row) {
    List<String> out = new ArrayList<>();
    for (JsonNode spec : new JsonNode[] {row, s.attack()}) {
      if (spec == null || !out.isEmpty()) {
        continue;
      }
      for (String f : new String[] {"trigger", "phrase"}) {
        String t = spec.path(f).asText("");
        if (!t.isEmpty() && !t.startsWith("patch:") && !out.contains(t)) {
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
  private static Thumbnails.Box patchBox(RunFolder.Scored s, JsonNode row) {
    for (JsonNode spec : new JsonNode[] {row, s.attack()}) {
      if (spec == null) {
        continue;
      }
      Matcher m = PATCH.matcher(spec.path("trigger").asText(""));
      if (m.matches()) {
        return new Thumbnails.Box(
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)),
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)));
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

  private String sources() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Scored s : in.scans) {
      b.append(sourceFigure(s));
    }
    return b.isEmpty() ? "" : "<div class=\"grid\">\n" + b + "</div>\n";
  }

  /** The sources of a scan or trace file as bars, or "" when no example has a source. */
  private static String sourceFigure(RunFolder.Scored s) {
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
    for (ScanFiles.SourceCount c : named.subList(0, Math.min(TOP_SOURCES, named.size()))) {
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

  // ---------------------------------------------------------------- traces

  private String trace() {
    StringBuilder b = new StringBuilder();
    for (RunFolder.Scored s : in.traces) {
      List<ScanFiles.Entry> entries = s.scan().scores();
      if (entries.isEmpty()) {
        continue;
      }
      JsonNode raw = s.raw();
      JsonNode row = in.rowFor(s.name());
      List<String> terms = highlightTerms(s, row);
      Thumbnails.Box box = patchBox(s, row);
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
      List<ScanFiles.Entry> top = entries.subList(0, Math.min(TOP_EXAMPLES, entries.size()));
      b.append(cards(s, top, terms, box));
      b.append("<div class=\"grid\">\n")
          .append(scoredFigures(s))
          .append(sourceFigure(s))
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

  private String verification() {
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

  private static void kv(StringBuilder b, String key, String value) {
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
