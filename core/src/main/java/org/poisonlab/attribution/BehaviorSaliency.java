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
    int d = model.featurizer().dimension();
    int m = behavior.size();
    double[] s = new double[d];
    int block = Math.max(1, (1 << 22) / Math.max(1, d));
    for (int from = 0; from < m; from += block) {
      int to = Math.min(m, from + block);
      double[] x = dense(model.featurizer().transform(behavior.subList(from, to)), d);
      double[] g =
          model.featureGradients(x, java.util.Arrays.copyOfRange(labels, from, to), null, null);
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

  /**
   * For each example, the model's probability of its own label once the salient features are
   * occluded: {@code x̃ = (1 − √s) ⊙ x + √s ⊙ μ}, {@code μ} the examples' mean input (the square
   * root widens the mask beyond the few most salient features; measured better than {@code s} and
   * {@code s²}, see docs/methods/tracin-saliency.md). An example whose label survives the occlusion
   * does not need the features the behaviour relies on.
   *
   * @param examples not modified
   * @param labels not modified; one class index per example
   * @param s not modified; the saliency, entries in [0, 1]
   * @return a new array, one probability per example
   */
  static double[] occludedProbability(
      DifferentiableClassifier model, List<Example> examples, int[] labels, double[] s) {
    int d = model.featurizer().dimension();
    int n = examples.size();
    int k = model.labels().size();
    int block = Math.max(1, (1 << 21) / Math.max(1, d));
    double[] mean = new double[d];
    for (int from = 0; from < n; from += block) {
      int to = Math.min(n, from + block);
      double[] x = dense(model.featurizer().transform(examples.subList(from, to)), d);
      for (int q = 0; q < x.length; q++) {
        mean[q % d] += x[q] / n;
      }
    }
    double[] mask = new double[d];
    for (int j = 0; j < d; j++) {
      mask[j] = Math.sqrt(s[j]);
    }
    double[] out = new double[n];
    for (int from = 0; from < n; from += block) {
      int to = Math.min(n, from + block);
      double[] x = dense(model.featurizer().transform(examples.subList(from, to)), d);
      for (int q = 0; q < x.length; q++) {
        int j = q % d;
        x[q] = (1 - mask[j]) * x[q] + mask[j] * mean[j];
      }
      int[] y = java.util.Arrays.copyOfRange(labels, from, to);
      double[] p = new double[(to - from) * k];
      model.featureGradients(x, y, p, null);
      for (int r = 0; r < to - from; r++) {
        out[from + r] = p[r * k + y[r]];
      }
    }
    return out;
  }

  /**
   * How consistently the behaviour examples differ from their centres, per feature: with {@code
   * d_{t,j} = x_{t,j} − μ_{t,j}} ({@code μ_t} behaviour example t's centre, zero without centres),
   * {@code c_j = mean_t(d_{t,j})² / (var_t(d_{t,j}) + eps)}, scaled to max 1.
   */
  static double[] consensus(
      DifferentiableClassifier model, List<Example> behavior, Centres centres, double eps) {
    int d = model.featurizer().dimension();
    int m = behavior.size();
    double[] x = dense(model.featurizer().transform(behavior), d);
    double[] sum = new double[d];
    double[] sq = new double[d];
    for (int t = 0; t < m; t++) {
      double[] mu = centres == null ? null : centres.mean(centres.of(t));
      for (int j = 0; j < d; j++) {
        double v = x[t * d + j] - (mu == null ? 0 : mu[j]);
        sum[j] += v;
        sq[j] += v * v;
      }
    }
    double[] c = new double[d];
    double max = 0;
    for (int j = 0; j < d; j++) {
      double mean = sum[j] / m;
      double var = Math.max(0, sq[j] / m - mean * mean);
      c[j] = mean * mean / (var + eps);
      max = Math.max(max, c[j]);
    }
    if (max > 0) {
      for (int j = 0; j < d; j++) {
        c[j] /= max;
      }
    }
    return c;
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
