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
            claimText
          });
    }
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
