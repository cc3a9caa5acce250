package org.poisonlab.attribution;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.linalg.RandomProjection;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * TRAK's features {@code φ = P ∇_θ f} for a whole batch of examples at once, for a ReLU network on
 * dense inputs (Park et al., ICML 2023, Algorithm 1; f the margin {@code log(p_y/(1−p_y))}).
 *
 * <p>The batch is run forward and the margin's error signals back-propagated as matrices: {@code
 * δ_out = −(softmax(z) − e_y)/(1 − p_y)} (the margin's gradient is the loss gradient scaled by
 * {@code −1/(1−p_y)}), {@code δ_{l−1} = (δ_l W_l) ⊙ [a_{l−1} > 0]}. Example e's gradient for row o
 * of {@code W_l} is {@code δ_l[e, o] · a_{l−1}[e]}, so its part of {@code φ_e} is {@code δ_l[e, o]
 * · (P_{l,o} a_{l−1}[e])}, with {@code P_{l,o}} the k × in block of P's columns for that row. For
 * every row o one matrix product {@code A_R · P_{l,o}ᵀ} covers the examples R whose {@code δ_l[e,
 * o]} is nonzero (a ReLU unit that is off contributes nothing), and bias columns take one product
 * per layer. The work is {@code 2·k·Σ_l (active rows)·in_l} flops per batch, in the dense kernels
 * of {@link Matrices} on every core, plus {@code p·k} generated entries of P per batch.
 *
 * <p>The result equals {@code P g_e / (−(1 − p_y))} computed from the example's full loss gradient
 * up to the order of summation.
 */
final class MarginProjector {
  static final int BATCH = 512;

  private final DifferentiableClassifier model;
  private final RandomProjection proj;
  private final int[] sizes;
  private final int depth;
  private final int[] wOff;
  private final int[] bOff;
  private final double[] w;
  private final int k;
  private final int widest;
  private double[] block = new double[0];

  MarginProjector(DifferentiableClassifier model, RandomProjection proj) {
    this.model = model;
    this.proj = proj;
    this.sizes = org.poisonlab.model.Models.layered(model, "trak").layerSizes();
    this.depth = sizes.length - 1;
    this.wOff = new int[depth];
    this.bOff = new int[depth];
    int off = 0;
    int wide = 0;
    for (int l = 0; l < depth; l++) {
      wOff[l] = off;
      off += sizes[l] * sizes[l + 1];
      bOff[l] = off;
      off += sizes[l + 1];
      wide = Math.max(wide, Math.max(sizes[l], sizes[l + 1]));
    }
    this.w = model.parameters();
    this.k = proj.dimension();
    this.widest = wide;
    if (off != model.parameterCount() || proj.inputDimension() != off) {
      throw new IllegalArgumentException("the model's layout does not match its parameter count");
    }
  }

  /** Whether the model's featuriser gives dense inputs (images), which this path needs. */
  static boolean supports(DifferentiableClassifier model, List<Example> sample) {
    if (sample.isEmpty()) {
      return false;
    }
    Matrix x = model.featurizer().transform(sample.subList(0, 1));
    return x instanceof ByteMatrix || x instanceof DenseMatrix;
  }

  /**
   * Writes φ of {@code examples[from, from + rows)} under the given class indices into {@code phi[0
   * .. rows·k)} (row-major) and {@code 1 − p_y} into {@code oneMinusP[0 .. rows)}; rows with {@code
   * p_y = 1} get φ = 0.
   *
   * @param labels not modified
   * @param phi modified
   * @param oneMinusP modified
   */
  void project(
      List<Example> examples, int[] labels, int from, int rows, double[] phi, double[] oneMinusP) {
    List<Example> part = examples.subList(from, from + rows);
    Matrix m = model.featurizer().transform(part);
    double[] x = m instanceof ByteMatrix b ? b.toDense().values() : ((DenseMatrix) m).values();
    double[][] acts = new double[depth][];
    acts[0] = x;
    double[] logits = null;
    for (int l = 0; l < depth; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[] z = Matrices.multiplyTransB(acts[l], 0, w, wOff[l], rows, out, in, null, 0, 0);
      boolean hidden = l < depth - 1;
      for (int e = 0; e < rows; e++) {
        for (int o = 0; o < out; o++) {
          double v = z[e * out + o] + w[bOff[l] + o];
          z[e * out + o] = hidden ? Math.max(v, 0.0) : v;
        }
      }
      if (hidden) {
        acts[l + 1] = z;
      } else {
        logits = z;
      }
    }
    int classes = sizes[depth];
    double[][] deltas = new double[depth][];
    double[] d = new double[rows * classes];
    for (int e = 0; e < rows; e++) {
      int y = labels[from + e];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        max = Math.max(max, logits[e * classes + c]);
      }
      double sum = 0;
      for (int c = 0; c < classes; c++) {
        double v = StrictMath.exp(logits[e * classes + c] - max);
        d[e * classes + c] = v;
        sum += v;
      }
      double omp = 0;
      for (int c = 0; c < classes; c++) {
        d[e * classes + c] /= sum;
        if (c != y) {
          omp += d[e * classes + c];
        }
      }
      oneMinusP[e] = omp;
      double scale = omp > 0 ? -1 / omp : 0;
      for (int c = 0; c < classes; c++) {
        double g = d[e * classes + c] - (c == y ? 1 : 0);
        d[e * classes + c] = g * scale;
      }
    }
    deltas[depth - 1] = d;
    for (int l = depth - 1; l > 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[] prev = Matrices.multiply(deltas[l], 0, w, wOff[l], rows, out, in, null, 0, 0);
      double[] a = acts[l];
      for (int q = 0; q < rows * in; q++) {
        if (a[q] <= 0) {
          prev[q] = 0;
        }
      }
      deltas[l - 1] = prev;
    }
    java.util.Arrays.fill(phi, 0, rows * k, 0);
    int need = widest * k;
    if (block.length < need) {
      block = new double[need];
    }
    double[] gathered = new double[rows * widest];
    double[] y = new double[rows * k];
    int[] active = new int[rows];
    for (int l = 0; l < depth; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double[] a = acts[l];
      double[] dl = deltas[l];
      for (int o = 0; o < out; o++) {
        int r = 0;
        for (int e = 0; e < rows; e++) {
          if (dl[e * out + o] != 0) {
            active[r] = e;
            System.arraycopy(a, e * in, gathered, r * in, in);
            r++;
          }
        }
        if (r == 0) {
          continue;
        }
        proj.columnBlock(wOff[l] + o * in, in, block, 0);
        Matrices.multiply(gathered, 0, block, 0, r, in, k, y, 0, 0);
        for (int q = 0; q < r; q++) {
          int e = active[q];
          double c = dl[e * out + o];
          int po = e * k;
          int yo = q * k;
          for (int t = 0; t < k; t++) {
            phi[po + t] += c * y[yo + t];
          }
        }
      }
      proj.columnBlock(bOff[l], out, block, 0);
      Matrices.multiply(dl, 0, block, 0, rows, out, k, y, 0, 0);
      for (int t = 0; t < rows * k; t++) {
        phi[t] += y[t];
      }
    }
  }
}
