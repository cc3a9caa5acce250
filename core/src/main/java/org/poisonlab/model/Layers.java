package org.poisonlab.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.Matrices;

/**
 * The arithmetic of a feed-forward softmax classifier with zero (multinomial logistic regression),
 * one or two ReLU hidden layers, over a flat parameter vector.
 *
 * <p>Layer {@code l} maps {@code sizes[l]} inputs to {@code sizes[l+1]} outputs: {@code z = W_l a +
 * b_l}, then {@code a = max(z, 0)} for hidden layers. Parameters are laid out layer after layer,
 * each as {@code W_l} (row-major, {@code sizes[l+1] × sizes[l]}, row {@code j} holds the weights
 * into output {@code j}) followed by {@code b_l}. The loss of an example with label {@code y} is
 * the cross-entropy {@code logsumexp(z) − z_y} of the output logits; its gradient is
 * back-propagated (Rumelhart, Hinton and Williams, Nature 323, 1986): {@code ∂z_out = softmax(z) −
 * e_y}, {@code ∂W_l = ∂z_lᵀ a_{l−1}}, {@code ∂b_l = Σ ∂z_l}, {@code ∂a_{l−1} = ∂z_l W_l}, {@code
 * ∂z_{l−1} = ∂a_{l−1} ⊙ [z_{l−1} > 0]}. The penalty {@code l2/2 ||W||²} covers the weights, not the
 * biases.
 *
 * <p>Exponentials and logarithms use {@link StrictMath} so results do not depend on which compiler
 * tier runs the code.
 */
final class Layers {
  final int[] sizes;
  final int depth;
  final int[] wOff;
  final int[] bOff;
  final int parameterCount;
  final int threads;

  Layers(int[] sizes, int threads) {
    this.sizes = sizes.clone();
    this.depth = sizes.length - 1;
    this.wOff = new int[depth];
    this.bOff = new int[depth];
    long off = 0;
    for (int l = 0; l < depth; l++) {
      wOff[l] = (int) off;
      off += (long) sizes[l] * sizes[l + 1];
      bOff[l] = (int) off;
      off += sizes[l + 1];
      if (off > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(
            "a network of sizes " + Arrays.toString(sizes) + " has too many parameters");
      }
    }
    this.parameterCount = (int) off;
    this.threads = threads;
  }

  int inputs() {
    return sizes[0];
  }

  int classes() {
    return sizes[depth];
  }

  /** Whether parameter {@code p} is a weight (penalised), not a bias. */
  boolean isWeight(int p) {
    for (int l = 0; l < depth; l++) {
      if (p >= wOff[l] && p < bOff[l]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Inputs of one pass: {@code rows} dense rows (row-major, from {@code dense[offset]}) or sparse
   * rows.
   */
  record Batch(double[] dense, int offset, CsrMatrix sparse, int rows) {}

  /** Buffers for passes over at most {@code capacity} rows. */
  final class Pass {
    final int capacity;

    /** Per layer: activations (post-ReLU) of hidden layers; probabilities for the output layer. */
    final double[][] out;

    /** Per layer: gradient with respect to the pre-activation. */
    final double[][] delta;

    final double[] loss;
    final double[] input;

    /**
     * Per layer: {@code W_lᵀ} with its columns padded to a whole number of vector lanes (made on
     * first use; the padding stays zero).
     */
    final double[][] transposed;

    /** Product of the inputs with {@link #transposed}, padded columns included. */
    final double[] padded;

    /**
     * When not null, the parameters are known not to change while this pass is used, and {@link
     * #transposed} already holds the transposes of these very parameters.
     */
    double[] frozen;

    private final boolean fixedWeights;

    Pass(int capacity, boolean denseInput, boolean fixedWeights) {
      this.capacity = capacity;
      this.fixedWeights = fixedWeights;
      out = new double[depth][];
      delta = new double[depth][];
      transposed = new double[depth][];
      int widest = 0;
      for (int l = 0; l < depth; l++) {
        out[l] = new double[capacity * sizes[l + 1]];
        delta[l] = new double[capacity * sizes[l + 1]];
        widest = Math.max(widest, padded(sizes[l + 1]));
      }
      padded = new double[capacity * widest];
      loss = new double[capacity];
      input = denseInput ? new double[capacity * sizes[0]] : null;
    }
  }

  /** Buffers for training: the weights change between passes. */
  Pass pass(int capacity, boolean denseInput) {
    return new Pass(capacity, denseInput, false);
  }

  /** Buffers for a model whose weights never change: transposes are made once. */
  Pass fixedPass(int capacity) {
    return new Pass(capacity, false, true);
  }

  /** He initialisation (He et al., ICCV 2015): weights N(0, 2 / fan-in), biases 0. */
  void initialize(double[] w, SplittableRandom rng) {
    Arrays.fill(w, 0);
    for (int l = 0; l < depth; l++) {
      double sd = Math.sqrt(2.0 / sizes[l]);
      for (int p = wOff[l]; p < bOff[l]; p++) {
        w[p] = sd * Gaussians.next(rng);
      }
    }
  }

  /**
   * Forward pass: fills {@code ps.out}, the output layer with class probabilities, and {@code
   * ps.loss} with each row's loss when {@code y} is not null. Returns the sum of the losses (0
   * without labels), added in row order.
   */
  double forward(double[] w, Batch x, Pass ps, int[] y, int yOff) {
    forwardLogits(w, x, ps);
    return softmax(ps.out[depth - 1], x.rows(), y, yOff, ps.loss);
  }

  /**
   * {@code t[r * wide + j] = w[wo + j * in + r]}, in tiles of 8 inputs so that reads stay within a
   * cache line and writes within 8 lines.
   */
  private static void transpose(double[] w, int wo, int out, int in, double[] t, int wide) {
    for (int r0 = 0; r0 < in; r0 += 8) {
      int r1 = Math.min(in, r0 + 8);
      for (int j = 0; j < out; j++) {
        int src = wo + j * in;
        for (int r = r0; r < r1; r++) {
          t[r * wide + j] = w[src + r];
        }
      }
    }
  }

  /** {@code width} rounded up to a whole number of vector lanes. */
  static int padded(int width) {
    int lanes = org.poisonlab.linalg.Vectors.lanes();
    return (width + lanes - 1) / lanes * lanes;
  }

  /**
   * Forward pass up to the output logits, left in {@code ps.out[depth - 1]}. A dense layer computes
   * {@code a · W_lᵀ} in the axpy form of {@link Matrices#multiply} against a transposed copy of the
   * weights padded to whole vector lanes, so each pre-activation is {@code Σ_r a_r W_jr}
   * accumulated in increasing {@code r} with fused multiply-adds, then the bias is added.
   */
  void forwardLogits(double[] w, Batch x, Pass ps) {
    int n = x.rows();
    boolean reuse = ps.fixedWeights && ps.frozen == w;
    for (int l = 0; l < depth; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      int wide = padded(out);
      double[] z = ps.out[l];
      boolean sparse = l == 0 && x.sparse() != null;
      if (sparse) {
        Matrices.multiplyTransB(x.sparse(), w, wOff[0], out, z, 0, threads);
      } else {
        if (ps.transposed[l] == null) {
          ps.transposed[l] = new double[in * wide];
        }
        double[] t = ps.transposed[l];
        int wo = wOff[l];
        if (!reuse) {
          transpose(w, wo, out, in, t, wide);
        }
        double[] a = l == 0 ? x.dense() : ps.out[l - 1];
        int aOff = l == 0 ? x.offset() : 0;
        Matrices.multiply(a, aOff, t, 0, n, in, wide, ps.padded, 0, threads);
      }
      int b = bOff[l];
      boolean hidden = l < depth - 1;
      for (int i = 0; i < n; i++) {
        int row = i * out;
        for (int j = 0; j < out; j++) {
          double v = (sparse ? z[row + j] : ps.padded[i * wide + j]) + w[b + j];
          z[row + j] = hidden ? Math.max(v, 0.0) : v;
        }
      }
    }
    if (ps.fixedWeights) {
      ps.frozen = w;
    }
  }

  private double softmax(double[] z, int n, int[] y, int yOff, double[] loss) {
    int k = classes();
    double total = 0;
    for (int i = 0; i < n; i++) {
      int row = i * k;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, z[row + j]);
      }
      double zy = y == null ? 0 : z[row + y[yOff + i]];
      double s = 0;
      for (int j = 0; j < k; j++) {
        double e = StrictMath.exp(z[row + j] - max);
        z[row + j] = e;
        s += e;
      }
      for (int j = 0; j < k; j++) {
        z[row + j] /= s;
      }
      if (y != null) {
        double li = max + StrictMath.log(s) - zy;
        loss[i] = li;
        total += li;
      }
    }
    return total;
  }

  /**
   * Backward pass after {@link #forward} on the same batch: writes into {@code grad} (every entry)
   * the gradient of {@code scale · Σ_i loss_i}.
   */
  void backward(double[] w, Batch x, Pass ps, int[] y, int yOff, double scale, double[] grad) {
    int n = x.rows();
    int k = classes();
    double[] p = ps.out[depth - 1];
    double[] dz = ps.delta[depth - 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        dz[i * k + j] = p[i * k + j] * scale;
      }
      dz[i * k + y[yOff + i]] -= scale;
    }
    for (int l = depth - 1; l >= 0; l--) {
      int in = sizes[l];
      int out = sizes[l + 1];
      if (l > 0) {
        Matrices.multiplyTransA(dz, 0, ps.out[l - 1], 0, out, n, in, grad, wOff[l], threads);
      } else if (x.sparse() != null) {
        Matrices.multiplyTransA(dz, 0, out, x.sparse(), grad, wOff[0], threads);
      } else {
        Matrices.multiplyTransA(dz, 0, x.dense(), x.offset(), out, n, in, grad, wOff[0], threads);
      }
      int b = bOff[l];
      for (int j = 0; j < out; j++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += dz[i * out + j];
        }
        grad[b + j] = s;
      }
      if (l > 0) {
        dz = deltaBelow(w, ps, l, n, dz);
      }
    }
  }

  /**
   * δ of layer {@code l − 1} from layer l's: {@code (δ_l W_l) ⊙ [a_{l−1} > 0]}, into {@code
   * ps.delta[l − 1]}, which is returned.
   */
  private double[] deltaBelow(double[] w, Pass ps, int l, int n, double[] dz) {
    int in = sizes[l];
    double[] prev = ps.delta[l - 1];
    double[] act = ps.out[l - 1];
    Matrices.multiply(dz, 0, w, wOff[l], n, sizes[l + 1], in, prev, 0, threads);
    for (int q = 0; q < n * in; q++) {
      if (act[q] <= 0) {
        prev[q] = 0;
      }
    }
    return prev;
  }

  /**
   * Curvature product on one batch, by Pearlmutter's R-operator ("Fast exact multiplication by the
   * Hessian", Neural Computation 6(1), 1994): writes into {@code out} (every entry) {@code scale ·
   * Σ_i H_i v}, with {@code H_i} the Hessian of example i's loss (no L2 term). The forward pass
   * propagates {@code Rz_l = V_l a_{l−1} + W_l Ra_{l−1} + v_{b_l}}, {@code Ra_l = Rz_l ⊙ [z_l >
   * 0]}; at the output {@code Rδ = (diag(p) − p pᵀ) Rz}; the backward pass gives {@code R∂W_l =
   * Rδ_lᵀ a_{l−1} + δ_lᵀ Ra_{l−1}}, {@code R∂b_l = Σ Rδ_l}, {@code Rδ_{l−1} = (Rδ_l W_l + δ_l V_l)
   * ⊙ [z_{l−1} > 0]} (ReLU's second derivative is zero almost everywhere). With {@code gaussNewton}
   * the terms in {@code δ} are dropped, which leaves the Gauss-Newton product {@code Jᵀ (diag(p) −
   * p pᵀ) J v} (Schraudolph, Neural Computation 14(7), 2002); for logistic regression both are the
   * Hessian.
   */
  void curvatureVector(
      double[] w,
      Batch x,
      Pass ps,
      int[] y,
      int yOff,
      double[] v,
      double scale,
      boolean gaussNewton,
      double[] out) {
    forward(w, x, ps, y, yOff);
    int n = x.rows();
    int k = classes();
    double[][] rz = new double[depth][];
    double[][] ra = new double[depth][];
    for (int l = 0; l < depth; l++) {
      int in = sizes[l];
      int o = sizes[l + 1];
      double[] z = new double[n * o];
      if (l == 0) {
        if (x.sparse() != null) {
          Matrices.multiplyTransB(x.sparse(), v, wOff[0], o, z, 0, threads);
        } else {
          Matrices.multiplyTransB(x.dense(), x.offset(), v, wOff[0], n, o, in, z, 0, threads);
        }
      } else {
        Matrices.multiplyTransB(ps.out[l - 1], 0, v, wOff[l], n, o, in, z, 0, threads);
        double[] t = Matrices.multiplyTransB(ra[l - 1], 0, w, wOff[l], n, o, in, null, 0, threads);
        for (int q = 0; q < n * o; q++) {
          z[q] += t[q];
        }
      }
      int b = bOff[l];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < o; j++) {
          z[i * o + j] += v[b + j];
        }
      }
      rz[l] = z;
      if (l < depth - 1) {
        double[] a = ps.out[l];
        double[] r = new double[n * o];
        for (int q = 0; q < n * o; q++) {
          r[q] = a[q] > 0 ? z[q] : 0;
        }
        ra[l] = r;
      }
    }
    double[] p = ps.out[depth - 1];
    double[] d = new double[n * k];
    double[] rd = new double[n * k];
    double[] rzOut = rz[depth - 1];
    for (int i = 0; i < n; i++) {
      int row = i * k;
      double pr = 0;
      for (int j = 0; j < k; j++) {
        pr += p[row + j] * rzOut[row + j];
      }
      for (int j = 0; j < k; j++) {
        d[row + j] = scale * p[row + j];
        rd[row + j] = scale * p[row + j] * (rzOut[row + j] - pr);
      }
      d[row + y[yOff + i]] -= scale;
    }
    for (int l = depth - 1; l >= 0; l--) {
      int in = sizes[l];
      int o = sizes[l + 1];
      if (l > 0) {
        Matrices.multiplyTransA(rd, 0, ps.out[l - 1], 0, o, n, in, out, wOff[l], threads);
        if (!gaussNewton) {
          double[] t = Matrices.multiplyTransA(d, 0, ra[l - 1], 0, o, n, in, null, 0, threads);
          for (int q = 0; q < o * in; q++) {
            out[wOff[l] + q] += t[q];
          }
        }
      } else if (x.sparse() != null) {
        Matrices.multiplyTransA(rd, 0, o, x.sparse(), out, wOff[0], threads);
      } else {
        Matrices.multiplyTransA(rd, 0, x.dense(), x.offset(), o, n, in, out, wOff[0], threads);
      }
      int b = bOff[l];
      for (int j = 0; j < o; j++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += rd[i * o + j];
        }
        out[b + j] = s;
      }
      if (l > 0) {
        double[] act = ps.out[l - 1];
        double[] nrd = Matrices.multiply(rd, 0, w, wOff[l], n, o, in, null, 0, threads);
        if (!gaussNewton) {
          double[] t = Matrices.multiply(d, 0, v, wOff[l], n, o, in, null, 0, threads);
          for (int q = 0; q < n * in; q++) {
            nrd[q] += t[q];
          }
        }
        double[] nd = Matrices.multiply(d, 0, w, wOff[l], n, o, in, null, 0, threads);
        for (int q = 0; q < n * in; q++) {
          if (act[q] <= 0) {
            nrd[q] = 0;
            nd[q] = 0;
          }
        }
        rd = nrd;
        d = nd;
      }
    }
  }

  /** {@code out += l2 · v} on the weights. */
  void addPenaltyCurvature(double[] v, double l2, double[] out) {
    addPenaltyGradient(v, l2, out);
  }

  /**
   * Backward pass to the inputs after {@link #forward} on the same dense batch of {@code n} rows:
   * writes into {@code gx[gOff ..]} (row-major {@code n × inputs()}, every entry) the gradient of
   * each row's loss with respect to that row's inputs, {@code ∂x = ∂z_0 W_0}; no parameter gradient
   * is made. Uses {@code ps.delta} as scratch.
   */
  void inputBackward(double[] w, Pass ps, int n, int[] y, int yOff, double[] gx, int gOff) {
    deltas(w, ps, n, y, yOff);
    Matrices.multiply(ps.delta[0], 0, w, wOff[0], n, sizes[1], sizes[0], gx, gOff, threads);
  }

  /**
   * After {@link #forward}: each row's gradient of its loss (no L2 term) with respect to every
   * layer's pre-activations, {@code δ_l = ∂ℓ/∂z_l}, into {@code ps.delta[l]} (row-major {@code n ×
   * sizes[l + 1]}). Row i's weight gradient at layer l is {@code δ_l a_{l−1}ᵀ} and its bias
   * gradient {@code δ_l}.
   */
  void deltas(double[] w, Pass ps, int n, int[] y, int yOff) {
    int k = classes();
    double[] p = ps.out[depth - 1];
    double[] dz = ps.delta[depth - 1];
    for (int i = 0; i < n; i++) {
      System.arraycopy(p, i * k, dz, i * k, k);
      dz[i * k + y[yOff + i]] -= 1;
    }
    for (int l = depth - 1; l >= 1; l--) {
      dz = deltaBelow(w, ps, l, n, dz);
    }
  }

  /** {@code Σ W² / 2} over the weights, in parameter order. */
  double halfSquaredWeights(double[] w) {
    double s = 0;
    for (int l = 0; l < depth; l++) {
      for (int p = wOff[l]; p < bOff[l]; p++) {
        s += w[p] * w[p];
      }
    }
    return s / 2;
  }

  /** {@code grad += l2 · W} on the weights. */
  void addPenaltyGradient(double[] w, double l2, double[] grad) {
    if (l2 == 0) {
      return;
    }
    for (int l = 0; l < depth; l++) {
      for (int p = wOff[l]; p < bOff[l]; p++) {
        grad[p] = Math.fma(l2, w[p], grad[p]);
      }
    }
  }
}
