package org.poisonlab.defense;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A detector's answer to "is anything here?" before "which examples?": the statistic it tested
 * against a no-poison null, the p-value, and what it points at (docs/reference.md, "Findings").
 *
 * @param detector the detector's name
 * @param kind {@code "trigger"} (a trigger associated with a label), {@code "label-noise"} (more
 *     mislabelled examples than clean data of the same kind has), or {@code "untested"} (the
 *     detector has no calibrated null; its scores and flags are kept but no finding is claimed)
 * @param significant whether the finding holds: the detector's own test rejected the null and, in a
 *     scan of several detectors, the Benjamini–Hochberg control across them did too
 * @param pValue the p-value of the detector's global null (no poison of the kind it looks for);
 *     null when untested
 * @param qValue the Benjamini–Hochberg adjusted p-value across the scan's findings; null until the
 *     scan sets it, and when untested
 * @param statistic the tested statistic's value; null when untested
 * @param test what the statistic is and what it was tested against
 * @param flagged how many examples the finding flags (0 when not significant)
 * @param candidate the candidate trigger (an n-gram, a pixel patch, a recovered mask), or null
 * @param target the label the finding points at, or null
 * @param sources the sources most represented among the flagged examples, most first; empty when
 *     nothing is flagged
 * @param note a caveat in one line, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "detector",
  "kind",
  "significant",
  "p_value",
  "q_value",
  "statistic",
  "test",
  "flagged",
  "candidate",
  "target",
  "sources",
  "note"
})
public record Finding(
    String detector,
    String kind,
    boolean significant,
    @JsonProperty("p_value") Double pValue,
    @JsonProperty("q_value") Double qValue,
    Double statistic,
    String test,
    int flagged,
    String candidate,
    String target,
    List<ScanFiles.SourceCount> sources,
    String note) {
  /** Kind of a trigger finding. */
  public static final String TRIGGER = "trigger";

  /** Kind of an excess-label-noise finding. */
  public static final String LABEL_NOISE = "label-noise";

  /** Kind of a detector without a calibrated null. */
  public static final String UNTESTED = "untested";

  public Finding {
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(kind, "kind");
    sources = sources == null ? List.of() : List.copyOf(sources);
    if (pValue != null && !(pValue >= 0 && pValue <= 1)) {
      throw new IllegalArgumentException("p-value " + pValue + " is not in [0, 1]");
    }
  }

  /**
   * A tested finding.
   *
   * @param significant whether the detector's own test rejects its null
   */
  public static Finding tested(
      String detector,
      String kind,
      boolean significant,
      double pValue,
      double statistic,
      String test,
      int flagged,
      String candidate,
      String target) {
    return new Finding(
        detector,
        kind,
        significant,
        clamp(pValue),
        null,
        statistic,
        test,
        significant ? flagged : 0,
        candidate,
        target,
        List.of(),
        null);
  }

  /** A detector without a calibrated null: no finding is claimed; {@code note} says why. */
  public static Finding untested(String detector, String note) {
    return new Finding(
        detector, UNTESTED, false, null, null, null, null, 0, null, null, List.of(), note);
  }

  /** Whether the finding was tested against a null (it has a p-value). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isTested() {
    return pValue != null;
  }

  /** This finding with the scan's verdict: adjusted p-value and whether it holds. */
  Finding controlled(Double q, boolean holds) {
    return with(kind, holds, q, holds ? flagged : 0, holds ? sources : List.of(), note);
  }

  /** This finding as not holding: no flags, no sources, no adjusted p-value. */
  Finding notHeld() {
    return with(kind, false, null, 0, List.of(), note);
  }

  /** This finding with the sources of its flagged examples. */
  Finding withSources(List<ScanFiles.SourceCount> s) {
    return with(kind, significant, qValue, flagged, s, note);
  }

  /** This finding with a kind. */
  Finding withKind(String k) {
    return with(k, significant, qValue, flagged, sources, note);
  }

  /** This finding with a flag count. */
  Finding withFlagged(int k) {
    return with(kind, significant, qValue, k, sources, note);
  }

  /** This finding with a note. */
  Finding withNote(String n) {
    return with(kind, significant, qValue, flagged, sources, n);
  }

  private Finding with(
      String k, boolean sig, Double q, int f, List<ScanFiles.SourceCount> s, String n) {
    return new Finding(detector, k, sig, pValue, q, statistic, test, f, candidate, target, s, n);
  }

  private static double clamp(double p) {
    if (Double.isNaN(p)) {
      throw new IllegalArgumentException("p-value is NaN");
    }
    return Math.max(0, Math.min(1, p));
  }
}
