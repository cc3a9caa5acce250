package org.poisonlab.model;

import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.linalg.Matrix;

/**
 * The two-class softmax regression objective in half the parameters. With logits {@code z = W x +
 * b} over two classes, the objective {@code (1/n) Σ CE + l2/2 (||W₀||² + ||W₁||²)} is minimised by
 * {@code W₀ = −v, W₁ = v, b₀ = −c, b₁ = c}, and L-BFGS started at zero stays on that line: only the
 * logit difference {@code z₁ − z₀ = 2u} with {@code u = v·x + c} matters to the loss, and the
 * penalty is least where the two rows are opposite. On that line the objective is
 *
 * <pre>g(v, c) = (1/n) Σ softplus(−2 t_i u_i) + l2 ||v||²,   t_i = ±1 for class 1 / 0,</pre>
 *
 * the same value as the softmax objective, with gradient {@code ∂g/∂v = (1/n) Σ 2(p_i − y_i) x_i +
 * 2 l2 v} and {@code ∂g/∂c = (1/n) Σ 2(p_i − y_i)}, {@code p_i = σ(2u_i)}: twice the softmax
 * gradient's class-1 half. Fitting here reads the inputs once per evaluation instead of once per
 * class and keeps optimiser vectors half as long; {@link #expand} writes the softmax layer.
 */
final class BinaryLogistic {
  private final Matrix x;
  private final int[] y;
  private final double l2;
  private final int n;
  private final int k;
  private final int threads;
  private final double[] u;
  // sparse inputs transposed once: the gradient's X^T r becomes a row-by-row product that both
  // cores share, summing each column in the same order as a scatter over the rows
  private final CsrMatrix xt;

  /**
   * @param x inputs, one row per example; kept, not modified
   * @param y class of each row, 0 or 1; kept, not modified
   */
  BinaryLogistic(Matrix x, int[] y, double l2, int threads) {
    this.x = x instanceof ByteMatrix b ? b.toDense() : x;
    this.y = y;
    this.l2 = l2;
    this.n = x.rows();
    this.k = x.cols();
    this.threads = threads;
    this.u = new double[n];
    this.xt = this.x instanceof CsrMatrix s ? s.transpose() : null;
  }

  /** Length of the parameter vector: the weights {@code v}, then the bias {@code c}. */
  int parameterCount() {
    return k + 1;
  }

  /**
   * The objective at {@code p = (v, c)}; its gradient into {@code grad} (every entry) if not null.
   */
  double evaluate(double[] p, double[] grad) {
    if (x instanceof CsrMatrix s) {
      Matrices.multiplyTransB(s, p, 0, 1, u, 0, threads);
    } else {
      DenseMatrix d = (DenseMatrix) x;
      Matrices.multiplyTransB(d.values(), 0, p, 0, n, 1, k, u, 0, threads);
    }
    double c = p[k];
    double loss = 0;
    double biasGrad = 0;
    for (int i = 0; i < n; i++) {
      double a = 2 * (u[i] + c);
      double t = y[i] == 1 ? -a : a;
      // softplus(t) = max(t, 0) + log(1 + e^−|t|), exact for large |t|
      loss += Math.max(t, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(t)));
      double pOne = a >= 0 ? 1 / (1 + StrictMath.exp(-a)) : 1 - 1 / (1 + StrictMath.exp(a));
      u[i] = 2 * (pOne - y[i]) / n;
      biasGrad += u[i];
    }
    double squared = 0;
    for (int j = 0; j < k; j++) {
      squared += p[j] * p[j];
    }
    if (grad != null) {
      if (xt != null) {
        Matrices.multiplyTransB(xt, u, 0, 1, grad, 0, threads);
      } else {
        DenseMatrix d = (DenseMatrix) x;
        Matrices.multiplyTransA(u, 0, d.values(), 0, 1, n, k, grad, 0, threads);
      }
      for (int j = 0; j < k; j++) {
        grad[j] = Math.fma(2 * l2, p[j], grad[j]);
      }
      grad[k] = biasGrad;
    }
    return loss / n + l2 * squared;
  }

  /**
   * The softmax layer of {@code p = (v, c)} in {@link Layers}' layout for sizes {@code [k, 2]}:
   * {@code W} row-major (class 0's row {@code −v}, class 1's row {@code v}), then {@code b = (−c,
   * c)}.
   */
  static double[] expand(double[] p, double[] out) {
    int k = p.length - 1;
    for (int j = 0; j < k; j++) {
      out[j] = -p[j];
      out[k + j] = p[j];
    }
    out[2 * k] = -p[k];
    out[2 * k + 1] = p[k];
    return out;
  }
}
