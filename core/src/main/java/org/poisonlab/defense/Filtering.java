package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.data.Dataset;

/** Small helpers shared by the filtering detectors. */
final class Filtering {
  private Filtering() {}

  /** Two classes and at least one example per fold. */
  static boolean canCrossValidate(Dataset train) {
    return train.labels().size() >= 2 && train.size() >= 2 * OutOfSample.FOLDS;
  }

  /**
   * The finding of a filter without a calibrated null: its flags are label-noise candidates (hard
   * or mislabelled examples), not evidence of poisoning.
   */
  static Finding candidatesOnly(String name) {
    return Finding.untested(
            name,
            "label-noise candidates (hard or mislabelled examples), not evidence of poisoning; a"
                + " clean reference (scan --reference) tests their number")
        .withKind(Finding.LABEL_NOISE);
  }

  static int count(boolean[] flags) {
    int k = 0;
    for (boolean f : flags) {
      if (f) {
        k++;
      }
    }
    return k;
  }

  static List<Double> list(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double x : v) {
      out.add(x);
    }
    return out;
  }
}
