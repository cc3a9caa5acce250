package org.poisonlab.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
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
 * @param byChange for an image trigger, the attack success rate of the triggered inputs grouped by
 *     how far the trigger moved their most-changed pixel ({@link ChangeBand#BANDS}); null for text
 *     or without a trigger
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
   * The triggered inputs whose largest pixel change (in grey levels, the largest over pixels and
   * channels of |triggered − clean|) lies in {@code from..to}: how many there are and the share the
   * model classifies as the target. A trigger that barely changes an input (a white patch over a
   * white garment) is one a model can hardly tell from the clean input.
   *
   * @param from lowest change of the band, inclusive
   * @param to highest change of the band, inclusive
   * @param n triggered inputs in the band
   * @param attackSuccessRate their attack success rate, null when {@code n} is 0
   */
  @JsonPropertyOrder({"from", "to", "n", "attack_success_rate"})
  public record ChangeBand(
      int from, int to, int n, @JsonProperty("attack_success_rate") Double attackSuccessRate) {
    /** The bands' lower bounds in grey levels: 0–31, 32–63, 64–127, 128–255. */
    public static final int[] BANDS = {0, 32, 64, 128};

    /** The index in {@link #BANDS} of the band holding {@code change} (0..255). */
    static int of(int change) {
      int b = 0;
      while (b + 1 < BANDS.length && change >= BANDS[b + 1]) {
        b++;
      }
      return b;
    }

    /** The bands from per-band counts of inputs and of hits. */
    static List<ChangeBand> of(int[] n, int[] hits) {
      List<ChangeBand> out = new ArrayList<>(BANDS.length);
      for (int b = 0; b < BANDS.length; b++) {
        int to = b + 1 < BANDS.length ? BANDS[b + 1] - 1 : 255;
        out.add(new ChangeBand(BANDS[b], to, n[b], n[b] == 0 ? null : (double) hits[b] / n[b]));
      }
      return out;
    }
  }

  /** The 95 % Wilson interval of the accuracy. */
  public Interval accuracyInterval() {
    return Interval.wilson95(successes(accuracy, n), n);
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
   * trigger, {@code attack_success_rate}, {@code asr_n}, {@code attack_success_rate_ci95} (each
   * interval a two-element list).
   */
  public EvalJson toJson() {
    Interval a = accuracyInterval();
    Interval r = attackSuccessRateInterval();
    return new EvalJson(
        accuracy,
        n,
        List.of(a.lower(), a.upper()),
        attackSuccessRate,
        attackSuccessRate == null ? null : asrN,
        r == null ? null : List.of(r.lower(), r.upper()));
  }

  /**
   * An evaluation as JSON, fields in this order; the attack fields are null, and left out, without
   * a trigger.
   *
   * @param accuracy clean accuracy
   * @param n test examples
   * @param accuracyCi95 {@code accuracy_ci95}: the Wilson interval, lower then upper
   * @param attackSuccessRate {@code attack_success_rate}, or null
   * @param asrN {@code asr_n}, or null
   * @param attackSuccessRateCi95 {@code attack_success_rate_ci95}, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "accuracy",
    "n",
    "accuracy_ci95",
    "attack_success_rate",
    "asr_n",
    "attack_success_rate_ci95"
  })
  public record EvalJson(
      double accuracy,
      int n,
      @JsonProperty("accuracy_ci95") List<Double> accuracyCi95,
      @JsonProperty("attack_success_rate") Double attackSuccessRate,
      @JsonProperty("asr_n") Integer asrN,
      @JsonProperty("attack_success_rate_ci95") List<Double> attackSuccessRateCi95) {}

  // A rate is k / n with n < 2^31, so rounding rate * n recovers k exactly.
  private static int successes(double rate, int n) {
    return n == 0 ? 0 : (int) Math.round(rate * n);
  }
}
