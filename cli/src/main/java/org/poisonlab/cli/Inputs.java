package org.poisonlab.cli;

import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;

/**
 * Dataset arguments: a JSONL file, or {@code NAME:SPLIT} of a pinned dataset, fetched as needed.
 */
final class Inputs {
  private Inputs() {}

  static Dataset dataset(String spec) {
    return PinnedDatasets.resolve(spec, PinnedDatasets.home(), Progress.forTerminal());
  }
}
