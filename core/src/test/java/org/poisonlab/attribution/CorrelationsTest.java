package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorrelationsTest {
  @Test
  void tiesShareTheMeanOfTheirPositions() {
    assertArrayEquals(
        new double[] {1, 2.5, 2.5, 4}, Correlations.ranks(new double[] {-1, 3, 3, 7}), 0);
  }

  @Test
  void spearmanWithTiesMatchesScipy() {
    // scipy.stats.spearmanr([1, 2, 2, 3, 5], [2, 1, 4, 4, 9]).correlation = 0.7631578947368421
    double rho = Correlations.spearman(new double[] {1, 2, 2, 3, 5}, new double[] {2, 1, 4, 4, 9});
    assertEquals(0.7631578947368421, rho, 1e-12);
  }

  @Test
  void pearsonAndSlopeOfAnExactLineAreOneAndItsSlope() {
    double[] x = {0.5, -2, 3, 8, 1};
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = 1e-4 * x[i] - 7;
    }
    assertEquals(1, Correlations.pearson(x, y), 1e-12);
    assertEquals(1e-4, Correlations.slope(x, y), 1e-16);
    assertTrue(Double.isNaN(Correlations.pearson(x, new double[] {2, 2, 2, 2, 2})));
  }

  @Test
  void spearmanIsUnchangedByAMonotoneTransformOfEitherSide() {
    qt().withFixedSeed(5)
        .forAll(lists().of(doubles().between(-1e3, 1e3)).ofSizeBetween(3, 30))
        .checkAssert(
            xs -> {
              double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
              double[] y = noise(x.length, xs.hashCode());
              double[] fx = new double[x.length];
              for (int i = 0; i < x.length; i++) {
                fx[i] = Math.exp(x[i] / 100) * 3 + 1;
              }
              double a = Correlations.spearman(x, y);
              double b = Correlations.spearman(fx, y);
              if (!Double.isNaN(a)) {
                assertEquals(a, b, 1e-12);
              }
            });
  }

  @Test
  void aSampleHoldsDistinctSortedPositions() {
    int[] s = AttributionEvaluation.sample(50, 25, new SplittableRandom(3));
    assertEquals(25, s.length);
    for (int i = 1; i < s.length; i++) {
      assertTrue(s[i] > s[i - 1]);
    }
    assertTrue(s[0] >= 0 && s[s.length - 1] < 50);
  }

  @Test
  void theMarginIsTheLogOddsOfTheCorrectClass() {
    for (double p : List.of(0.001, 0.3, 0.5, 0.9, 0.999999)) {
      assertEquals(Math.log(p / (1 - p)), AttributionEvaluation.margin(-Math.log(p)), 1e-6);
    }
  }

  private static double[] noise(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(7);
    }
    return y;
  }
}
