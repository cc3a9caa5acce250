package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingsTest {
  @Test
  void descendingKeepsDatasetOrderWithinTiesAndPutsNaNLast() {
    double[] s = {0.5, Double.NaN, 2, 0.5, -1, 2};
    assertArrayEquals(new int[] {2, 5, 0, 3, 4, 1}, Rankings.descending(s));
  }

  /** AUROC by its definition: over all positive–negative pairs, 1 for a win, 1/2 for a tie. */
  private static double pairwise(double[] s, boolean[] pos) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s.length; j++) {
        if (pos[i] && !pos[j]) {
          double a = Double.isNaN(s[i]) ? Double.NEGATIVE_INFINITY : s[i];
          double b = Double.isNaN(s[j]) ? Double.NEGATIVE_INFINITY : s[j];
          wins += a > b ? 1 : a == b ? 0.5 : 0;
          pairs++;
        }
      }
    }
    return wins / pairs;
  }

  @Test
  void aurocEqualsThePairwiseDefinitionWithTiesAndNaN() {
    SplittableRandom r = new SplittableRandom(42);
    for (int draw = 0; draw < 50; draw++) {
      int n = 2 + r.nextInt(60);
      double[] s = new double[n];
      boolean[] pos = new boolean[n];
      pos[0] = true;
      for (int i = 0; i < n; i++) {
        s[i] = r.nextInt(10) == 0 ? Double.NaN : r.nextInt(6);
        pos[i] = i == 0 || (i > 1 && r.nextBoolean());
      }
      assertEquals(pairwise(s, pos), Rankings.auroc(s, pos), 1e-12, "draw " + draw);
    }
  }

  @Test
  void aurocIsUndefinedWithoutBothClasses() {
    assertTrue(Double.isNaN(Rankings.auroc(new double[] {1, 2}, new boolean[] {true, true})));
  }
}
