package org.poisonlab.defense;

/**
 * Settings of Neural Cleanse trigger inversion ({@link TriggerInversions#neuralCleanse}) and of the
 * {@code neural-cleanse} detector.
 *
 * @param sampleSize training inputs drawn (seeded, without replacement) to optimise on
 * @param batchSize inputs per Adam step
 * @param maxEpochs passes over the sample per label, at most
 * @param learningRate Adam step size on the mask and pattern logits
 * @param initialCost starting weight λ of the mask's L1 norm
 * @param costMultiplier λ is multiplied by this after {@code patience} successful epochs in a row
 *     and divided by its 1.5th power after {@code patience} failing ones
 * @param patience epochs in a row before λ changes
 * @param successThreshold attack success on the sample that makes a mask a candidate
 * @param anomalyThreshold anomaly index above which a label with a small norm is flagged
 * @param anomalyScale the scale of the norms the anomaly index is computed on
 * @param matchAlpha an example of a flagged label is flagged as carrying the trigger when the
 *     trigger region decides its predicted label and at most this share of the examples of other
 *     labels match the trigger as well as it does
 */
public record NeuralCleanseConfig(
    int sampleSize,
    int batchSize,
    int maxEpochs,
    double learningRate,
    double initialCost,
    double costMultiplier,
    int patience,
    double successThreshold,
    double anomalyThreshold,
    double matchAlpha,
    AnomalyScale anomalyScale) {

  /**
   * The scale on which the masks' L1 norms enter the median-absolute-deviation anomaly index (see
   * docs/methods/neural-cleanse.md for the figures behind the default).
   */
  public enum AnomalyScale {
    /** The norms themselves: the paper's test (Wang et al. 2019, threshold 2). */
    LINEAR,
    /**
     * Natural logarithms of the norms: a clean label's norm varies by a factor rather than by an
     * amount (bags 31, sneakers 124 on Fashion-MNIST), so the spread of the clean labels no longer
     * hides a target whose norm is a fraction of theirs.
     */
    LOG
  }

  /**
   * @throws IllegalArgumentException if a size or count is below 1, a rate or multiplier is not
   *     positive, or a threshold or share is outside its range
   * @throws NullPointerException if {@code anomalyScale} is null
   */
  public NeuralCleanseConfig {
    java.util.Objects.requireNonNull(anomalyScale, "anomalyScale");
    if (sampleSize < 1 || batchSize < 1 || maxEpochs < 1 || patience < 1) {
      throw new IllegalArgumentException(
          "sample size, batch size, epochs and patience must be at least 1");
    }
    if (!(learningRate > 0) || !(initialCost >= 0) || !(costMultiplier > 1)) {
      throw new IllegalArgumentException(
          "learning rate must be > 0, initial cost >= 0 and the cost multiplier > 1");
    }
    if (!(successThreshold > 0 && successThreshold <= 1)
        || !(anomalyThreshold > 0)
        || !(matchAlpha > 0 && matchAlpha < 1)) {
      throw new IllegalArgumentException(
          "success threshold must be in (0, 1], anomaly threshold > 0, match share in (0, 1)");
    }
  }

  /**
   * The defaults: the paper's success threshold 0.99, initial cost 1e-3, multiplier 2 and Adam
   * learning rate 0.1, on a sample of 1,000 inputs in batches of 128 for at most 40 epochs with
   * patience 3 (sized to the 2-core budget, see docs/methods/neural-cleanse.md); the anomaly index
   * on log norms with threshold 3; trigger matches flagged at a share of 0.05.
   */
  public static NeuralCleanseConfig defaults() {
    return new NeuralCleanseConfig(
        1000, 128, 40, 0.1, 1e-3, 2.0, 3, 0.99, 3.0, 0.05, AnomalyScale.LOG);
  }

  /** These settings with the paper's outlier rule: anomaly index on the norms, threshold 2. */
  public NeuralCleanseConfig withPaperAnomalyRule() {
    return withAnomalyRule(AnomalyScale.LINEAR, 2.0);
  }

  /**
   * These settings with another outlier rule.
   *
   * @throws IllegalArgumentException if {@code threshold} is not positive
   * @throws NullPointerException if {@code scale} is null
   */
  public NeuralCleanseConfig withAnomalyRule(AnomalyScale scale, double threshold) {
    return new NeuralCleanseConfig(
        sampleSize,
        batchSize,
        maxEpochs,
        learningRate,
        initialCost,
        costMultiplier,
        patience,
        successThreshold,
        threshold,
        matchAlpha,
        scale);
  }

  public NeuralCleanseConfig withSampleSize(int n) {
    return new NeuralCleanseConfig(
        n,
        batchSize,
        maxEpochs,
        learningRate,
        initialCost,
        costMultiplier,
        patience,
        successThreshold,
        anomalyThreshold,
        matchAlpha,
        anomalyScale);
  }

  public NeuralCleanseConfig withMaxEpochs(int e) {
    return new NeuralCleanseConfig(
        sampleSize,
        batchSize,
        e,
        learningRate,
        initialCost,
        costMultiplier,
        patience,
        successThreshold,
        anomalyThreshold,
        matchAlpha,
        anomalyScale);
  }
}
