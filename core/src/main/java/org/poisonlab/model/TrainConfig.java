package org.poisonlab.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Hyper-parameters of a training run.
 *
 * @param model the family: {@code logreg} (multinomial logistic regression), {@code mlp}, or a
 *     family of another module ({@code cnn}, {@code textcnn}, {@code transformer})
 * @param optimizer {@code lbfgs} (full batch, logreg only), {@code adam} or {@code sgd}
 *     (mini-batch)
 * @param hidden layer widths: the MLP's hidden layers (one or two entries), empty for logreg; a
 *     deep family's widths (cnn: two convolutions' filters and the dense width; textcnn: embedding
 *     width and filters; transformer: model and feed-forward widths)
 * @param epochs passes over the data for mini-batch optimizers
 * @param batchSize mini-batch size
 * @param learningRate step size for mini-batch optimizers
 * @param l2 L2 penalty on the weights (not the biases), in the mean-loss objective {@code mean CE +
 *     l2/2 ||W||^2}
 * @param maxIterations iteration cap for L-BFGS
 * @param textBuckets hashed feature buckets for text (a power of two)
 * @param threads worker threads (0: all cores)
 */
public record TrainConfig(
    String model,
    String optimizer,
    int[] hidden,
    int epochs,
    int batchSize,
    double learningRate,
    double l2,
    int maxIterations,
    int textBuckets,
    int threads) {

  public TrainConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(optimizer, "optimizer");
    hidden = hidden == null ? new int[0] : hidden.clone();
  }

  /** Default number of hash buckets for text features, 2^18. */
  public static final int DEFAULT_TEXT_BUCKETS = 1 << 18;

  /**
   * The defaults for a model family and a kind of data: settings that reach the accuracy goals of
   * the project (logistic regression ≥ 0.84 and MLP ≥ 0.88 on Fashion-MNIST, logistic regression ≥
   * 0.97 on SpamAssassin) quickly, on all cores.
   *
   * @param model {@code logreg} or {@code mlp}
   * @throws org.poisonlab.io.BadInputException for another model name
   */
  public static TrainConfig defaults(String model, org.poisonlab.data.Dataset.Kind kind) {
    return Models.byName(model).defaults(kind);
  }

  /** The built-in networks' defaults ({@link #defaults}). */
  static TrainConfig networkDefaults(String model, org.poisonlab.data.Dataset.Kind kind) {
    boolean text = kind == org.poisonlab.data.Dataset.Kind.TEXT;
    switch (model) {
      case "logreg":
        return text
            // L2 1e-6 (mean-loss form): the best clean test accuracy of 1e-4, 1e-5, 1e-6 (0.981,
            // 0.984, 0.985), see docs/BENCHMARKS.md.
            ? new TrainConfig(
                "logreg", "lbfgs", new int[0], 10, 64, 0.01, 1e-6, 100, DEFAULT_TEXT_BUCKETS, 0)
            : new TrainConfig(
                "logreg", "sgd", new int[0], 2, 128, 0.1, 0, 100, DEFAULT_TEXT_BUCKETS, 0);
      case "mlp":
        return text
            ? new TrainConfig(
                "mlp", "adam", new int[] {16}, 4, 64, 2e-3, 1e-5, 100, DEFAULT_TEXT_BUCKETS, 0)
            : new TrainConfig(
                "mlp", "adam", new int[] {256}, 6, 128, 2e-3, 0, 100, DEFAULT_TEXT_BUCKETS, 0);
      default:
        throw new org.poisonlab.io.BadInputException(
            "unknown model '" + model + "'; expected logreg or mlp");
    }
  }

  @Override
  public int[] hidden() {
    return hidden.clone();
  }

  /** The same settings with these layer widths ({@link #hidden()}). */
  public TrainConfig withHidden(int[] widths) {
    return new TrainConfig(
        model,
        optimizer,
        widths,
        epochs,
        batchSize,
        learningRate,
        l2,
        maxIterations,
        textBuckets,
        threads);
  }

  /** The same settings with this mini-batch size. */
  public TrainConfig withBatchSize(int b) {
    return new TrainConfig(
        model, optimizer, hidden, epochs, b, learningRate, l2, maxIterations, textBuckets, threads);
  }

  public TrainConfig withEpochs(int e) {
    return new TrainConfig(
        model,
        optimizer,
        hidden,
        e,
        batchSize,
        learningRate,
        l2,
        maxIterations,
        textBuckets,
        threads);
  }

  public TrainConfig withLearningRate(double lr) {
    return new TrainConfig(
        model, optimizer, hidden, epochs, batchSize, lr, l2, maxIterations, textBuckets, threads);
  }

  public TrainConfig withOptimizer(String opt) {
    return new TrainConfig(
        model,
        opt,
        hidden,
        epochs,
        batchSize,
        learningRate,
        l2,
        maxIterations,
        textBuckets,
        threads);
  }

  public TrainConfig withL2(double l) {
    return new TrainConfig(
        model,
        optimizer,
        hidden,
        epochs,
        batchSize,
        learningRate,
        l,
        maxIterations,
        textBuckets,
        threads);
  }

  public TrainConfig withMaxIterations(int m) {
    return new TrainConfig(
        model, optimizer, hidden, epochs, batchSize, learningRate, l2, m, textBuckets, threads);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainConfig t
        && model.equals(t.model)
        && optimizer.equals(t.optimizer)
        && Arrays.equals(hidden, t.hidden)
        && epochs == t.epochs
        && batchSize == t.batchSize
        && Double.compare(learningRate, t.learningRate) == 0
        && Double.compare(l2, t.l2) == 0
        && maxIterations == t.maxIterations
        && textBuckets == t.textBuckets
        && threads == t.threads;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        model,
        optimizer,
        Arrays.hashCode(hidden),
        epochs,
        batchSize,
        learningRate,
        l2,
        maxIterations,
        textBuckets,
        threads);
  }

  @Override
  public String toString() {
    return "TrainConfig[model="
        + model
        + ", optimizer="
        + optimizer
        + ", hidden="
        + Arrays.toString(hidden)
        + ", epochs="
        + epochs
        + ", batchSize="
        + batchSize
        + ", learningRate="
        + learningRate
        + ", l2="
        + l2
        + ", maxIterations="
        + maxIterations
        + ", textBuckets="
        + textBuckets
        + ", threads="
        + threads
        + "]";
  }
}
