package org.poisonlab.attribution;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Which input features a behaviour depends on: the mean absolute input gradient of the behaviour
 * loss, {@code s_j = (1/m) Σ_t |∂L(f(x_t), y_t) / ∂x_{t,j}|} (a vanilla-gradient saliency map,
 * Simonyan, Vedaldi and Zisserman, "Deep Inside Convolutional Networks", ICLR 2014 workshop, §3.1,
 * averaged over the behaviour set instead of taken per image), in the model's feature space.
 *
 * <p>Used as input weights for gradients restricted to the input layer: scaling input j by {@code
 * s_j} turns the per-example input-layer gradient {@code δ xᵀ} into {@code δ (s ⊙ x)ᵀ}, so only the
 * features the behaviour relies on (for a backdoor, the trigger) count in gradient similarity.
 */
final class BehaviorSaliency {
  private BehaviorSaliency() {}

  /**
   * The saliency {@code s} of the behaviour under {@code model}, scaled so its largest entry is 1
   * (all zero if every gradient is zero).
   *
   * @param behavior not modified; non-empty
   * @param labels not modified; one class index per behaviour example
   * @return a new array of {@code layerSizes()[0]} entries
   * @throws UnsupportedOperationException if the model gives no input gradients
   */
  static double[] of(DifferentiableClassifier model, List<Example> behavior, int[] labels) {
    int d = model.layerSizes()[0];
    int m = behavior.size();
    double[] s = new double[d];
    int block = Math.max(1, (1 << 22) / Math.max(1, d));
    for (int from = 0; from < m; from += block) {
      int to = Math.min(m, from + block);
      double[] x = dense(model.featurizer().transform(behavior.subList(from, to)), d);
      double[] g =
          model.inputGradients(x, java.util.Arrays.copyOfRange(labels, from, to), null, null);
      for (int r = 0; r < to - from; r++) {
        for (int j = 0; j < d; j++) {
          s[j] += Math.abs(g[r * d + j]);
        }
      }
    }
    double max = 0;
    for (double v : s) {
      max = Math.max(max, v);
    }
    if (max > 0) {
      for (int j = 0; j < d; j++) {
        s[j] /= max;
      }
    }
    return s;
  }

  private static double[] dense(Matrix x, int d) {
    if (x instanceof ByteMatrix b) {
      return b.toDense().values();
    }
    if (x instanceof DenseMatrix m) {
      return m.values().clone();
    }
    CsrMatrix c = (CsrMatrix) x;
    double[] out = new double[c.rows() * d];
    int[] ptr = c.rowPtr();
    for (int r = 0; r < c.rows(); r++) {
      for (int q = ptr[r]; q < ptr[r + 1]; q++) {
        out[r * d + c.colIndex()[q]] += c.values()[q];
      }
    }
    return out;
  }
}
