package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class McNemarTest {

  @Test
  void tenDiscordantPairsAllOneWayGiveTwoOverTwoToTheTen() {
    assertEquals(0.001953125, McNemar.exactPValue(10, 0), 1e-15);
    assertEquals(0.001953125, McNemar.exactPValue(0, 10), 1e-15);
  }

  @Test
  void balancedOrNoDiscordanceGivesOne() {
    assertEquals(1.0, McNemar.exactPValue(5, 5));
    assertEquals(1.0, McNemar.exactPValue(0, 0));
    assertEquals(1.0, McNemar.exactPValue(6, 5));
  }

  @Test
  void smallCaseMatchesTheBinomialSum() {
    // n = 15: 2 * (1 + 15 + 105 + 455) / 2^15
    assertEquals(0.03515625, McNemar.exactPValue(3, 12), 1e-15);
  }

  @Test
  void largeCountsMatchExactArithmetic() {
    for (int[] bc : new int[][] {{600, 500}, {1400, 1600}, {255, 300}, {10, 5000}}) {
      double exact = exactByBigIntegers(bc[0], bc[1]);
      double got = McNemar.exactPValue(bc[0], bc[1]);
      assertEquals(exact, got, exact * 1e-10, "b=" + bc[0] + " c=" + bc[1]);
    }
  }

  @Test
  void veryLargeCountsAgreeWithTheNormalApproximation() {
    // continuity-corrected z = (|b - c| - 1) / sqrt(b + c); p = erfc(z / sqrt 2)
    for (int[] bc : new int[][] {{60_000, 59_000}, {1_000_000, 995_000}, {2_000_000, 1_990_000}}) {
      double z = (Math.abs(bc[0] - bc[1]) - 1) / Math.sqrt((double) bc[0] + bc[1]);
      double normal = erfc(z / Math.sqrt(2));
      double got = McNemar.exactPValue(bc[0], bc[1]);
      assertEquals(normal, got, normal * 0.02, "b=" + bc[0] + " c=" + bc[1]);
    }
  }

  @Test
  void overwhelmingEvidenceUnderflowsToZeroNotNaN() {
    assertEquals(0.0, McNemar.exactPValue(5000, 0));
  }

  @Test
  void countsDiscordantPairsAndAccuracies() {
    int[] truth = {0, 0, 1, 1, 2, 2, 0, 1};
    int[] a = {0, 0, 1, 1, 2, 0, 1, 1};
    int[] b = {0, 1, 1, 0, 2, 2, 1, 0};
    McNemar.Result r = McNemar.test(a, b, truth);
    assertEquals(8, r.n());
    assertEquals(3, r.b()); // positions 1, 3, 7
    assertEquals(1, r.c()); // position 5
    assertEquals(6 / 8.0, r.accuracyA());
    assertEquals(4 / 8.0, r.accuracyB());
    assertEquals(McNemar.exactPValue(3, 1), r.pValue());
  }

  @Test
  void verdictNeedsSignificanceAndAnAccuracyDrop() {
    boolean[] allRight = new boolean[100];
    boolean[] twentyWrong = new boolean[100];
    java.util.Arrays.fill(allRight, true);
    java.util.Arrays.fill(twentyWrong, 20, 100, true);
    assertTrue(McNemar.test(allRight, twentyWrong).detectableByEval());
    assertFalse(McNemar.test(twentyWrong, allRight).detectableByEval());
    boolean[] twoWrong = allRight.clone();
    twoWrong[0] = false;
    twoWrong[1] = false;
    assertFalse(McNemar.test(allRight, twoWrong).detectableByEval());
    assertEquals(false, McNemar.test(allRight, twoWrong).toJson().verdict());
    assertEquals("mcnemar", McNemar.test(allRight, twoWrong).toJson().test());
  }

  @Test
  void mismatchedLengthsAreRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> McNemar.test(new int[2], new int[3], new int[2]));
    assertThrows(IllegalArgumentException.class, () -> McNemar.exactPValue(-1, 2));
  }

  private static double exactByBigIntegers(int b, int c) {
    int n = b + c;
    int m = Math.min(b, c);
    BigInteger sum = BigInteger.ZERO;
    BigInteger choose = BigInteger.ONE;
    for (int i = 0; i <= m; i++) {
      if (i > 0) {
        choose = choose.multiply(BigInteger.valueOf(n - i + 1)).divide(BigInteger.valueOf(i));
      }
      sum = sum.add(choose);
    }
    BigDecimal p =
        new BigDecimal(sum.shiftLeft(1))
            .divide(new BigDecimal(BigInteger.ONE.shiftLeft(n)), new MathContext(40));
    return Math.min(1.0, p.doubleValue());
  }

  /**
   * Complementary error function with relative error below 1.2e-7 everywhere: the Chebyshev fit
   * given in Press et al., Numerical Recipes, 2nd ed., section 6.2.
   */
  private static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1 / (1 + 0.5 * z);
    double r =
        t
            * Math.exp(
                -z * z
                    - 1.26551223
                    + t
                        * (1.00002368
                            + t
                                * (0.37409196
                                    + t
                                        * (0.09678418
                                            + t
                                                * (-0.18628806
                                                    + t
                                                        * (0.27886807
                                                            + t
                                                                * (-1.13520398
                                                                    + t
                                                                        * (1.48851587
                                                                            + t
                                                                                * (-0.82215223
                                                                                    + t
                                                                                        * 0.17087277)))))))));
    return x >= 0 ? r : 2 - r;
  }
}
