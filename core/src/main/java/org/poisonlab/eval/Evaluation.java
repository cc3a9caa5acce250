package org.poisonlab.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;

/**
 * Evaluates classifiers on a test set: clean accuracy, attack success rate (see {@link Metrics}),
 * and McNemar's comparison of a clean and a poisoned model (see {@link McNemar}). Test labels are
 * matched to a classifier's labels by name.
 */
public final class Evaluation {
  private Evaluation() {}

  /** Examples predicted at once in a streamed pass: bounds the memory a pass holds. */
  static final int CHUNK = 4096;

  /**
   * Accuracy on {@code test} and, when a trigger is given, the attack success rate towards {@code
   * target}, the trigger's random choices coming from {@code seed}. {@code test} is read in one
   * pass, {@value #CHUNK} examples at a time (memory does not grow with its size), and not
   * modified.
   *
   * @param trigger null for accuracy only; then {@code target} must be null too
   * @param target the label the trigger should produce; required with a trigger
   * @throws BadInputException if {@code test} is empty, a test label is not among the classifier's
   *     labels (the message names it, with the example's position and id), only one of trigger and
   *     target is given, the target is not among the classifier's labels, or the trigger does not
   *     apply to the data
   */
  public static EvalReport evaluate(
      Classifier classifier, ExampleSource test, Trigger trigger, String target, long seed) {
    if ((trigger == null) != (target == null)) {
      throw new BadInputException(
          trigger == null
              ? "a target label '" + target + "' needs a trigger"
              : "trigger '" + trigger.spec() + "' needs a target label");
    }
    Pass p = new Pass(classifier, test, trigger, target, seed, true);
    p.run();
    if (p.n == 0) {
      throw new BadInputException("test set " + test.name() + " is empty");
    }
    double accuracy = (double) p.correct / p.n;
    if (trigger == null) {
      return new EvalReport(accuracy, p.n, null, 0);
    }
    double asr = p.triggered == 0 ? Double.NaN : (double) p.hits / p.triggered;
    return new EvalReport(
        accuracy,
        p.n,
        asr,
        p.triggered,
        p.changes == null ? null : EvalReport.ChangeBand.quarters(p.changes, p.hitAt, p.triggered));
  }

  /**
   * {@code {successes, trials}} of the attack success rate: no accuracy, so test labels the
   * classifier does not know are allowed.
   */
  static int[] attackSuccesses(
      Classifier classifier, ExampleSource test, Trigger trigger, String target, long seed) {
    Pass p = new Pass(classifier, test, trigger, target, seed, false);
    p.run();
    return new int[] {p.hits, p.triggered};
  }

  /**
   * One pass over a test set in chunks: clean predictions against the labels, and predictions on
   * the triggered non-target examples, the trigger applied in data order (so its random draws do
   * not depend on the chunk size).
   */
  private static final class Pass {
    private final Classifier classifier;
    private final ExampleSource test;
    private final Trigger trigger;
    private final int targetIndex;
    private final String target;
    private final SplittableRandom rng;
    private final boolean accuracy;
    private final List<String> labels;
    private final List<Example> chunk = new ArrayList<>();
    private final List<Example> triggeredChunk = new ArrayList<>();
    // a full evaluation with an image trigger: each triggered input's change and whether it hit,
    // in order (9 bytes each); null otherwise
    double[] changes;
    boolean[] hitAt;
    private int[] truth = new int[CHUNK];
    int n;
    int correct;
    int hits;
    int triggered;

    Pass(
        Classifier classifier,
        ExampleSource test,
        Trigger trigger,
        String target,
        long seed,
        boolean accuracy) {
      this.classifier = classifier;
      this.test = test;
      this.trigger = trigger;
      this.target = target;
      this.labels = classifier.labels();
      this.accuracy = accuracy;
      this.rng = new SplittableRandom(seed);
      if (accuracy && trigger != null && trigger.kind() == Dataset.Kind.IMAGE) {
        changes = new double[CHUNK];
        hitAt = new boolean[CHUNK];
      }
      this.targetIndex = trigger == null ? -1 : labels.indexOf(target);
      if (trigger != null && targetIndex < 0) {
        throw new BadInputException(
            "target label '" + target + "' is not among the model's labels " + labels);
      }
    }

    void run() {
      test.forEach(this::add);
      flush();
    }

    private void add(Example e) {
      if (n == 0 && trigger != null) {
        Dataset.Kind kind = e.isImage() ? Dataset.Kind.IMAGE : Dataset.Kind.TEXT;
        if (trigger.kind() != kind) {
          throw new BadInputException(
              "trigger '"
                  + trigger.spec()
                  + "' does not apply to the "
                  + kind.name().toLowerCase(Locale.ROOT)
                  + " examples of "
                  + test.name());
        }
      }
      n++;
      if (accuracy) {
        truth[chunk.size()] = labelIndex(labels, e, n, test.name());
        chunk.add(e);
      }
      if (trigger != null && !e.label().equals(target)) {
        Example t = trigger.atTest().apply(e, rng);
        if (changes != null) {
          int at = triggered + triggeredChunk.size();
          if (at == changes.length) {
            changes = Arrays.copyOf(changes, 2 * at);
            hitAt = Arrays.copyOf(hitAt, changes.length);
          }
          changes[at] = e.pixelDistance(t);
        }
        triggeredChunk.add(t);
      }
      if (chunk.size() == CHUNK || triggeredChunk.size() == CHUNK) {
        flush();
      }
    }

    private void flush() {
      if (!chunk.isEmpty()) {
        int[] predicted = classifier.predict(chunk);
        for (int i = 0; i < predicted.length; i++) {
          correct += predicted[i] == truth[i] ? 1 : 0;
        }
        chunk.clear();
      }
      if (!triggeredChunk.isEmpty()) {
        int[] predicted = classifier.predict(triggeredChunk);
        for (int i = 0; i < predicted.length; i++) {
          boolean hit = predicted[i] == targetIndex;
          hits += hit ? 1 : 0;
          if (changes != null) {
            hitAt[triggered + i] = hit;
          }
        }
        triggered += triggeredChunk.size();
        triggeredChunk.clear();
      }
    }
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
      truth[i] = labelIndex(labels, test.get(i), i + 1, test.name());
    }
    return truth;
  }

  /**
   * The index of {@code e}'s label among {@code labels}.
   *
   * @throws BadInputException naming the label, the example's 1-based {@code position} and id
   */
  private static int labelIndex(List<String> labels, Example e, long position, String name) {
    int k = labels.indexOf(e.label());
    if (k < 0) {
      throw new BadInputException(
          name
              + ": example "
              + position
              + " ("
              + e.id()
              + ") has label '"
              + e.label()
              + "', which the model does not know; its labels are "
              + labels);
    }
    return k;
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
