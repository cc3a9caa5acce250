package org.poisonlab.linalg;

/**
 * Logarithms of factorials and binomial coefficients, for exact-in-log-space tail probabilities
 * (binomial association tests, McNemar's exact test). {@code ln n!} is summed exactly for {@code n
 * < 256} and taken from Stirling's series to the {@code n^-5} term above (error below 1e-15).
 */
public final class LogFactorials {
  private LogFactorials() {}

  /**
   * {@code ln n!}.
   *
   * @throws IllegalArgumentException if {@code n < 0}
   */
  public static double logFactorial(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("factorial of negative " + n);
    }
    if (n < 256) {
      double s = 0;
      for (int i = 2; i <= n; i++) {
        s += Math.log(i);
      }
      return s;
    }
    double x = n;
    double inv = 1 / x;
    double inv2 = inv * inv;
    return x * Math.log(x)
        - x
        + 0.5 * Math.log(2 * Math.PI * x)
        + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
  }

  /**
   * {@code ln C(n, k)}.
   *
   * @throws IllegalArgumentException unless {@code 0 ≤ k ≤ n}
   */
  public static double logChoose(long n, long k) {
    if (k < 0 || k > n) {
      throw new IllegalArgumentException("C(" + n + ", " + k + ") is not defined");
    }
    return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
  }
}
