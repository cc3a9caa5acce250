package org.poisonlab.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A classifier's results on a test set.
 *
 * @param accuracy clean accuracy over all {@code n} test examples
 * @param n test examples
 * @param attackSuccessRate the attack success rate, or null when no trigger was given (NaN when no
 *     test example has a label other than the target)
 * @param asrN triggered inputs the attack success rate is over (test examples whose label is not
 *     the target); 0 without a trigger
 */
public record EvalReport(double accuracy, int n, Double attackSuccessRate, int asrN) {

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
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", accuracy);
    m.put("n", n);
    Interval a = accuracyInterval();
    m.put("accuracy_ci95", List.of(a.lower(), a.upper()));
    if (attackSuccessRate != null) {
      m.put("attack_success_rate", attackSuccessRate);
      m.put("asr_n", asrN);
      Interval r = attackSuccessRateInterval();
      m.put("attack_success_rate_ci95", List.of(r.lower(), r.upper()));
    }
    return m;
  }

  // A rate is k / n with n < 2^31, so rounding rate * n recovers k exactly.
  private static int successes(double rate, int n) {
    return n == 0 ? 0 : (int) Math.round(rate * n);
  }
}
