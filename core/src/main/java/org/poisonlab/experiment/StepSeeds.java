package org.poisonlab.experiment;

/**
 * Seeds for the steps of a run. Every random choice of a run (an attack, a training run, an
 * evaluation, a scan, a behaviour sample) takes the seed derived here from the run seed and the
 * step's place, so the same run seed gives the same results whatever runs before or beside it.
 */
final class StepSeeds {
  private StepSeeds() {}

  /**
   * A seed for one step, derived from the run seed, the step's kind, dataset and name and a key
   * (SplitMix64 mixing). Sweep points use their budget or index as the key, so adding or removing a
   * point leaves the other points' seeds, and numbers, alone.
   */
  static long derive(long seed, String kind, String dataset, String what, int index) {
    long h = seed;
    for (String part : new String[] {kind, dataset, what}) {
      h = mix(h ^ part.hashCode());
    }
    return mix(h ^ index);
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
