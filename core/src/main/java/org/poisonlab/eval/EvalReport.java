package org.poisonlab.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classifier's results on a test set.
 *
 * @param accuracy clean accuracy over all {@code n} test examples
 * @param n test examples
 * @param attackSuccessRate the attack success rate, or null when no trigger was given (NaN when no
 *     test example has a label other than the target)
 * @param asrN triggered inputs the attack success rate is over (test examples whose label is not
 *     the target); 0 without a trigger
 * @param byChange for an image trigger, the attack success rate in each quarter of the triggered
 *     inputs ordered by how much the trigger changed them ({@link ChangeBand}); null for text or
 *     without a trigger
 */
public record EvalReport(
    double accuracy, int n, Double attackSuccessRate, int asrN, List<ChangeBand> byChange) {

  public EvalReport {
    byChange = byChange == null ? null : List.copyOf(byChange);
  }

  /** A report without the breakdown by change. */
  public EvalReport(double accuracy, int n, Double attackSuccessRate, int asrN) {
    this(accuracy, n, attackSuccessRate, asrN, null);
  }

  /**
   * One quarter of the triggered inputs ordered by how much the trigger changed them, the size of a
   * change being the Euclidean norm of triggered − clean over all pixels and channels, in grey
   * levels (one pixel moved from 0 to 255 is 255; a 4×4 white patch on black 1,020): the smallest
   * and largest change in the quarter, how many inputs it holds, and the share the model classifies
   * as the target. A trigger that barely changes an input (a white patch over a white garment)
   * lands in the first quarter; a backdoor that fails only there is learned and the trigger faint
   * there, one that fails in the last quarter is not learned.
   *
   * @param from smallest change in the quarter
   * @param to largest change in the quarter
   * @param n triggered inputs in the quarter
   * @param attackSuccessRate their attack success rate
   */
  @JsonPropertyOrder({"from", "to", "n", "attack_success_rate"})
  public record ChangeBand(
      double from,
      double to,
      int n,
      @JsonProperty("attack_success_rate") double attackSuccessRate) {
    /** How many parts the triggered inputs are split into. */
    public static final int PARTS = 4;

    /**
     * The quarters (fewer when there are fewer than four inputs) of inputs with these changes and
     * hits, inputs of equal change in data order; the arrays are not modified. Changes are rounded
     * to two decimals.
     */
    static List<ChangeBand> quarters(double[] change, boolean[] hit, int count) {
      Integer[] order = new Integer[count];
      for (int i = 0; i < count; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> Double.compare(change[a], change[b]));
      int parts = Math.min(PARTS, count);
      List<ChangeBand> out = new ArrayList<>(parts);
      for (int q = 0; q < parts; q++) {
        int from = (int) ((long) q * count / parts);
        int to = (int) ((long) (q + 1) * count / parts);
        int hits = 0;
        for (int i = from; i < to; i++) {
          hits += hit[order[i]] ? 1 : 0;
        }
        out.add(
            new ChangeBand(
                round2(change[order[from]]),
                round2(change[order[to - 1]]),
                to - from,
                (double) hits / (to - from)));
      }
      return out;
    }

    private static double round2(double x) {
      return Math.round(x * 100) / 100.0;
    }
  }

  /** The 95 % Wilson interval of the accuracy. */
  public Interval accuracyInterval() {
    return Interval.wilson95(successes(accuracy, n), n);
  }

  /**
   * Whether a trigger was given but no triggered input has a label other than the target: the
   * attack success rate is then undefined (NaN, {@code asrN} 0).
   */
  public boolean attackSuccessUndefined() {
    return attackSuccessRate != null && attackSuccessRate.isNaN();
  }

  /** The 95 % Wilson interval of the attack success rate, or null without one. */
  public Interval attackSuccessRateInterval() {
    if (attackSuccessRate == null) {
      return null;
    }
    return Interval.wilson95(asrN == 0 ? 0 : successes(attackSuccessRate, asrN), asrN);
  }

  /**
   * The {@code eval --json} object: {@code accuracy}, {@code n}, {@code accuracy_ci95} and, with a
   * trigger, {@code attack_success_rate}, {@code attack_n}, {@code attack_success_rate_ci95} (each
   * interval a two-element list, lower then upper) and, for an image trigger, {@code
   * attack_success_by_change}. When no triggered input has a label other than the target the rate
   * is undefined: {@code attack_n} is 0 and the rate and its interval are left out.
   */
  public EvalJson toJson() {
    Interval a = accuracyInterval();
    // an undefined rate (no triggered input of another label) is left out, with its interval
    boolean rated = attackSuccessRate != null && !attackSuccessUndefined();
    Interval r = rated ? attackSuccessRateInterval() : null;
    return new EvalJson(
        accuracy,
        n,
        List.of(a.lower(), a.upper()),
        rated ? attackSuccessRate : null,
        attackSuccessRate == null ? null : asrN,
        r == null ? null : List.of(r.lower(), r.upper()),
        byChange);
  }

  /**
   * An evaluation as JSON, fields in this order; the attack fields are null, and left out, without
   * a trigger, the quarters by change without an image trigger.
   *
   * @param accuracy clean accuracy
   * @param n test examples
   * @param accuracyCi95 {@code accuracy_ci95}: the 95 % Wilson interval, lower then upper
   * @param attackSuccessRate {@code attack_success_rate}, or null
   * @param attackN {@code attack_n}: the triggered inputs the rate is over, or null
   * @param attackSuccessRateCi95 {@code attack_success_rate_ci95}, or null
   * @param byChange {@code attack_success_by_change}: the quarters ({@link ChangeBand}), or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "accuracy",
    "n",
    "accuracy_ci95",
    "attack_success_rate",
    "attack_n",
    "attack_success_rate_ci95",
    "attack_success_by_change"
  })
  public record EvalJson(
      double accuracy,
      int n,
      @JsonProperty("accuracy_ci95") List<Double> accuracyCi95,
      @JsonProperty("attack_success_rate") Double attackSuccessRate,
      @JsonProperty("attack_n") Integer attackN,
      @JsonProperty("attack_success_rate_ci95") List<Double> attackSuccessRateCi95,
      @JsonProperty("attack_success_by_change") List<ChangeBand> byChange) {}

  // A rate is k / n with n < 2^31, so rounding rate * n recovers k exactly.
  private static int successes(double rate, int n) {
    return n == 0 ? 0 : (int) Math.round(rate * n);
  }
}
