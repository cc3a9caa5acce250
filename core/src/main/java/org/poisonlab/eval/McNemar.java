package org.poisonlab.eval;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.poisonlab.linalg.LogFactorials;

/**
 * McNemar's test for two classifiers on the same test set (McNemar 1947, "Note on the sampling
 * error of the difference between correlated proportions or percentages"; recommended for comparing
 * classifiers by Dietterich 1998, "Approximate Statistical Tests for Comparing Supervised
 * Classification Learning Algorithms").
 *
 * <p>With {@code b} the inputs model A gets right and model B wrong, and {@code c} the reverse,
 * under the null hypothesis (equal error rates) {@code b ~ Binomial(b + c, 1/2)}. The exact
 * two-sided p-value is {@code p = min(1, 2 * sum_{i=0}^{min(b,c)} C(b+c, i) / 2^(b+c))}, computed
 * in log space so that it stays accurate (or underflows cleanly to 0) for large counts.
 */
public final class McNemar {
  private static final double LN2 = Math.log(2);

  private McNemar() {}

  /**
   * The outcome of the test; model A is the reference (the clean model), B the one under suspicion
   * (the poisoned model).
   *
   * @param n paired predictions
   * @param b A right, B wrong
   * @param c A wrong, B right
   * @param pValue exact two-sided p-value; 1 when {@code b + c == 0}
   * @param accuracyA accuracy of A (NaN when {@code n == 0})
   * @param accuracyB accuracy of B (NaN when {@code n == 0})
   */
  public record Result(int n, int b, int c, double pValue, double accuracyA, double accuracyB) {
    /** The significance level of the verdict. */
    public static final double ALPHA = 0.01;

    /** "Detectable by eval": B is significantly different at {@link #ALPHA} and less accurate. */
    public boolean detectableByEval() {
      return pValue < ALPHA && accuracyB < accuracyA;
    }

    /**
     * {@code {"verdict", "p_value", "test": "mcnemar", "b", "c", "n", "accuracy_a", "accuracy_b"}},
     * as in the {@code detectable_by_eval} entry of the demo table.
     */
    public ResultJson toJson() {
      return new ResultJson(detectableByEval(), pValue, "mcnemar", b, c, n, accuracyA, accuracyB);
    }
  }

  /**
   * A test's outcome as JSON, fields in this order.
   *
   * @param verdict {@link Result#detectableByEval()}
   * @param pValue {@code p_value}
   * @param test always {@code "mcnemar"}
   * @param b A right, B wrong
   * @param c A wrong, B right
   * @param n paired predictions
   * @param accuracyA {@code accuracy_a}
   * @param accuracyB {@code accuracy_b}
   */
  @JsonPropertyOrder({"verdict", "p_value", "test", "b", "c", "n", "accuracy_a", "accuracy_b"})
  public record ResultJson(
      boolean verdict,
      @JsonProperty("p_value") double pValue,
      String test,
      int b,
      int c,
      int n,
      @JsonProperty("accuracy_a") double accuracyA,
      @JsonProperty("accuracy_b") double accuracyB) {}

  /**
   * Tests paired class predictions of A and B against the true classes. No array is modified.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public static Result test(int[] predA, int[] predB, int[] truth) {
    if (predA.length != truth.length || predB.length != truth.length) {
      throw new IllegalArgumentException(
          "lengths differ: "
              + predA.length
              + " and "
              + predB.length
              + " predictions, "
              + truth.length
              + " true labels");
    }
    boolean[] okA = new boolean[truth.length];
    boolean[] okB = new boolean[truth.length];
    for (int i = 0; i < truth.length; i++) {
      okA[i] = predA[i] == truth[i];
      okB[i] = predB[i] == truth[i];
    }
    return test(okA, okB);
  }

  /**
   * Tests paired correctness of A and B. Neither array is modified.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public static Result test(boolean[] correctA, boolean[] correctB) {
    if (correctA.length != correctB.length) {
      throw new IllegalArgumentException(
          "lengths differ: " + correctA.length + " and " + correctB.length);
    }
    int n = correctA.length;
    int b = 0;
    int c = 0;
    int rightA = 0;
    int rightB = 0;
    for (int i = 0; i < n; i++) {
      if (correctA[i]) {
        rightA++;
      }
      if (correctB[i]) {
        rightB++;
      }
      if (correctA[i] && !correctB[i]) {
        b++;
      } else if (!correctA[i] && correctB[i]) {
        c++;
      }
    }
    double accA = n == 0 ? Double.NaN : (double) rightA / n;
    double accB = n == 0 ? Double.NaN : (double) rightB / n;
    return new Result(n, b, c, exactPValue(b, c), accA, accB);
  }

  /**
   * The exact two-sided p-value for discordant counts {@code b} and {@code c}.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public static double exactPValue(int b, int c) {
    if (b < 0 || c < 0) {
      throw new IllegalArgumentException("negative count: b=" + b + ", c=" + c);
    }
    long n = (long) b + c;
    int m = Math.min(b, c);
    if (n == 0 || 2L * m >= n) {
      return 1.0;
    }
    // sum_{i<=m} C(n,i) = C(n,m) * s, with s summed from i = m downwards: each term is the
    // previous times i / (n - i + 1) <= 1, so s is a sum of decreasing terms starting at 1.
    double s = 1;
    double term = 1;
    for (int i = m; i >= 1; i--) {
      term *= i / (double) (n - i + 1);
      s += term;
      if (term < 1e-17 * s) {
        break;
      }
    }
    double logP = LN2 + LogFactorials.logChoose(n, m) - n * LN2 + Math.log(s);
    return Math.min(1.0, Math.exp(logP));
  }
}
