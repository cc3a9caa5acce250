package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignificanceTest {
  @Test
  void normalTailMatchesKnownValuesToSevenDigitsDeepIntoTheTail() {
    double[][] known = {
      {0, 0.5},
      {1.959963984540054, 0.025},
      {-1.6448536269514722, 0.95},
      {3, 1.3498980316300946e-3},
      {5, 2.866515718791939e-7},
      {10, 7.619853024160527e-24},
      {30, 4.906713927148187e-198}
    };
    for (double[] k : known) {
      double got = Significance.normalUpperTail(k[0]);
      assertEquals(1, got / k[1], 2e-7, "P(Z >= " + k[0] + ")");
    }
  }

  @Test
  void benjaminiHochbergByHandWithAnUntestedEntry() {
    double[] q = Significance.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005, Double.NaN});
    assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02, Double.NaN}, q, 1e-12);
  }

  /**
   * The adjusted values reject exactly the step-up set: all p ≤ p_(k*), k* = max{k : p_(k) ≤ kQ/m}.
   */
  @Test
  void benjaminiHochbergRejectsTheStepUpSet() {
    qt().forAll(
            lists().of(doubles().between(0, 1)).ofSizeBetween(1, 30), doubles().between(0.001, 0.5))
        .checkAssert(
            (List<Double> ps, Double level) -> {
              double[] p = ps.stream().mapToDouble(Double::doubleValue).toArray();
              double[] sorted = p.clone();
              Arrays.sort(sorted);
              int m = p.length;
              double cut = -1;
              for (int k = m; k >= 1; k--) {
                if (sorted[k - 1] <= k * level / m) {
                  cut = sorted[k - 1];
                  break;
                }
              }
              double[] q = Significance.benjaminiHochberg(p);
              for (int i = 0; i < m; i++) {
                assertEquals(p[i] <= cut, q[i] <= level + 1e-15, "p " + p[i] + " cut " + cut);
                assertTrue(q[i] >= p[i] - 1e-15);
              }
            });
  }
}
