package org.poisonlab.experiment;

import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.results.MethodResult;
import org.poisonlab.results.StudyPurge;
import org.poisonlab.results.StudyScore;
import org.poisonlab.results.TargetedRate;

/** The pieces a study point's results are built from: rankings and rounded records. */
final class StudyParts {
  private StudyParts() {}

  /** Indices by score, highest first; ties by position. */
  static Integer[] rankDescending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Highest first; ties by position, so the ranking does not depend on the sort.
    java.util.Arrays.sort(
        order,
        (x, y) -> {
          int c = Double.compare(scores[y], scores[x]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    return order;
  }

  /** {@code e} rounded; with the accuracy drop from {@code clean} when that is not null. */
  static StudyScore studyScore(EvalReport e, EvalReport clean) {
    TargetedRate rate = null;
    if (e.attackSuccessRate() != null) {
      rate =
          new TargetedRate(
              e.attackSuccessUndefined() ? null : Rounding.round(e.attackSuccessRate()));
    }
    Double drop = clean == null ? null : Rounding.round(clean.accuracy() - e.accuracy());
    return new StudyScore(Rounding.round(e.accuracy()), rate, drop);
  }

  static MethodResult methodResult(
      Recipe.Method method,
      Integer behavior,
      Double recallAtK,
      DetectionMetrics dm,
      StudyPurge after) {
    return new MethodResult(
        method.name(),
        method.options(),
        behavior,
        recallAtK,
        dm.flaggedCount(),
        Rounding.round(dm.precision()),
        Rounding.round(dm.recall()),
        Double.isNaN(dm.auroc()) ? null : Rounding.round(dm.auroc()),
        Rounding.round(dm.recallAtBudget()),
        after);
  }
}
