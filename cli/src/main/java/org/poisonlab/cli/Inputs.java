package org.poisonlab.cli;

import org.poisonlab.data.Dataset;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.data.PinnedDatasets;

/**
 * Dataset arguments: a JSONL file, or {@code NAME:SPLIT} of a pinned dataset, fetched as needed.
 */
final class Inputs {
  private Inputs() {}

  /** The dataset in memory, for commands that need every example at once. */
  static Dataset dataset(String spec) {
    return PinnedDatasets.resolve(spec, PinnedDatasets.home(), Progress.forTerminal());
  }

  /** The dataset read one pass at a time, for commands that read it once in order. */
  static ExampleSource source(String spec) {
    return PinnedDatasets.resolveSource(spec, PinnedDatasets.home(), Progress.forTerminal());
  }
}
