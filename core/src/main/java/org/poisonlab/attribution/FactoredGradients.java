package org.poisonlab.attribution;

import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * Per-example gradients of a network with at most one hidden layer, kept in factored form. For one
 * example, the gradient of a dense layer {@code z = W a + b} is {@code ∂L/∂W = δ aᵀ}, {@code ∂L/∂b
 * = δ}, a rank-one matrix; so the dot product of two examples' gradients is {@code Σ_l (δ_l·δ'_l)
 * (a_l·a'_l + 1)} and costs the widths of the layers, not the parameter count. {@code δ_l} is read
 * from the bias part of the flat gradient, {@code a_0} is the featurised input (sparse for text),
 * {@code a_1} the hidden activation ({@link DifferentiableClassifier#penultimate}).
 */
final class FactoredGradients {
  static final int CHUNK = 512;

  private FactoredGradients() {}

  /** Whether the model's gradients factor this way (logistic regression or one hidden layer). */
  static boolean supports(DifferentiableClassifier model) {
    return model instanceof org.poisonlab.model.LayeredModel l && l.layerSizes().length <= 3;
  }

  /**
   * A chunk of examples: rows {@code [from, from + rows)}.
   *
   * @param deltas per layer, row-major {@code rows × out_l}
   * @param rowPtr CSR row pointers of the inputs (relative to the chunk)
   * @param cols CSR column indices, sorted within a row
   * @param vals CSR values
   * @param hidden row-major {@code rows × hiddenDim}, or null for logistic regression
   */
  record Chunk(
      int from,
      int rows,
      double[][] deltas,
      int[] rowPtr,
      int[] cols,
      double[] vals,
      double[] hidden,
      int hiddenDim) {

    /** Squared norm of row r's gradient. */
    double squaredNorm(int r) {
      double x = 1;
      for (int q = rowPtr[r]; q < rowPtr[r + 1]; q++) {
        x += vals[q] * vals[q];
      }
      double s = sq(deltas[0], r, deltas[0].length / rows) * x;
      if (hidden != null) {
        double h = 1 + sq(hidden, r, hiddenDim);
        s += sq(deltas[1], r, deltas[1].length / rows) * h;
      }
      return s;
    }

    /** {@code Σ_j w_j x_{r,j}²} of row r's input, or {@code ||x_r||²} when w is null. */
    double inputSquare(int r, double[] w) {
      double x = 0;
      for (int q = rowPtr[r]; q < rowPtr[r + 1]; q++) {
        x += (w == null ? 1 : w[cols[q]]) * vals[q] * vals[q];
      }
      return x;
    }

    /** {@code ||δ_{l,r}||²} of row r's delta at layer l. */
    double deltaSquaredNorm(int l, int r) {
      return sq(deltas[l], r, deltas[l].length / rows);
    }

    private static double sq(double[] a, int r, int w) {
      double s = 0;
      for (int j = 0; j < w; j++) {
        double v = a[r * w + j];
        s += v * v;
      }
      return s;
    }
  }

  /**
   * Calls {@code sink} with consecutive chunks of the examples' factored gradients under the given
   * class indices.
   *
   * @param labels not modified
   */
  static void stream(
      DifferentiableClassifier model, List<Example> examples, int[] labels, Consumer<Chunk> sink) {
    int[] sizes = org.poisonlab.model.Models.layered(model, "factored gradients").layerSizes();
    int layers = sizes.length - 1;
    int n = examples.size();
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      int rows = to - from;
      List<Example> part = examples.subList(from, to);
      int[] y = java.util.Arrays.copyOfRange(labels, from, to);
      Matrix x = model.featurizer().transform(part);
      double[][] parts =
          org.poisonlab.model.Models.layered(model, "factored gradients").layerDeltas(x, y);
      double[][] deltas = java.util.Arrays.copyOf(parts, layers);
      int[] rowPtr = new int[rows + 1];
      int[] cols;
      double[] vals;
      if (x instanceof CsrMatrix s) {
        int base = s.rowPtr()[0];
        for (int r = 0; r <= rows; r++) {
          rowPtr[r] = s.rowPtr()[r] - base;
        }
        cols = java.util.Arrays.copyOfRange(s.colIndex(), base, base + rowPtr[rows]);
        vals = java.util.Arrays.copyOfRange(s.values(), base, base + rowPtr[rows]);
        sortRows(rowPtr, cols, vals);
      } else {
        DenseMatrix d = x instanceof ByteMatrix b ? b.toDense() : (DenseMatrix) x;
        double[] v = d.values();
        int c = d.cols();
        int nnz = 0;
        for (double e : v) {
          nnz += e != 0 ? 1 : 0;
        }
        cols = new int[nnz];
        vals = new double[nnz];
        int q = 0;
        for (int r = 0; r < rows; r++) {
          rowPtr[r] = q;
          for (int j = 0; j < c; j++) {
            double e = v[r * c + j];
            if (e != 0) {
              cols[q] = j;
              vals[q++] = e;
            }
          }
        }
        rowPtr[rows] = q;
      }
      double[] hidden = layers == 2 ? parts[2] : null;
      int hd = layers == 2 ? sizes[1] : 0;
      sink.accept(new Chunk(from, rows, deltas, rowPtr, cols, vals, hidden, hd));
    }
  }

  private static void sortRows(int[] rowPtr, int[] cols, double[] vals) {
    for (int r = 0; r + 1 < rowPtr.length; r++) {
      boolean sorted = true;
      for (int q = rowPtr[r] + 1; q < rowPtr[r + 1]; q++) {
        if (cols[q] < cols[q - 1]) {
          sorted = false;
          break;
        }
      }
      if (!sorted) {
        int a = rowPtr[r];
        int len = rowPtr[r + 1] - a;
        Integer[] order = new Integer[len];
        for (int i = 0; i < len; i++) {
          order[i] = i;
        }
        int[] c = java.util.Arrays.copyOfRange(cols, a, a + len);
        double[] v = java.util.Arrays.copyOfRange(vals, a, a + len);
        java.util.Arrays.sort(order, (p, q) -> Integer.compare(c[p], c[q]));
        for (int i = 0; i < len; i++) {
          cols[a + i] = c[order[i]];
          vals[a + i] = v[order[i]];
        }
      }
    }
  }

  /**
   * A block of behaviour examples held for fast dot products against streamed training chunks:
   * inputs densified column-interleaved ({@code x[col * m + t]}), so memory is {@code features × m}
   * doubles.
   */
  static final class Targets {
    final int m;
    final int[] widths;
    final double[][] deltas;
    final double[] inputs;
    final double[] hidden;
    final int hiddenDim;

    Targets(DifferentiableClassifier model, List<Example> examples, int[] labels) {
      int[] sizes = org.poisonlab.model.Models.layered(model, "factored gradients").layerSizes();
      m = examples.size();
      widths = new int[sizes.length - 1];
      for (int l = 0; l < widths.length; l++) {
        widths[l] = sizes[l + 1];
      }
      deltas = new double[widths.length][];
      for (int l = 0; l < widths.length; l++) {
        deltas[l] = new double[m * widths[l]];
      }
      inputs = new double[Math.multiplyExact(sizes[0], m)];
      hiddenDim = widths.length == 2 ? sizes[1] : 0;
      hidden = widths.length == 2 ? new double[m * hiddenDim] : null;
      stream(
          model,
          examples,
          labels,
          c -> {
            for (int r = 0; r < c.rows(); r++) {
              int t = c.from() + r;
              for (int l = 0; l < widths.length; l++) {
                System.arraycopy(c.deltas()[l], r * widths[l], deltas[l], t * widths[l], widths[l]);
              }
              for (int q = c.rowPtr()[r]; q < c.rowPtr()[r + 1]; q++) {
                inputs[c.cols()[q] * m + t] = c.vals()[q];
              }
              if (hidden != null) {
                System.arraycopy(c.hidden(), r * hiddenDim, hidden, t * hiddenDim, hiddenDim);
              }
            }
          });
    }

    /**
     * Weights the held inputs: {@code x_t ← w ⊙ x_t} for every target, so {@link #inputDots} then
     * gives {@code Σ_j w_j x_{r,j} x_{t,j}}. Modifies this object's inputs; call at most once.
     *
     * @param w not modified; one weight per feature
     * @return {@code Σ_j w_j x_{t,j}²} for each target (a new array)
     */
    double[] weightInputs(double[] w) {
      double[] sq = new double[m];
      for (int j = 0; j < w.length; j++) {
        int base = j * m;
        for (int t = 0; t < m; t++) {
          double x = inputs[base + t];
          if (x != 0) {
            sq[t] += w[j] * x * x;
            inputs[base + t] = w[j] * x;
          }
        }
      }
      return sq;
    }

    /** {@code ||δ_{l,t}||²} of target t's delta at layer l. */
    double deltaSquaredNorm(int l, int t) {
      double s = 0;
      int w = widths[l];
      for (int j = 0; j < w; j++) {
        double v = deltas[l][t * w + j];
        s += v * v;
      }
      return s;
    }

    /** The squared norm of target t's whole gradient (held inputs not yet weighted). */
    double squaredNorm(int t) {
      double x = 1;
      for (int j = 0; j * m < inputs.length; j++) {
        double v = inputs[j * m + t];
        x += v * v;
      }
      double s = deltaSquaredNorm(0, t) * x;
      if (hidden != null) {
        double h = 1;
        for (int j = 0; j < hiddenDim; j++) {
          double v = hidden[t * hiddenDim + j];
          h += v * v;
        }
        s += deltaSquaredNorm(1, t) * h;
      }
      return s;
    }

    /**
     * Input dot products {@code x_r · x_t} of chunk row r with every target, into {@code
     * out[0..m)}.
     */
    void inputDots(Chunk c, int r, double[] out) {
      java.util.Arrays.fill(out, 0, m, 0);
      for (int q = c.rowPtr()[r]; q < c.rowPtr()[r + 1]; q++) {
        double v = c.vals()[q];
        int base = c.cols()[q] * m;
        for (int t = 0; t < m; t++) {
          out[t] += v * inputs[base + t];
        }
      }
    }

    /** Hidden dot products {@code a_r · a_t} into {@code out[0..m)}. */
    void hiddenDots(Chunk c, int r, double[] out) {
      for (int t = 0; t < m; t++) {
        out[t] =
            org.poisonlab.linalg.Vectors.dot(
                c.hidden(), r * hiddenDim, hidden, t * hiddenDim, hiddenDim);
      }
    }

    /**
     * Gradient dot products {@code g_r · g_t} of chunk row r with every target into {@code
     * out[0..m)}; {@code scratch} has length ≥ 2m.
     */
    void gradientDots(Chunk c, int r, double[] out, double[] scratch) {
      inputDots(c, r, scratch);
      int w0 = widths[0];
      for (int t = 0; t < m; t++) {
        double d = org.poisonlab.linalg.Vectors.dot(c.deltas()[0], r * w0, deltas[0], t * w0, w0);
        out[t] = d * (scratch[t] + 1);
      }
      if (hidden != null) {
        int w1 = widths[1];
        for (int t = 0; t < m; t++) {
          double h =
              org.poisonlab.linalg.Vectors.dot(
                  c.hidden(), r * hiddenDim, hidden, t * hiddenDim, hiddenDim);
          double d = org.poisonlab.linalg.Vectors.dot(c.deltas()[1], r * w1, deltas[1], t * w1, w1);
          out[t] += d * (h + 1);
        }
      }
    }
  }

  /** Behaviour blocks small enough that {@code features × block} doubles stay near 64 MB. */
  static int targetBlock(DifferentiableClassifier model) {
    int d = model.featurizer().dimension();
    return Math.max(1, (1 << 23) / Math.max(1, d));
  }
}
