package org.poisonlab.defense;

/**
 * One-sided binomial tails in log space, for association scans: {@code P(X ≥ k)} for {@code X ~
 * Binomial(n, p)} is {@code Σ_{i ≥ k} C(n, i) p^i (1 − p)^(n − i)}, summed from {@code i = k} with
 * the term ratio {@code (n − i) / (i + 1) · p / (1 − p)} until terms no longer matter. The
 * log-gamma function is Lanczos' approximation (g = 7, nine coefficients), accurate to about 15
 * digits.
 */
final class Binomial {
  private static final double[] LANCZOS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };
  private static final double LN10 = Math.log(10);

  private Binomial() {}

  /** {@code ln Γ(x)} for {@code x > 0}. */
  static double logGamma(double x) {
    if (x < 0.5) {
      // reflection keeps the series accurate near zero
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double z = x - 1;
    double a = LANCZOS[0];
    double t = z + 7.5;
    for (int i = 1; i < 9; i++) {
      a += LANCZOS[i] / (z + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
  }

  static double logChoose(int n, int k) {
    return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
  }

  /**
   * {@code ln P(X ≥ k)}, {@code X ~ Binomial(n, p)}; 0 when {@code k ≤ n p} (no excess over the
   * expectation: the tail is then at least about one half, and the scans treat it as no evidence).
   */
  static double logUpperTail(int k, int n, double p) {
    if (k <= 0 || k <= n * p) {
      return 0;
    }
    if (k > n || p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return 0;
    }
    double first = logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
    double odds = p / (1 - p);
    double sum = 1;
    double term = 1;
    for (int i = k; i < n; i++) {
      term *= (n - i) / (i + 1.0) * odds;
      sum += term;
      if (term < 1e-17 * sum) {
        break;
      }
    }
    return first + Math.log(sum);
  }

  /** {@code −log10 P(X ≥ k)}: the evidence that {@code k} of {@code n} is more than {@code p}. */
  static double score(int k, int n, double p) {
    return -logUpperTail(k, n, p) / LN10;
  }

  /**
   * The score a tail probability must exceed to pass {@code alpha} after Bonferroni over {@code m}.
   */
  static double bonferroniScore(double alpha, long m) {
    return -Math.log10(alpha / Math.max(1, m));
  }
}
