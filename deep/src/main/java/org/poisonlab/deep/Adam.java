package org.poisonlab.deep;

/**
 * Adam (Kingma and Ba, ICLR 2015) on parameters held as Java float arrays: {@code m ← β1 m + (1 −
 * β1) g}, {@code v ← β2 v + (1 − β2) g²}, {@code w ← w − lr m̂ / (√v̂ + ε)} with the bias-corrected
 * {@code m̂ = m / (1 − β1^t)}, {@code v̂ = v / (1 − β2^t)}; an L2 penalty {@code l2 w} is added to
 * the gradient of the tensors marked as weights (β1 0.9, β2 0.999, ε 1e-8).
 */
final class Adam {
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private Adam() {}

  /**
   * One step. Modified: {@code w}, {@code m}, {@code v}. Not modified: {@code g}, {@code weight}.
   *
   * @param step the step number, from 1
   */
  static void step(
      float[][] w,
      float[][] g,
      float[][] m,
      float[][] v,
      boolean[] weight,
      double lr,
      double l2,
      int step) {
    double c1 = 1 - Math.pow(BETA1, step);
    double c2 = 1 - Math.pow(BETA2, step);
    for (int t = 0; t < w.length; t++) {
      float[] wt = w[t];
      float[] gt = g[t];
      float[] mt = m[t];
      float[] vt = v[t];
      boolean decay = weight[t] && l2 > 0;
      for (int i = 0; i < wt.length; i++) {
        double gi = gt[i] + (decay ? l2 * wt[i] : 0);
        double mi = BETA1 * mt[i] + (1 - BETA1) * gi;
        double vi = BETA2 * vt[i] + (1 - BETA2) * gi * gi;
        mt[i] = (float) mi;
        vt[i] = (float) vi;
        wt[i] = (float) (wt[i] - lr * (mi / c1) / (Math.sqrt(vi / c2) + EPSILON));
      }
    }
  }
}
