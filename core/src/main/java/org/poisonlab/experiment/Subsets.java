package org.poisonlab.experiment;

import org.poisonlab.data.Dataset;

/** Deterministic subsets for quick runs. */
final class Subsets {
  private Subsets() {}

  /** The first {@code share} of the examples, in order (the pinned splits are already shuffled). */
  static Dataset firstShare(Dataset d, double share) {
    int n = Math.max(1, (int) Math.round(d.size() * share));
    return new Dataset(d.name() + "[:" + n + "]", d.examples().subList(0, n));
  }
}
