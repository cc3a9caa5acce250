package org.poisonlab.defense;

import java.util.List;
import java.util.Set;
import org.poisonlab.eval.Rankings;

/**
 * How well a detection matches the truth (docs/metrics.md, "Detection").
 *
 * @param poisons the number of examples whose id is in the truth set (ids absent from the data do
 *     not count)
 * @param flaggedCount how many examples were flagged
 * @param precision share of flagged examples that are poisons; 0 when nothing is flagged
 * @param recall share of poisons that are flagged; 0 when there are no poisons
 * @param auroc probability that a random poison scores above a random clean example, ties counting
 *     one half (the Mann–Whitney statistic with mid-ranks); NaN when either group is empty
 * @param recallAtBudget share of poisons among the {@code ⌈1.5 × poisons⌉} highest scores (ties
 *     broken by dataset position), the removal budget of Tran, Li and Madry 2018 ("Spectral
 *     Signatures in Backdoor Attacks"); 0 when there are no poisons
 */
public record DetectionMetrics(
    int poisons,
    int flaggedCount,
    double precision,
    double recall,
    double auroc,
    double recallAtBudget) {

  /** The removal budget as a multiple of the true poison count. */
  public static final double BUDGET_FACTOR = 1.5;

  /**
   * Scores a detection against the truth.
   *
   * @param ids the examples' ids in dataset order; not modified
   * @param scores one per id, higher = more suspicious; not modified
   * @param flagged one per id; not modified
   * @param truth the poisoned ids; not modified
   * @throws IllegalArgumentException if the lengths differ
   */
  public static DetectionMetrics of(
      List<String> ids, double[] scores, boolean[] flagged, Set<String> truth) {
    int n = ids.size();
    if (scores.length != n || flagged.length != n) {
      throw new IllegalArgumentException(
          n + " ids, " + scores.length + " scores and " + flagged.length + " flags differ");
    }
    boolean[] poison = new boolean[n];
    int p = 0;
    int f = 0;
    int tp = 0;
    for (int i = 0; i < n; i++) {
      poison[i] = truth.contains(ids.get(i));
      p += poison[i] ? 1 : 0;
      f += flagged[i] ? 1 : 0;
      tp += poison[i] && flagged[i] ? 1 : 0;
    }
    double precision = f == 0 ? 0 : (double) tp / f;
    double recall = p == 0 ? 0 : (double) tp / p;
    return new DetectionMetrics(
        p, f, precision, recall, Rankings.auroc(scores, poison), recallAtBudget(scores, poison, p));
  }

  /** {@link #of(List, double[], boolean[], Set)} for a detection over {@code ids}. */
  public static DetectionMetrics of(List<String> ids, Detection d, Set<String> truth) {
    return of(ids, d.scores(), d.flagged(), truth);
  }

  static double recallAtBudget(double[] scores, boolean[] positive, int poisons) {
    if (poisons == 0) {
      return 0;
    }
    int budget = (int) Math.min(scores.length, Math.ceil(BUDGET_FACTOR * poisons));
    int[] top = Rankings.descending(scores);
    int hit = 0;
    for (int j = 0; j < budget; j++) {
      hit += positive[top[j]] ? 1 : 0;
    }
    return (double) hit / poisons;
  }
}
