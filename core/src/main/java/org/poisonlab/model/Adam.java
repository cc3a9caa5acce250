package org.poisonlab.model;

/**
 * Adam (Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015): {@code m ← β1 m +
 * (1−β1) g}, {@code v ← β2 v + (1−β2) g²}, {@code θ ← θ − η_t m / (√v + ε)} with the bias
 * correction folded into {@code η_t = η √(1−β2^t) / (1−β1^t)}; β1 = 0.9, β2 = 0.999, ε = 1e-8.
 */
final class Adam implements MiniBatch.Step {
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-8;
  private final double[] m;
  private final double[] v;
  private double b1t = 1;
  private double b2t = 1;

  Adam(int parameters) {
    m = new double[parameters];
    v = new double[parameters];
  }

  @Override
  public void update(double[] w, double[] g, double rate) {
    b1t *= B1;
    b2t *= B2;
    double eta = rate * Math.sqrt(1 - b2t) / (1 - b1t);
    for (int i = 0; i < w.length; i++) {
      double gi = g[i];
      double mi = B1 * m[i] + (1 - B1) * gi;
      double vi = B2 * v[i] + (1 - B2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] -= eta * mi / (Math.sqrt(vi) + EPS);
    }
  }
}
