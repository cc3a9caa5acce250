package org.poisonlab.attribution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An attributor's scores: a {@code train × behaviour} matrix, row-major, higher = more responsible
 * (see {@link Attributor} for the sign convention).
 *
 * @param method the attributor's name
 * @param trainSize rows: one per training example, in dataset order
 * @param behaviorSize columns: one per behaviour example (1 for self-influence)
 * @param scores {@code scores[i * behaviorSize + t]}; copied in and out
 * @param diagnostics method-specific figures (solver residuals, iterations, checkpoints);
 *     insertion-ordered, JSON-friendly; never a wall time (a trace file holds them, and the same
 *     inputs and seed give the same trace file bytes: timings go to the request's progress)
 */
public record Attribution(
    String method,
    int trainSize,
    int behaviorSize,
    double[] scores,
    Map<String, Object> diagnostics) {
  public Attribution {
    Objects.requireNonNull(method, "method");
    if (trainSize < 0 || behaviorSize < 1 || scores.length != (long) trainSize * behaviorSize) {
      throw new IllegalArgumentException(
          "scores length "
              + scores.length
              + " does not match "
              + trainSize
              + " training × "
              + behaviorSize
              + " behaviour examples");
    }
    scores = scores.clone();
    diagnostics =
        diagnostics == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(diagnostics));
  }

  @Override
  public double[] scores() {
    return scores.clone();
  }

  /** The score of training example {@code i} for behaviour example {@code t}. */
  public double score(int i, int t) {
    return scores[i * behaviorSize + t];
  }

  /** One behaviour example's scores over the training set. Modified: nothing; a new array. */
  public double[] column(int t) {
    if (t < 0 || t >= behaviorSize) {
      throw new IndexOutOfBoundsException("behaviour index " + t + " of " + behaviorSize);
    }
    double[] out = new double[trainSize];
    for (int i = 0; i < trainSize; i++) {
      out[i] = scores[i * behaviorSize + t];
    }
    return out;
  }

  /**
   * The score of each training example for the behaviour set as a whole: the mean over behaviour
   * examples (the predicted change of the mean behaviour loss, for influence functions).
   */
  public double[] aggregate() {
    double[] out = new double[trainSize];
    for (int i = 0; i < trainSize; i++) {
      double s = 0;
      for (int t = 0; t < behaviorSize; t++) {
        s += scores[i * behaviorSize + t];
      }
      out[i] = s / behaviorSize;
    }
    return out;
  }
}
