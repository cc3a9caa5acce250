package org.poisonlab.attribution;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.linalg.SoftmaxHessians;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Multinomial logistic regression on dense inputs seen as {@code k × (d+1)} weights on inputs with
 * a constant one appended, the layout in which the Hessian is {@code (1/n) Σ A_i ⊗ x̃_i x̃_iᵀ}
 * ({@link SoftmaxHessians}). Parameter {@code c·(d+1) + j} here is the model's weight {@code c·d +
 * j} for {@code j < d} and its bias {@code k·d + c} for {@code j = d}.
 */
final class DenseSoftmax {
  final int n;
  final int d;
  final int k;

  /** {@code n × (d+1)} inputs with the constant one last. */
  final double[] x;

  /** {@code n × k} class probabilities. */
  final double[] probs;

  private DenseSoftmax(int n, int d, int k, double[] x, double[] probs) {
    this.n = n;
    this.d = d;
    this.k = k;
    this.x = x;
    this.probs = probs;
  }

  /** Whether the model is logistic regression on dense (image) inputs. */
  static boolean applies(DifferentiableClassifier model) {
    return model instanceof org.poisonlab.model.LayeredModel l
        && l.layerSizes().length == 2
        && model.featurizer().kind() instanceof org.poisonlab.model.FeatureKind.Pixels;
  }

  static DenseSoftmax of(DifferentiableClassifier model, List<Example> examples) {
    int[] sizes = org.poisonlab.model.Models.layered(model, "dense softmax").layerSizes();
    int d = sizes[0];
    int k = sizes[1];
    Matrix m = model.featurizer().transform(examples);
    DenseMatrix dense = m instanceof ByteMatrix b ? b.toDense() : (DenseMatrix) m;
    int n = examples.size();
    double[] src = dense.values();
    double[] x = new double[n * (d + 1)];
    for (int i = 0; i < n; i++) {
      System.arraycopy(src, i * d, x, i * (d + 1), d);
      x[i * (d + 1) + d] = 1;
    }
    return new DenseSoftmax(n, d, k, x, model.predictProba(examples));
  }

  int parameters() {
    return k * (d + 1);
  }

  /** The model index of augmented parameter {@code q}. */
  int modelIndex(int q) {
    int c = q / (d + 1);
    int j = q % (d + 1);
    return j < d ? c * d + j : k * d + c;
  }

  /** A model-layout vector in augmented layout. */
  double[] toAugmented(double[] v) {
    double[] out = new double[v.length];
    for (int q = 0; q < out.length; q++) {
      out[q] = v[modelIndex(q)];
    }
    return out;
  }

  /** An augmented-layout vector in model layout. */
  double[] toModel(double[] v) {
    double[] out = new double[v.length];
    for (int q = 0; q < out.length; q++) {
      out[modelIndex(q)] = v[q];
    }
    return out;
  }

  /**
   * {@code H + l2·I_W + damping·I} in augmented layout, both triangles, the mean-loss Hessian of
   * these examples at the model's parameters.
   */
  double[] hessian(double l2, double damping, int threads) {
    double[] h = SoftmaxHessians.build(x, n, d + 1, probs, k, threads);
    int p = parameters();
    for (int q = 0; q < p; q++) {
      boolean bias = q % (d + 1) == d;
      h[q * p + q] += damping + (bias ? 0 : l2);
    }
    return h;
  }

  /**
   * {@code scores[i·m + t] = g_iᵀ v_t} for every example i, with {@code g_i = (p_i − e_{y_i}) ⊗
   * x̃_i} never formed: {@code g_iᵀ v_t = Σ_c (p_i − e_{y_i})_c (V_t x̃_i)_c}, the products {@code
   * V_t x̃_i} for all t at once as one matrix product per block of rows.
   *
   * @param v augmented layout, {@code m} vectors of {@link #parameters()} one after the other
   */
  double[] scores(int[] y, double[] v, int m, int threads) {
    int w = d + 1;
    int mk = m * k;
    double[] out = new double[n * m];
    int chunk = 2048;
    double[] z = new double[Math.min(chunk, n) * mk];
    for (int from = 0; from < n; from += chunk) {
      int rows = Math.min(chunk, n - from);
      org.poisonlab.linalg.Matrices.multiplyTransB(x, from * w, v, 0, rows, mk, w, z, 0, threads);
      for (int r = 0; r < rows; r++) {
        int i = from + r;
        for (int t = 0; t < m; t++) {
          double s = 0;
          int zo = r * mk + t * k;
          for (int c = 0; c < k; c++) {
            s += probs[i * k + c] * z[zo + c];
          }
          out[i * m + t] = s - z[zo + y[i]];
        }
      }
    }
    return out;
  }

  /** The gradient of example i's loss in augmented layout, {@code (p_i − e_y) ⊗ x̃_i}. */
  double[] gradient(int i, int y) {
    int w = d + 1;
    double[] g = new double[k * w];
    for (int c = 0; c < k; c++) {
      double r = probs[i * k + c] - (c == y ? 1 : 0);
      for (int j = 0; j < w; j++) {
        g[c * w + j] = r * x[i * w + j];
      }
    }
    return g;
  }
}
