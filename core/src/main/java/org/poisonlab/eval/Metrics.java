package org.poisonlab.eval;

import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;

/**
 * Accuracy and attack success rate, as defined in docs/metrics.md.
 *
 * <p>The attack success rate follows Gu et al. 2017 (BadNets): over the test inputs whose true
 * label is not the target, with the trigger applied, the share the model classifies as the target,
 * {@code ASR = |{x : y(x) != t, f(x + trigger) = t}| / |{x : y(x) != t}|}. Inputs already of the
 * target class are left out, since predicting the target for them is no success.
 */
public final class Metrics {
  private Metrics() {}

  /**
   * The share of positions where {@code predicted} equals {@code truth}; NaN when both are empty.
   * Neither array is modified.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double accuracy(int[] predicted, int[] truth) {
    if (predicted.length != truth.length) {
      throw new IllegalArgumentException(
          predicted.length + " predictions for " + truth.length + " true labels");
    }
    if (truth.length == 0) {
      return Double.NaN;
    }
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      if (predicted[i] == truth[i]) {
        correct++;
      }
    }
    return (double) correct / truth.length;
  }

  /**
   * The attack success rate of {@code trigger} towards {@code target} on {@code test}; NaN when no
   * test example has a label other than {@code target}. The trigger's random choices (where a
   * phrase goes) come from {@code seed}. {@code test} is not modified.
   *
   * @throws BadInputException if {@code target} is not among the classifier's labels, or the
   *     trigger does not apply to the test examples
   */
  public static double attackSuccessRate(
      Classifier classifier, Dataset test, Trigger trigger, String target, long seed) {
    int[] hitsAndN = Evaluation.attackSuccesses(classifier, test, trigger, target, seed);
    return hitsAndN[1] == 0 ? Double.NaN : (double) hitsAndN[0] / hitsAndN[1];
  }
}
