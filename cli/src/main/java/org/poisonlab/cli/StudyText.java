package org.poisonlab.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A study's results as a plain-text table: one line per run, one per detector or attributor. */
final class StudyText {
  private StudyText() {}

  @SuppressWarnings("unchecked")
  static String render(Map<String, Object> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-5s %-16s %-12s %7s %9s %9s %9s %9s%n",
            "seed",
            "dataset",
            "attack",
            "poisons",
            "clean acc",
            "pois acc",
            "ASR",
            "McNemar p"));
    for (Map<String, Object> run : (List<Map<String, Object>>) results.get("runs")) {
      Map<String, Object> attack = (Map<String, Object>) run.get("attack");
      Map<String, Object> budget = (Map<String, Object>) run.get("budget");
      Map<String, Object> clean = (Map<String, Object>) run.get("clean");
      Map<String, Object> poisoned = (Map<String, Object>) run.get("poisoned");
      Map<String, Object> mc = (Map<String, Object>) run.get("detectable_by_eval");
      sb.append(
          String.format(
              Locale.ROOT,
              "%-5s %-16s %-12s %7s %9s %9s %9s %9s%n",
              run.get("seed"),
              run.get("dataset"),
              attack.get("kind"),
              budget.get("count"),
              num(clean.get("accuracy")),
              num(poisoned.get("accuracy")),
              num(poisoned.get("attack_success_rate")),
              num(mc.get("p_value"))));
      for (String group : new String[] {"detectors", "attributors"}) {
        for (Map<String, Object> d : (List<Map<String, Object>>) run.get(group)) {
          Map<String, Object> after = (Map<String, Object>) d.get("after_purge");
          sb.append(
              String.format(
                  Locale.ROOT,
                  "      %-22s precision %s recall %s AUROC %s; purged %s (%s poisons): acc %s ASR %s%n",
                  d.get("name"),
                  num(d.get("precision")),
                  num(d.get("recall")),
                  num(d.get("auroc")),
                  after.get("removed"),
                  after.get("poisons_removed"),
                  num(after.get("accuracy")),
                  num(after.get("attack_success_rate"))));
        }
      }
    }
    return sb.toString();
  }

  private static String num(Object o) {
    if (o instanceof Number n) {
      return String.format(Locale.ROOT, "%.3f", n.doubleValue());
    }
    return "-";
  }
}
