package org.poisonlab.report;

import java.util.Locale;

/**
 * The report's sections, in page order: a closed set. Each has a stable element id (the browser
 * test and links use it) and names the run-folder files it is drawn from.
 */
public enum Section {
  /** The seed's table as measured, beside what the seed claims: {@code table.json}. */
  SEED_TABLE("The seed's table, measured", "table.json"),
  /** Attack success and accuracy against budget: the sweeps in {@code table.json}. */
  BUDGET("Attack success and accuracy against budget", "table.json (sweep)"),
  /**
   * Per-detector ROC and PR curves and score histograms: {@code detection.json}, {@code scans/}.
   */
  DETECTION(
      "Detectors: ROC, precision-recall and score histograms", "detection.json, scans/*.json"),
  /** Top flagged and attributed examples: {@code scans/}, {@code traces/}, {@code examples/}. */
  EXAMPLES("Top flagged and attributed examples", "scans/*.json, traces/*.json, examples/*.jsonl"),
  /** Sources ranked by flags: {@code scans/}, {@code traces/}. */
  SOURCES("Sources ranked by flags", "scans/*.json, traces/*.json"),
  /** Provenance verification: {@code verify*.json}, {@code provenance/verify*.json}. */
  VERIFICATION("Provenance verification", "verify*.json"),
  /** The run's own provenance: {@code run.json}. */
  RUN("This run: versions, seeds, datasets, machine", "run.json");

  private final String title;
  private final String inputs;

  Section(String title, String inputs) {
    this.title = title;
    this.inputs = inputs;
  }

  /** The HTML element id: the lower-case name with dashes, e.g. {@code seed-table}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The heading. */
  public String title() {
    return title;
  }

  /** The run-folder files it is drawn from, as shown when they are absent. */
  public String inputs() {
    return inputs;
  }
}
