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
 * @param finding the detector's answer to "is anything here?" (its test against a no-poison null);
 *     null for a ranking that is not a detector's (a trace) or a detector that reports none
 */
public record Detection(
    String method, double[] scores, boolean[] flagged, DetectionDetails details, Finding finding) {
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
   * A detection without a finding.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public Detection(String method, double[] scores, boolean[] flagged, DetectionDetails details) {
    this(method, scores, flagged, details, null);
  }

  /**
   * A detection without details.
   *
   * @throws IllegalArgumentException if the lengths differ
   */
  public Detection(String method, double[] scores, boolean[] flagged) {
    this(method, scores, flagged, DetectionDetails.NONE, null);
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
