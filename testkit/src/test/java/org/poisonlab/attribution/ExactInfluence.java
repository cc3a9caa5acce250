package org.poisonlab.attribution;

import java.util.List;
import java.util.Map;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * A test-only exact influence function for small models (Koh and Liang 2017, eq. 2): {@code
 * score(i, t) = ∇L(z_t)ᵀ H⁻¹ ∇L(z_i)}, the Hessian of the training objective built column by column
 * from Hessian-vector products, damped by 1e-6, and solved by Gaussian elimination with partial
 * pivoting. Self- influence is {@code ∇L(z_i)ᵀ H⁻¹ ∇L(z_i)}.
 */
final class ExactInfluence implements Attributor {
  private static final double DAMPING = 1e-6;

  @Override
  public String name() {
    return "exact-influence-test";
  }

  @Override
  public Attribution attribute(AttributionRequest request) {
    DifferentiableClassifier model = request.model();
    List<Example> train = request.train().examples();
    int[] y = model.labelIndices(train);
    int p = model.parameterCount();
    double[][] h = new double[p][];
    double[] e = new double[p];
    for (int j = 0; j < p; j++) {
      e[j] = 1;
      h[j] = model.hessianVector(train, y, e, null);
      e[j] = 0;
    }
    int n = train.size();
    double[][] g = new double[n][];
    model.forEachGradient(train, y, (gi, i) -> g[i] = gi.clone());
    boolean self = request.selfInfluence();
    List<Example> behavior = request.behavior();
    int m = self ? 1 : behavior.size();
    double[][] solved = new double[self ? n : m][];
    if (self) {
      for (int i = 0; i < n; i++) {
        solved[i] = solve(h, g[i]);
      }
    } else {
      int[] by = model.labelIndices(behavior);
      for (int t = 0; t < m; t++) {
        solved[t] = solve(h, model.gradient(behavior.get(t), by[t], null));
      }
    }
    double[] scores = new double[n * m];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < m; t++) {
        double[] v = solved[self ? i : t];
        double s = 0;
        for (int k = 0; k < p; k++) {
          s += v[k] * g[i][k];
        }
        scores[i * m + t] = s;
      }
    }
    return new Attribution(name(), n, m, scores, Map.of());
  }

  private static double[] solve(double[][] hColumns, double[] b) {
    int p = b.length;
    double[][] a = new double[p][p + 1];
    for (int r = 0; r < p; r++) {
      for (int c = 0; c < p; c++) {
        a[r][c] = 0.5 * (hColumns[c][r] + hColumns[r][c]);
      }
      // the softmax's unpenalised biases leave one flat direction, orthogonal to every gradient
      a[r][r] += DAMPING;
      a[r][p] = b[r];
    }
    for (int col = 0; col < p; col++) {
      int best = col;
      for (int r = col + 1; r < p; r++) {
        if (Math.abs(a[r][col]) > Math.abs(a[best][col])) {
          best = r;
        }
      }
      double[] tmp = a[col];
      a[col] = a[best];
      a[best] = tmp;
      for (int r = col + 1; r < p; r++) {
        double f = a[r][col] / a[col][col];
        for (int c = col; c <= p; c++) {
          a[r][c] -= f * a[col][c];
        }
      }
    }
    double[] x = new double[p];
    for (int r = p - 1; r >= 0; r--) {
      double s = a[r][p];
      for (int c = r + 1; c < p; c++) {
        s -= a[r][c] * x[c];
      }
      x[r] = s / a[r][r];
    }
    return x;
  }
}
