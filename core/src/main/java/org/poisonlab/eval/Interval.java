package org.poisonlab.eval;

/**
 * A confidence interval for a proportion.
 *
 * <p>{@link #wilson} is the score interval of Wilson 1927 ("Probable Inference, the Law of
 * Succession, and Statistical Inference", JASA): for {@code k} successes in {@code n} trials,
 * {@code p = k/n}, it is {@code (p + z^2/2n ± z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)}. Unlike
 * the normal interval it stays inside [0, 1] and does not collapse at {@code p = 0} or {@code 1}.
 *
 * @param lower in [0, 1]
 * @param upper in [lower, 1]
 */
public record Interval(double lower, double upper) {
  /** The standard normal quantile for 95 % two-sided coverage. */
  public static final double Z95 = 1.959963984540054;

  /**
   * The 95 % Wilson interval; [0, 1] when {@code n == 0}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= successes <= n}
   */
  public static Interval wilson95(int successes, int n) {
    return wilson(successes, n, Z95);
  }

  /**
   * The Wilson interval for quantile {@code z}; [0, 1] when {@code n == 0}.
   *
   * @throws IllegalArgumentException unless {@code 0 <= successes <= n} and {@code z > 0}
   */
  public static Interval wilson(int successes, int n, double z) {
    if (successes < 0 || successes > n) {
      throw new IllegalArgumentException(successes + " successes in " + n + " trials");
    }
    if (!(z > 0)) {
      throw new IllegalArgumentException("z " + z + " is not positive");
    }
    if (n == 0) {
      return new Interval(0, 1);
    }
    double p = (double) successes / n;
    double z2n = z * z / n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n));
    double lo = successes == 0 ? 0 : Math.max(0, centre - half);
    double hi = successes == n ? 1 : Math.min(1, centre + half);
    return new Interval(lo, hi);
  }

  /** Whether {@code x} lies in the closed interval. */
  public boolean contains(double x) {
    return x >= lower && x <= upper;
  }
}
