package org.poisonlab.cli;

import java.util.List;
import java.util.Locale;
import org.poisonlab.results.MethodResult;
import org.poisonlab.results.StudyPurge;
import org.poisonlab.results.StudyResults;
import org.poisonlab.results.StudyRun;
import org.poisonlab.results.TargetedRate;

/** A study's results as a plain-text table: one line per run, one per detector or attributor. */
final class StudyText {
  private StudyText() {}

  static String render(StudyResults results) {
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
    for (StudyRun run : results.runs()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-5s %-16s %-12s %7s %9s %9s %9s %9s%n",
              run.seed(),
              run.dataset(),
              run.attack().get("kind"),
              run.budget().count(),
              num(run.clean().accuracy()),
              num(run.poisoned().accuracy()),
              num(rate(run.poisoned().rate())),
              num(run.detectableByEval().pValue())));
      for (List<MethodResult> group : List.of(run.detectors(), run.attributors())) {
        for (MethodResult d : group) {
          StudyPurge after = d.afterPurge();
          sb.append(
              String.format(
                  Locale.ROOT,
                  "      %-22s precision %s recall %s AUROC %s",
                  d.name(),
                  num(d.precision()),
                  num(d.recall()),
                  num(d.auroc())));
          sb.append(
              after == null
                  ? String.format(Locale.ROOT, "; flagged %d (not purged)%n", d.flagged())
                  : String.format(
                      Locale.ROOT,
                      "; purged %s (%s poisons): acc %s ASR %s%n",
                      after.removed(),
                      after.poisonsRemoved(),
                      num(after.accuracy()),
                      num(rate(after.rate()))));
        }
      }
    }
    return sb.toString();
  }

  private static Double rate(TargetedRate r) {
    return r == null ? null : r.attackSuccessRate();
  }

  private static String num(Object o) {
    if (o instanceof Number n) {
      return String.format(Locale.ROOT, "%.3f", n.doubleValue());
    }
    return "-";
  }
}
