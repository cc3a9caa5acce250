package org.poisonlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.poisonlab.results.AfterPurge;
import org.poisonlab.results.DefenseSummary;
import org.poisonlab.results.DemoTable;
import org.poisonlab.results.DetectionRow;
import org.poisonlab.results.DetectionTable;
import org.poisonlab.results.DetectorScore;
import org.poisonlab.results.EvalVerdict;
import org.poisonlab.results.FlipRecovery;
import org.poisonlab.results.ManifestCheck;
import org.poisonlab.results.Score;
import org.poisonlab.results.SeedClaim;
import org.poisonlab.results.SourceFlags;
import org.poisonlab.results.SourcePurge;
import org.poisonlab.results.TableRow;
import org.poisonlab.results.TraceSummary;

/** Renders the demo's table as aligned plain text for a terminal. */
public final class TableText {
  private TableText() {}

  /**
   * The table: one line per row of {@code table.json}, measured values beside the seed's claims.
   */
  public static String render(DemoTable table) {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "Attack",
          "Dataset",
          "Model",
          "Budget",
          "Clean acc",
          "Poisoned acc",
          "ASR",
          "Detectable by eval? (p)",
          "Default scan (P/R)",
          "After purge acc / ASR",
          "Hindsight best (P/R)",
          "Seed claims"
        });
    for (TableRow row : table.rows()) {
      Score poisoned = row.poisoned();
      EvalVerdict det = row.detectableByEval();
      SeedClaim claim = row.seedClaim();
      String asr = poisoned.attackSuccessRate() != null ? fmt(poisoned.attackSuccessRate()) : "n/a";
      Score after = row.afterSafetyFinetune();
      if (after != null) {
        asr += " -> " + fmt(after.attackSuccessRate()) + " after safety FT";
      }
      String claimText =
          claim.budget() != null
              ? claim.budget() + " / " + claim.detectableByEval() + " / " + claim.knownDefense()
              : String.valueOf(claim.note());
      lines.add(
          new String[] {
            row.attack(),
            row.dataset(),
            row.model(),
            row.budget().count()
                + String.format(Locale.ROOT, " (%.1f%%)", 100 * row.budget().rate()),
            fmt(row.clean().accuracy()),
            fmt(poisoned.accuracy()),
            asr,
            (det.verdict() ? "yes" : "no") + " (p=" + pfmt(det.pValue()) + ")",
            defenseText(row.defense()),
            afterText(row.afterPurge()),
            defenseText(row.defenseHindsight()),
            claimText
          });
    }
    return align(lines);
  }

  private static String align(List<String[]> lines) {
    int[] w = new int[lines.get(0).length];
    for (String[] l : lines) {
      for (int i = 0; i < l.length; i++) {
        w[i] = Math.max(w[i], l[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < lines.size(); r++) {
      String[] l = lines.get(r);
      for (int i = 0; i < l.length; i++) {
        sb.append(i == 0 ? "" : "  ");
        sb.append(i == l.length - 1 ? l[i] : pad(l[i], w[i]));
      }
      sb.append('\n');
      if (r == 0) {
        int total = 0;
        for (int x : w) {
          total += x + 2;
        }
        sb.append("-".repeat(total - 2)).append('\n');
      }
    }
    return sb.toString();
  }

  private static String defenseText(DefenseSummary d) {
    if (d == null) {
      return "-";
    }
    String at = "";
    if (d.budget() != null) {
      at = String.format(Locale.ROOT, " @%.0f%%", 100 * d.budget().rate());
    }
    return d.name() + " (" + fmt2(d.precision()) + "/" + fmt2(d.recall()) + ")" + at;
  }

  private static String afterText(AfterPurge a) {
    if (a == null) {
      return "-";
    }
    String s = fmt(a.accuracy());
    FlipRecovery r = a.recovery();
    if (a.attackSuccessRate() != null) {
      s += " / " + fmt(a.attackSuccessRate());
    } else if (r != null) {
      double won = a.accuracy() - r.poisonedAccuracy();
      s +=
          String.format(
              Locale.ROOT,
              " (flips cost %.1f pt, won back %.1f)",
              100 * r.accuracyLost(),
              100 * won);
    }
    SourcePurge bySource = a.bySource();
    if (bySource != null) {
      s += "; by source " + fmt(bySource.accuracy());
      if (bySource.attackSuccessRate() != null) {
        s += " / " + fmt(bySource.attackSuccessRate());
      }
    }
    return s;
  }

  /**
   * The detection table: one line per detector and row of {@code detection.json}: precision,
   * recall, AUROC, recall at 1.5 × the poison count, seconds; the chosen detector marked with *.
   */
  public static String renderDetection(DetectionTable detection) {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "Attack",
          "Dataset",
          "Poisons",
          "Detector",
          "Flagged",
          "Precision",
          "Recall",
          "AUROC",
          "Recall@1.5x",
          "Seconds"
        });
    for (DetectionRow row : detection.rows()) {
      List<DetectorScore> dets = new ArrayList<>(row.detectors());
      dets.add(row.combined());
      for (DetectorScore d : dets) {
        boolean best = d.name().equals(row.best());
        lines.add(
            new String[] {
              row.attack(),
              row.dataset(),
              String.valueOf(row.poisons()),
              d.name() + (best ? " *" : ""),
              String.valueOf(d.flagged()),
              fmt(d.precision()),
              fmt(d.recall()),
              d.auroc() == null ? "n/a" : fmt(d.auroc()),
              fmt(d.recallAt15x()),
              d.seconds() != null ? String.format(Locale.ROOT, "%.1f", d.seconds()) : ""
            });
      }
    }
    return align(lines) + "* the detector whose flags were purged (" + detection.bestRule() + ")\n";
  }

  /**
   * The trace and provenance lines: per row of {@code table.json} that has them, the trace's
   * recall, the sources it ranks first and the row after purging its top examples; and how many
   * poisons the check against the signed manifest of the clean split caught. "" when no row has
   * either.
   */
  public static String renderTraceAndProvenance(DemoTable table) {
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "Attack",
          "Dataset",
          "Trace (recall@k)",
          "Sources ranked first",
          "After trace purge (top 1.5k) acc / ASR",
          "Manifest check: poisons caught, clean flagged"
        });
    for (TableRow row : table.rows()) {
      TraceSummary t = row.trace();
      ManifestCheck p = row.provenance();
      if (t == null && p == null) {
        continue;
      }
      String trace = "-";
      String sources = "-";
      String after = "-";
      if (t != null) {
        trace = t.method() + " (" + fmt(t.recallAtK()) + ")";
        List<String> names = new ArrayList<>();
        for (SourceFlags src : t.topSources()) {
          names.add(src.source() + " " + src.flagged() + "/" + src.total());
        }
        sources = names.isEmpty() ? "-" : String.join(", ", names);
        after = afterText(t.afterPurge());
        if (t.afterPurgeTopK() != null) {
          after += " (top k: " + afterText(t.afterPurgeTopK()) + ")";
        }
      }
      String check =
          p == null
              ? "-"
              : p.poisonsCaught()
                  + " of "
                  + p.poisons()
                  + ", "
                  + p.cleanFlagged()
                  + " (signature "
                  + p.signature()
                  + ")";
      lines.add(new String[] {row.attack(), row.dataset(), trace, sources, after, check});
    }
    return lines.size() == 1 ? "" : align(lines);
  }

  private static String fmt2(Object o) {
    return o instanceof Number n
        ? String.format(Locale.ROOT, "%.2f", n.doubleValue())
        : String.valueOf(o);
  }

  private static String pad(String s, int w) {
    return s + " ".repeat(w - s.length());
  }

  private static String fmt(Object o) {
    return o instanceof Number n
        ? String.format(Locale.ROOT, "%.3f", n.doubleValue())
        : String.valueOf(o);
  }

  private static String pfmt(Object o) {
    if (!(o instanceof Number n)) {
      return String.valueOf(o);
    }
    double p = n.doubleValue();
    return p < 1e-3 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
  }
}
