package org.poisonlab.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Orders and areas over suspicion scores, with one rule for ties and NaN everywhere: a higher score
 * is more suspicious; NaN counts as the lowest score (no evidence); examples with equal scores keep
 * their dataset order in an inspection order and share their mean rank in rank statistics.
 */
public final class Rankings {
  private Rankings() {}

  private static double key(double s) {
    return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
  }

  /**
   * Positions by descending score, ties by ascending position, NaN last: the order in which a user
   * inspects flagged examples.
   *
   * @param scores not modified
   * @return a new permutation of {@code 0 … scores.length − 1}
   */
  public static int[] descending(double[] scores) {
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Double.compare(key(scores[b]), key(scores[a]));
          return c != 0 ? c : Integer.compare(a, b);
        });
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /**
   * The area under the ROC curve: the probability that a random positive scores above a random
   * negative, ties counting one half (the Mann–Whitney statistic from mid-ranks, Hanley &amp;
   * McNeil 1982).
   *
   * @param scores not modified
   * @param positive not modified; same length
   * @return NaN when there is no positive or no negative
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double auroc(double[] scores, boolean[] positive) {
    int n = scores.length;
    if (positive.length != n) {
      throw new IllegalArgumentException(n + " scores against " + positive.length + " labels");
    }
    int[] order = descending(scores);
    double rankSum = 0;
    long pos = 0;
    for (int a = 0; a < n; ) {
      int b = a;
      while (b + 1 < n && key(scores[order[b + 1]]) == key(scores[order[a]])) {
        b++;
      }
      // descending positions a..b hold ascending ranks n − b … n − a
      double midRank = n - (a + b) / 2.0;
      for (int j = a; j <= b; j++) {
        if (positive[order[j]]) {
          rankSum += midRank;
          pos++;
        }
      }
      a = b + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
