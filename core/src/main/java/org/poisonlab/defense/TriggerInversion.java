package org.poisonlab.defense;

import java.util.List;
import java.util.Objects;

/**
 * The result of trigger inversion on a model: for each label the smallest mask and pattern found
 * that send other inputs to it, the masks' L1 norms, their anomaly indices, and the flagged labels.
 *
 * @param shape the input shape, e.g. {@code [28, 28]}; masks and patterns are row-major over it
 * @param triggers one per label of the model, in the model's label order
 * @param anomalyIndices per label (same order): {@code |norm − median| / (1.4826 · MAD)}
 * @param flagged the labels whose norm is below the median with an anomaly index above the
 *     threshold, most anomalous first; empty when none
 * @param sampleSize inputs the masks were optimised on
 * @param seconds wall time of the inversion, for progress; not written to a scan file
 */
public record TriggerInversion(
    int[] shape,
    List<Trigger> triggers,
    double[] anomalyIndices,
    List<String> flagged,
    int sampleSize,
    double seconds) {
  public TriggerInversion {
    shape = shape.clone();
    triggers = List.copyOf(triggers);
    anomalyIndices = anomalyIndices.clone();
    flagged = List.copyOf(flagged);
    if (anomalyIndices.length != triggers.size()) {
      throw new IllegalArgumentException(
          anomalyIndices.length + " anomaly indices for " + triggers.size() + " labels");
    }
  }

  /**
   * One label's reverse-engineered trigger: inputs become {@code (1 − m) ⊙ x + m ⊙ p}.
   *
   * @param label the label the trigger sends inputs to
   * @param norm the mask's L1 norm {@code Σ m}, in pixels
   * @param attackSuccess share of the sample (inputs of other labels) classified as {@code label}
   *     with this trigger
   * @param reached whether the success threshold was reached; when not, the last mask is kept
   * @param mask values in [0, 1], row-major over the shape
   * @param pattern values in [0, 1] (pixel / 255), row-major over the shape
   * @param epochs epochs run
   * @param finalCost the L1 weight λ at the end of the schedule
   */
  public record Trigger(
      String label,
      double norm,
      double attackSuccess,
      boolean reached,
      double[] mask,
      double[] pattern,
      int epochs,
      double finalCost) {
    public Trigger {
      Objects.requireNonNull(label, "label");
      mask = mask.clone();
      pattern = pattern.clone();
    }

    @Override
    public double[] mask() {
      return mask.clone();
    }

    @Override
    public double[] pattern() {
      return pattern.clone();
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public double[] anomalyIndices() {
    return anomalyIndices.clone();
  }

  /** The L1 norm of each label's mask, in label order. */
  public double[] norms() {
    return triggers.stream().mapToDouble(Trigger::norm).toArray();
  }

  /** The trigger of {@code label}. @throws IllegalArgumentException if there is none */
  public Trigger trigger(String label) {
    return triggers.stream()
        .filter(t -> t.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no trigger for label " + label));
  }
}
