package org.poisonlab.experiment;

import java.util.Locale;

/** How results files round numbers: four decimals; small p-values to three significant digits. */
final class Rounding {
  private Rounding() {}

  /** {@code x} rounded to four decimals (half up); NaN gives 0. */
  static double round(double x) {
    return Math.round(x * 1e4) / 1e4;
  }

  /** A p-value: four decimals, or three significant digits below 1e-4 (0 stays 0). */
  static double roundP(double p) {
    if (p == 0 || p >= 1e-4) {
      return round(p);
    }
    return Double.parseDouble(String.format(Locale.ROOT, "%.3g", p));
  }
}
