package org.poisonlab.defense;

import org.poisonlab.linalg.LogFactorials;

/**
 * One-sided binomial tails in log space, for association scans: {@code P(X ≥ k)} for {@code X ~
 * Binomial(n, p)} is {@code Σ_{i ≥ k} C(n, i) p^i (1 − p)^(n − i)}, summed from {@code i = k} with
 * the term ratio {@code (n − i) / (i + 1) · p / (1 − p)} until terms no longer matter. The binomial
 * coefficient comes from {@link LogFactorials}.
 */
public final class Binomial {
  private static final double LN10 = Math.log(10);

  private Binomial() {}

  /**
   * {@code ln P(X ≥ k)}, {@code X ~ Binomial(n, p)}; 0 when {@code k ≤ n p} (no excess over the
   * expectation: the tail is then at least about one half, and the scans treat it as no evidence).
   */
  public static double logUpperTail(int k, int n, double p) {
    if (k <= 0 || k <= n * p) {
      return 0;
    }
    if (k > n || p <= 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (p >= 1) {
      return 0;
    }
    double first = LogFactorials.logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
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
  public static double score(int k, int n, double p) {
    return -logUpperTail(k, n, p) / LN10;
  }

  /**
   * The score a tail probability must exceed to pass {@code alpha} after Bonferroni over {@code m}.
   */
  public static double bonferroniScore(double alpha, long m) {
    return -Math.log10(alpha / Math.max(1, m));
  }

  /**
   * The Bonferroni-adjusted p-value {@code min(1, m · 10^(−score))} of the best of {@code m} tests
   * whose best score ({@code −log10} tail) is {@code score}: a p-value for "none of the m is
   * associated".
   */
  public static double bonferroniP(double score, long m) {
    return Math.min(1, Math.exp(Math.log(Math.max(1, m)) - score * LN10));
  }

  /**
   * The finding of an association scan: the best score of its m tests, Bonferroni-adjusted.
   *
   * @param what the tested units, e.g. "n-grams"
   */
  static Finding associationFinding(
      String detector,
      boolean significant,
      double best,
      long m,
      String statistic,
      String what,
      int flagged,
      String candidate,
      String target) {
    return Finding.tested(
        detector,
        Finding.TRIGGER,
        significant,
        bonferroniP(best, m),
        Math.round(best * 1e4) / 1e4,
        statistic + ", over " + m + " " + what + " (Bonferroni)",
        flagged,
        candidate,
        target);
  }
}
