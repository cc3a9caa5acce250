package org.poisonlab.eval;

import java.util.List;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;

/**
 * Evaluates classifiers on a test set: clean accuracy, attack success rate (see {@link Metrics}),
 * and McNemar's comparison of a clean and a poisoned model (see {@link McNemar}). Test labels are
 * matched to a classifier's labels by name.
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Accuracy on {@code test} and, when a trigger is given, the attack success rate towards {@code
   * target}, the trigger's random choices coming from {@code seed}. {@code test} is not modified.
   *
   * @param trigger null for accuracy only; then {@code target} must be null too
   * @param target the label the trigger should produce; required with a trigger
   * @throws BadInputException if {@code test} is empty, a test label is not among the classifier's
   *     labels (the message names it), only one of trigger and target is given, the target is not
   *     among the classifier's labels, or the trigger does not apply to the data
   */
  public static EvalReport evaluate(
      Classifier classifier, Dataset test, Trigger trigger, String target, long seed) {
    if ((trigger == null) != (target == null)) {
      throw new BadInputException(
          trigger == null
              ? "a target label '" + target + "' needs a trigger"
              : "trigger '" + trigger.spec() + "' needs a target label");
    }
    int[] truth = truthIndices(classifier, test);
    double accuracy = Metrics.accuracy(classifier.predict(test.examples()), truth);
    if (trigger == null) {
      return new EvalReport(accuracy, test.size(), null, 0);
    }
    int[] hitsAndN = Metrics.attackSuccesses(classifier, test, trigger, target, seed);
    double asr = hitsAndN[1] == 0 ? Double.NaN : (double) hitsAndN[0] / hitsAndN[1];
    return new EvalReport(accuracy, test.size(), asr, hitsAndN[1]);
  }

  /**
   * The test labels as indices into the classifier's labels.
   *
   * @throws BadInputException if {@code test} is empty or holds a label the classifier does not
   *     know; the message names the label, the example's position (1-based) and id
   */
  public static int[] truthIndices(Classifier classifier, Dataset test) {
    if (test.isEmpty()) {
      throw new BadInputException("test set " + test.name() + " is empty");
    }
    List<String> labels = classifier.labels();
    int[] truth = new int[test.size()];
    for (int i = 0; i < truth.length; i++) {
      Example e = test.get(i);
      int k = labels.indexOf(e.label());
      if (k < 0) {
        throw new BadInputException(
            test.name()
                + ": example "
                + (i + 1)
                + " ("
                + e.id()
                + ") has label '"
                + e.label()
                + "', which the model does not know; its labels are "
                + labels);
      }
      truth[i] = k;
    }
    return truth;
  }

  /**
   * McNemar's test of model {@code b} (the poisoned one) against model {@code a} (the clean
   * reference) on {@code test}; the two may order their labels differently.
   *
   * @throws BadInputException if {@code test} is empty or holds a label either model does not know
   */
  public static McNemar.Result compare(Classifier a, Classifier b, Dataset test) {
    return McNemar.test(correct(a, test), correct(b, test));
  }

  private static boolean[] correct(Classifier c, Dataset test) {
    int[] truth = truthIndices(c, test);
    int[] predicted = c.predict(test.examples());
    boolean[] ok = new boolean[truth.length];
    for (int i = 0; i < ok.length; i++) {
      ok[i] = predicted[i] == truth[i];
    }
    return ok;
  }
}
