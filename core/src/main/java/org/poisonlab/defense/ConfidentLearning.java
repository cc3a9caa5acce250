package org.poisonlab.defense;

import java.util.Arrays;

/**
 * Confident learning (Northcutt, Jiang & Chuang, "Confident Learning: Estimating Uncertainty in
 * Dataset Labels", JAIR 70, 2021), as pure functions over out-of-sample probabilities {@code p̂}
 * (row-major n × m) and given labels {@code ỹ}:
 *
 * <ol>
 *   <li>per-class thresholds {@code t_j = mean of p̂_j(x) over x with ỹ = j} (eq. 2);
 *   <li>the confident joint {@code C[i][j] = |{x : ỹ = i, j = argmax_{l : p̂_l(x) ≥ t_l} p̂_l(x)}|}
 *       (eq. 1; an example above no threshold is not counted);
 *   <li>calibration: row {@code i} rescaled to sum to {@code n_i}, the count of label i (eq. 3),
 *       and the joint {@code Q = C̃ / n};
 *   <li>prune by noise rate (§4.2, "PBNR"): for each given label i and j ≠ i, the {@code round(n ·
 *       Q[i][j])} examples labelled i with the largest margin {@code p̂_j − p̂_i} are issues.
 * </ol>
 *
 * As in the authors' reference code, an example whose most probable class is its given label is
 * never flagged (such examples can only enter the prune through ties of small margins).
 */
final class ConfidentLearning {
  private ConfidentLearning() {}

  /**
   * Per-class thresholds {@code t_j}; a class with no example labelled j gets +∞ (never reached).
   *
   * @param proba not modified; n × classes, row-major
   * @param labels not modified; class index per example
   */
  static double[] thresholds(double[] proba, int[] labels, int classes) {
    double[] sum = new double[classes];
    int[] count = new int[classes];
    for (int i = 0; i < labels.length; i++) {
      sum[labels[i]] += proba[i * classes + labels[i]];
      count[labels[i]]++;
    }
    double[] t = new double[classes];
    for (int c = 0; c < classes; c++) {
      t[c] = count[c] == 0 ? Double.POSITIVE_INFINITY : sum[c] / count[c];
    }
    return t;
  }

  /**
   * The class each example is confidently counted for: the most probable among the classes whose
   * threshold it reaches, or -1 when it reaches none. Ties go to the lower class index.
   */
  static int[] confidentClasses(double[] proba, int n, int classes, double[] thresholds) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int best = -1;
      double bestP = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        double p = proba[i * classes + c];
        if (p >= thresholds[c] && p > bestP) {
          best = c;
          bestP = p;
        }
      }
      out[i] = best;
    }
    return out;
  }

  /** {@code C[given][confident]} counts; examples with no confident class are left out. */
  static long[][] confidentJoint(int[] labels, int[] confident, int classes) {
    long[][] c = new long[classes][classes];
    for (int i = 0; i < labels.length; i++) {
      if (confident[i] >= 0) {
        c[labels[i]][confident[i]]++;
      }
    }
    return c;
  }

  /**
   * The calibrated joint {@code Q}: each row of {@code joint} rescaled to the label's count, then
   * everything divided by n. A label with an empty row keeps all its mass on the diagonal.
   */
  static double[][] calibratedJoint(long[][] joint, int[] labels) {
    int m = joint.length;
    long[] counts = new long[m];
    for (int y : labels) {
      counts[y]++;
    }
    double n = labels.length;
    double[][] q = new double[m][m];
    for (int i = 0; i < m; i++) {
      long row = Arrays.stream(joint[i]).sum();
      for (int j = 0; j < m; j++) {
        if (row == 0) {
          q[i][j] = i == j ? counts[i] / n : 0;
        } else {
          q[i][j] = (double) joint[i][j] / row * counts[i] / n;
        }
      }
    }
    return q;
  }

  /**
   * Prune by noise rate: which examples are label issues.
   *
   * @param proba not modified
   * @param labels not modified
   * @param q the calibrated joint; not modified
   */
  static boolean[] pruneByNoiseRate(double[] proba, int[] labels, int classes, double[][] q) {
    int n = labels.length;
    boolean[] flagged = new boolean[n];
    for (int i = 0; i < classes; i++) {
      int[] members = membersOf(labels, i);
      for (int j = 0; j < classes; j++) {
        if (j == i) {
          continue;
        }
        int take = (int) Math.min(members.length, Math.round(n * q[i][j]));
        if (take == 0) {
          continue;
        }
        final int gi = i;
        final int gj = j;
        Integer[] order = Arrays.stream(members).boxed().toArray(Integer[]::new);
        // largest margin p̂_j − p̂_i first; ties by position for determinism
        Arrays.sort(
            order,
            (a, b) -> {
              int cmp =
                  Double.compare(
                      proba[b * classes + gj] - proba[b * classes + gi],
                      proba[a * classes + gj] - proba[a * classes + gi]);
              return cmp != 0 ? cmp : Integer.compare(a, b);
            });
        for (int r = 0; r < take; r++) {
          flagged[order[r]] = true;
        }
      }
    }
    for (int x = 0; x < n; x++) {
      if (flagged[x] && argmax(proba, x, classes) == labels[x]) {
        flagged[x] = false;
      }
    }
    return flagged;
  }

  /** {@code max_{j ≠ ỹ} p̂_j − p̂_ỹ} of each example, in [-1, 1]. */
  static double[] margins(double[] proba, int[] labels, int classes) {
    double[] s = new double[labels.length];
    for (int x = 0; x < labels.length; x++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        if (c != labels[x]) {
          best = Math.max(best, proba[x * classes + c]);
        }
      }
      s[x] = (classes == 1 ? 0 : best) - proba[x * classes + labels[x]];
    }
    return s;
  }

  static int argmax(double[] proba, int x, int classes) {
    int best = 0;
    for (int c = 1; c < classes; c++) {
      if (proba[x * classes + c] > proba[x * classes + best]) {
        best = c;
      }
    }
    return best;
  }

  private static int[] membersOf(int[] labels, int c) {
    int k = 0;
    for (int y : labels) {
      if (y == c) {
        k++;
      }
    }
    int[] out = new int[k];
    k = 0;
    for (int x = 0; x < labels.length; x++) {
      if (labels[x] == c) {
        out[k++] = x;
      }
    }
    return out;
  }
}
