package org.poisonlab.report;

import org.poisonlab.eval.Rankings;

/**
 * ROC and precision-recall curves of scores against a truth. The ROC curve (Fawcett 2006, "An
 * introduction to ROC analysis") steps through every distinct score threshold from the highest: TPR
 * = TP/P, FPR = FP/N, tied scores entering together (a diagonal step); AUROC is the area under it
 * ({@link Rankings#auroc}, equal to the trapezoid rule): the probability that a random poison
 * outscores a random clean example (ties counting one half). Precision-recall points are (TP/P,
 * TP/(TP+FP)) at the same thresholds; average precision is Σ (R_k − R_{k−1}) P_k.
 */
final class Curves {
  private Curves() {}

  /**
   * @param fpr, tpr ROC points from (0,0) to (1,1)
   * @param recall, precision PR points, one per threshold
   */
  record Result(
      double[] fpr,
      double[] tpr,
      double[] recall,
      double[] precision,
      double auroc,
      double averagePrecision,
      int positives,
      int negatives) {}

  /**
   * The curves of {@code scores} against {@code positive}.
   *
   * @param scores not modified; NaN ranks lowest
   * @param positive not modified; same length
   * @return NaN areas when there are no positives or no negatives
   */
  static Result of(double[] scores, boolean[] positive) {
    int n = scores.length;
    int[] order = Rankings.descending(scores);
    int p = 0;
    for (boolean b : positive) {
      p += b ? 1 : 0;
    }
    int neg = n - p;
    int groups = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0 || key(scores[order[i]]) != key(scores[order[i - 1]])) {
        groups++;
      }
    }
    double[] fpr = new double[groups + 1];
    double[] tpr = new double[groups + 1];
    double[] rec = new double[groups];
    double[] prec = new double[groups];
    int tp = 0;
    int fp = 0;
    int g = 0;
    double ap = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j < n && key(scores[order[j]]) == key(scores[order[i]])) {
        if (positive[order[j]]) {
          tp++;
        } else {
          fp++;
        }
        j++;
      }
      g++;
      fpr[g] = neg == 0 ? 0 : fp / (double) neg;
      tpr[g] = p == 0 ? 0 : tp / (double) p;
      rec[g - 1] = tpr[g];
      prec[g - 1] = tp / (double) (tp + fp);
      ap += (tpr[g] - tpr[g - 1]) * prec[g - 1];
      i = j;
    }
    boolean defined = p > 0 && neg > 0;
    return new Result(
        fpr,
        tpr,
        rec,
        prec,
        defined ? Rankings.auroc(scores, positive) : Double.NaN,
        p > 0 ? ap : Double.NaN,
        p,
        neg);
  }

  /** At most {@code max} points of a curve, evenly spaced by index, first and last kept. */
  static double[][] thin(double[] xs, double[] ys, int max) {
    if (xs.length <= max) {
      return new double[][] {xs, ys};
    }
    double[] x = new double[max];
    double[] y = new double[max];
    for (int k = 0; k < max; k++) {
      int i = (int) Math.round(k * (xs.length - 1) / (double) (max - 1));
      x[k] = xs[i];
      y[k] = ys[i];
    }
    return new double[][] {x, y};
  }

  private static double key(double s) {
    return Double.isNaN(s) ? Double.NEGATIVE_INFINITY : s;
  }
}
