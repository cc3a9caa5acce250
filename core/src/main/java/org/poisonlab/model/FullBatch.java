package org.poisonlab.model;

import java.util.ArrayList;
import java.util.List;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;

/**
 * The training objective over a whole data set, {@code (1/n) Σ loss_i + l2/2 ||W||²}, evaluated in
 * fixed chunks of rows whose gradients are added in chunk order, so the result is deterministic.
 */
final class FullBatch {
  private final Layers layers;
  private final List<Layers.Batch> chunks = new ArrayList<>();
  private final int[] y;
  private final double l2;
  private final int n;
  private final Layers.Pass pass;
  private final double[] partial;

  FullBatch(Layers layers, Matrix x, int[] y, double l2) {
    this.layers = layers;
    this.y = y;
    this.l2 = l2;
    this.n = x.rows();
    if (x instanceof ByteMatrix b) {
      x = b.toDense();
    }
    int chunk = Network.CHUNK;
    for (int from = 0; from < n; from += chunk) {
      int rows = Math.min(chunk, n - from);
      if (x instanceof DenseMatrix d) {
        chunks.add(new Layers.Batch(d.values(), from * d.cols(), null, rows));
      } else {
        CsrMatrix s = (CsrMatrix) x;
        int[] idx = new int[rows];
        for (int r = 0; r < rows; r++) {
          idx[r] = from + r;
        }
        chunks.add(new Layers.Batch(null, 0, s.gather(idx, 0, rows), rows));
      }
    }
    this.pass = layers.pass(Math.min(chunk, Math.max(1, n)), false);
    this.partial = chunks.size() > 1 ? new double[layers.parameterCount] : null;
  }

  int size() {
    return n;
  }

  /**
   * The objective's Hessian (or Gauss-Newton matrix) at {@code w} times {@code v}, into {@code out}
   * (every entry); chunk results are added in chunk order.
   */
  void curvatureVector(double[] w, double[] v, boolean gaussNewton, double[] out) {
    double[] part = chunks.size() > 1 ? new double[out.length] : null;
    for (int c = 0; c < chunks.size(); c++) {
      int from = c * Network.CHUNK;
      double[] target = c == 0 ? out : part;
      layers.curvatureVector(w, chunks.get(c), pass, y, from, v, 1.0 / n, gaussNewton, target);
      if (c > 0) {
        for (int p = 0; p < out.length; p++) {
          out[p] += part[p];
        }
      }
    }
    layers.addPenaltyCurvature(v, l2, out);
  }

  /** The objective at {@code w}; its gradient into {@code grad} (every entry) when not null. */
  double evaluate(double[] w, double[] grad) {
    double loss = 0;
    for (int c = 0; c < chunks.size(); c++) {
      Layers.Batch b = chunks.get(c);
      int from = c * Network.CHUNK;
      loss += layers.forward(w, b, pass, y, from);
      if (grad != null) {
        if (c == 0) {
          layers.backward(w, b, pass, y, from, 1.0 / n, grad);
        } else {
          layers.backward(w, b, pass, y, from, 1.0 / n, partial);
          for (int p = 0; p < grad.length; p++) {
            grad[p] += partial[p];
          }
        }
      }
    }
    if (grad != null) {
      layers.addPenaltyGradient(w, l2, grad);
    }
    return loss / n + l2 * layers.halfSquaredWeights(w);
  }
}
