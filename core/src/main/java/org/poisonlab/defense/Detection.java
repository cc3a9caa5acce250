package org.poisonlab.defense;

import java.util.Objects;

/**
 * A detector's verdict on a training set.
 *
 * @param method the detector's name
 * @param scores one per example in dataset order, higher = more suspicious (not modified by
 *     consumers; copied in)
 * @param flagged the examples the detector would remove by itself, in dataset order (copied in)
 * @param details method-specific findings for the scan file, e.g. the trigger strings an
 *     association scan ranks first; {@link DetectionDetails#NONE} when null is given
 */
public record Detection(
    String method, double[] scores, boolean[] flagged, DetectionDetails details) {
  public Detection {
    Objects.requireNonNull(method, "method");
    if (scores.length != flagged.length) {
      throw new IllegalArgumentException(
          "scores (" + scores.length + ") and flags (" + flagged.length + ") differ in length");
    }
    scores = scores.clone();
    flagged = flagged.clone();
    details = details == null ? DetectionDetails.NONE : details;
  }

  /**
   * A detection without details.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public Detection(String method, double[] scores, boolean[] flagged) {
    this(method, scores, flagged, DetectionDetails.NONE);
  }

  @Override
  public double[] scores() {
    return scores.clone();
  }

  @Override
  public boolean[] flagged() {
    return flagged.clone();
  }

  public int size() {
    return scores.length;
  }
}
