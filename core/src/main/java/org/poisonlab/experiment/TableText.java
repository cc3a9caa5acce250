package org.poisonlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the demo's table as aligned plain text for a terminal. */
public final class TableText {
  private TableText() {}

  /**
   * The table: one line per row of {@code table.json}, measured values beside the seed's claims.
   */
  @SuppressWarnings("unchecked")
  public static String render(Map<String, Object> table) {
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
          "Best defense (P/R)",
          "After purge acc / ASR",
          "Seed claims"
        });
    for (Map<String, Object> row : (List<Map<String, Object>>) table.get("rows")) {
      Map<String, Object> budget = (Map<String, Object>) row.get("budget");
      Map<String, Object> clean = (Map<String, Object>) row.get("clean");
      Map<String, Object> poisoned = (Map<String, Object>) row.get("poisoned");
      Map<String, Object> det = (Map<String, Object>) row.get("detectable_by_eval");
      Map<String, Object> claim = (Map<String, Object>) row.get("seed_claim");
      String asr =
          poisoned.containsKey("attack_success_rate")
              ? fmt(poisoned.get("attack_success_rate"))
              : "n/a";
      Map<String, Object> after = (Map<String, Object>) row.get("after_safety_finetune");
      if (after != null) {
        asr += " -> " + fmt(after.get("attack_success_rate")) + " after safety FT";
      }
      String claimText =
          claim.containsKey("budget")
              ? claim.get("budget")
                  + " / "
                  + claim.get("detectable_by_eval")
                  + " / "
                  + claim.get("known_defense")
              : String.valueOf(claim.get("note"));
      lines.add(
          new String[] {
            String.valueOf(row.get("attack")),
            String.valueOf(row.get("dataset")),
            String.valueOf(row.get("model")),
            budget.get("count")
                + String.format(
                    Locale.ROOT, " (%.1f%%)", 100 * ((Number) budget.get("rate")).doubleValue()),
            fmt(clean.get("accuracy")),
            fmt(poisoned.get("accuracy")),
            asr,
            (Boolean.TRUE.equals(det.get("verdict")) ? "yes" : "no")
                + " (p="
                + pfmt(det.get("p_value"))
                + ")",
            defenseText((Map<String, Object>) row.get("defense")),
            afterText((Map<String, Object>) row.get("after_purge")),
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

  @SuppressWarnings("unchecked")
  private static String defenseText(Map<String, Object> d) {
    if (d == null) {
      return "-";
    }
    String at = "";
    Map<String, Object> b = (Map<String, Object>) d.get("budget");
    if (b != null) {
      at = String.format(Locale.ROOT, " @%.0f%%", 100 * ((Number) b.get("rate")).doubleValue());
    }
    return d.get("name") + " (" + fmt2(d.get("precision")) + "/" + fmt2(d.get("recall")) + ")" + at;
  }

  @SuppressWarnings("unchecked")
  private static String afterText(Map<String, Object> a) {
    if (a == null) {
      return "-";
    }
    String s = fmt(a.get("accuracy"));
    if (a.containsKey("attack_success_rate")) {
      s += " / " + fmt(a.get("attack_success_rate"));
    } else if (a.get("accuracy_lost") != null) {
      double lost = ((Number) a.get("accuracy_lost")).doubleValue();
      double won =
          ((Number) a.get("accuracy")).doubleValue()
              - ((Number) a.get("poisoned_accuracy")).doubleValue();
      s +=
          String.format(Locale.ROOT, " (flips cost %.1f pt, won back %.1f)", 100 * lost, 100 * won);
    }
    Map<String, Object> bySource = (Map<String, Object>) a.get("by_source");
    if (bySource != null) {
      s += "; by source " + fmt(bySource.get("accuracy"));
      if (bySource.containsKey("attack_success_rate")) {
        s += " / " + fmt(bySource.get("attack_success_rate"));
      }
    }
    return s;
  }

  /**
   * The detection table: one line per detector and row of {@code detection.json}: precision,
   * recall, AUROC, recall at 1.5 × the poison count, seconds; the chosen detector marked with *.
   */
  @SuppressWarnings("unchecked")
  public static String renderDetection(Map<String, Object> detection) {
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
    for (Map<String, Object> row : (List<Map<String, Object>>) detection.get("rows")) {
      List<Map<String, Object>> dets =
          new ArrayList<>((List<Map<String, Object>>) row.get("detectors"));
      dets.add((Map<String, Object>) row.get("combined"));
      for (Map<String, Object> d : dets) {
        boolean best = d.get("name").equals(row.get("best"));
        lines.add(
            new String[] {
              String.valueOf(row.get("attack")),
              String.valueOf(row.get("dataset")),
              String.valueOf(row.get("poisons")),
              d.get("name") + (best ? " *" : ""),
              String.valueOf(d.get("flagged")),
              fmt(d.get("precision")),
              fmt(d.get("recall")),
              d.get("auroc") == null ? "n/a" : fmt(d.get("auroc")),
              fmt(d.get("recall_at_1_5x")),
              d.containsKey("seconds")
                  ? String.format(Locale.ROOT, "%.1f", ((Number) d.get("seconds")).doubleValue())
                  : ""
            });
      }
    }
    return align(lines)
        + "* the detector whose flags were purged ("
        + detection.get("best_rule")
        + ")\n";
  }

  /**
   * The trace and provenance lines: per row of {@code table.json} that has them, the trace's
   * recall, the sources it ranks first and the row after purging its top examples; and how many
   * poisons the check against the signed manifest of the clean split caught. "" when no row has
   * either.
   */
  @SuppressWarnings("unchecked")
  public static String renderTraceAndProvenance(Map<String, Object> table) {
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
    for (Map<String, Object> row : (List<Map<String, Object>>) table.get("rows")) {
      Map<String, Object> t = (Map<String, Object>) row.get("trace");
      Map<String, Object> p = (Map<String, Object>) row.get("provenance");
      if (t == null && p == null) {
        continue;
      }
      String trace = "-";
      String sources = "-";
      String after = "-";
      if (t != null) {
        trace = t.get("method") + " (" + fmt(t.get("recall_at_k")) + ")";
        List<String> names = new ArrayList<>();
        for (Map<String, Object> src : (List<Map<String, Object>>) t.get("top_sources")) {
          names.add(src.get("source") + " " + src.get("flagged") + "/" + src.get("total"));
        }
        sources = names.isEmpty() ? "-" : String.join(", ", names);
        after = afterText((Map<String, Object>) t.get("after_purge"));
        Map<String, Object> atK = (Map<String, Object>) t.get("after_purge_top_k");
        if (atK != null) {
          after += " (top k: " + afterText(atK) + ")";
        }
      }
      String check =
          p == null
              ? "-"
              : p.get("poisons_caught")
                  + " of "
                  + p.get("poisons")
                  + ", "
                  + p.get("clean_flagged")
                  + " (signature "
                  + p.get("signature")
                  + ")";
      lines.add(
          new String[] {
            String.valueOf(row.get("attack")),
            String.valueOf(row.get("dataset")),
            trace,
            sources,
            after,
            check
          });
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
