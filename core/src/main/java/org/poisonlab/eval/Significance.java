package org.poisonlab.eval;

/**
 * Tail probabilities and multiple-testing control shared by the detectors' findings and the scan.
 */
public final class Significance {
  private Significance() {}

  /**
   * {@code P(Z ≥ z)} for a standard normal Z, through the complementary error function {@code
   * erfc(z / √2) / 2}; relative error below 1.2e-7 for every z (the Chebyshev fit of {@code erfc}
   * in Press et al., Numerical Recipes, 2nd ed., §6.2), so tails as small as 1e-300 keep their
   * digits.
   */
  public static double normalUpperTail(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    return erfc(z / Math.sqrt(2)) / 2;
  }

  private static double erfc(double x) {
    double a = Math.abs(x);
    double t = 1 / (1 + 0.5 * a);
    double poly =
        -1.26551223
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
                                                                                * 0.17087277))))))));
    double r = t * Math.exp(-a * a + poly);
    return x >= 0 ? r : 2 - r;
  }

  /**
   * Benjamini–Hochberg adjusted p-values ("q-values", Benjamini &amp; Hochberg 1995): for the
   * hypotheses sorted by p-value, {@code q_(i) = min_{j ≥ i} min(1, m · p_(j) / j)}; a hypothesis
   * is rejected at false-discovery rate Q when {@code q ≤ Q}. NaN entries (untested) are left NaN
   * and do not count in m.
   *
   * @param p not modified
   */
  public static double[] benjaminiHochberg(double[] p) {
    int m = 0;
    for (double v : p) {
      m += Double.isNaN(v) ? 0 : 1;
    }
    Integer[] order = new Integer[p.length];
    for (int i = 0; i < p.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (a, b) -> {
          boolean na = Double.isNaN(p[a]);
          boolean nb = Double.isNaN(p[b]);
          if (na || nb) {
            return na == nb ? Integer.compare(a, b) : (na ? 1 : -1);
          }
          int c = Double.compare(p[a], p[b]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    double[] q = new double[p.length];
    java.util.Arrays.fill(q, Double.NaN);
    double running = 1;
    for (int r = m - 1; r >= 0; r--) {
      int i = order[r];
      running = Math.min(running, Math.min(1, p[i] * m / (r + 1)));
      q[i] = running;
    }
    return q;
  }
}
