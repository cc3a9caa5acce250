package org.poisonlab.linalg;

import static org.poisonlab.linalg.Vectors.LANES;
import static org.poisonlab.linalg.Vectors.SPECIES;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.incubator.vector.DoubleVector;

/**
 * The explicit Hessian of the mean cross-entropy of multinomial logistic regression, {@code H =
 * (1/n) Σ_i A_i ⊗ x_i x_iᵀ} with {@code A_i = diag(p_i) − p_i p_iᵀ} (the Gauss-Newton form, which
 * for a linear softmax model is the exact Hessian; Böhning, "Multinomial logistic regression
 * algorithm", Ann. Inst. Stat. Math. 44, 1992).
 *
 * <p>Instead of the {@code k(k+1)/2} weighted Gram matrices {@code Xᵀ diag(a_cc') X} one after the
 * other, every input pair {@code (j, l)} gets one accumulator of all {@code k(k+1)/2} class-pair
 * weights, {@code S_jl = Σ_i x_ij x_il · a_i} (a vector of length {@code k(k+1)/2}), added with
 * vector fused multiply-adds over the examples whose inputs {@code j} and {@code l} are both
 * non-zero, found from 64-bit masks of 64 examples at a time. On images about half the pixels are
 * zero, so about a quarter of the products remain. Input pairs are processed in tiles whose
 * accumulators stay in the second-level cache, tiles spread over threads; every entry is computed
 * by the same operations in the same order whatever the number of threads. All arithmetic is in
 * double precision and no term is dropped, so the result equals the textbook sum up to the order of
 * additions.
 */
public final class SoftmaxHessians {
  private static final int TILE = 32;
  private static final int UNROLL = 7;

  private SoftmaxHessians() {}

  /**
   * {@code H = (1/n) Σ_i (diag(p_i) − p_i p_iᵀ) ⊗ x_i x_iᵀ}, a {@code kd × kd} row-major matrix
   * (both triangles filled); parameter {@code c·d + j} is the weight of input {@code j} into class
   * {@code c}. Add a constant-one input to cover biases.
   *
   * @param x not modified; {@code n × d} row-major inputs
   * @param probs not modified; {@code n × k} row-major class probabilities
   * @param threads worker threads, 0 for all cores
   * @return a new array of {@code (kd)²} entries
   * @throws IllegalArgumentException if a length does not match or {@code (kd)²} exceeds an array
   */
  public static double[] build(double[] x, int n, int d, double[] probs, int k, int threads) {
    Objects.checkFromIndexSize(0, n * d, x.length);
    Objects.checkFromIndexSize(0, n * k, probs.length);
    long size = (long) k * d * k * d;
    if (size > Integer.MAX_VALUE - 8 || n < 1) {
      throw new IllegalArgumentException(
          "a Hessian of " + k * d + " parameters from " + n + " examples cannot be built");
    }
    int pairs = k * (k + 1) / 2;
    int width = (pairs + LANES - 1) / LANES * LANES;
    double[] w = new double[n * width];
    for (int i = 0; i < n; i++) {
      int q = 0;
      for (int c = 0; c < k; c++) {
        double pc = probs[i * k + c];
        for (int c2 = c; c2 < k; c2++) {
          w[i * width + q++] = pc * ((c == c2 ? 1 : 0) - probs[i * k + c2]);
        }
      }
    }
    int tiles = (n + 63) / 64;
    long[] masks = new long[tiles * d];
    for (int i = 0; i < n; i++) {
      long bit = 1L << (i & 63);
      int base = (i >> 6) * d;
      for (int j = 0; j < d; j++) {
        if (x[i * d + j] != 0) {
          masks[base + j] |= bit;
        }
      }
    }
    int blocks = (d + TILE - 1) / TILE;
    List<int[]> jobs = new ArrayList<>();
    for (int bj = 0; bj < blocks; bj++) {
      for (int bl = 0; bl <= bj; bl++) {
        jobs.add(new int[] {bj, bl});
      }
    }
    double[] h = new double[(int) size];
    AtomicInteger next = new AtomicInteger();
    int parts = Math.min(Parallel.threads(threads), jobs.size());
    double scale = 1.0 / n;
    Parallel.run(
        parts,
        part -> {
          double[] acc = new double[TILE * TILE * width];
          for (int job = next.getAndIncrement(); job < jobs.size(); job = next.getAndIncrement()) {
            int[] b = jobs.get(job);
            accumulate(x, n, d, w, width, masks, b[0] * TILE, b[1] * TILE, acc);
            scatter(acc, width, d, k, b[0] * TILE, b[1] * TILE, scale, h);
          }
        });
    return h;
  }

  private static void accumulate(
      double[] x, int n, int d, double[] w, int width, long[] masks, int j0, int l0, double[] acc) {
    int j1 = Math.min(d, j0 + TILE);
    int l1 = Math.min(d, l0 + TILE);
    java.util.Arrays.fill(acc, 0);
    int tiles = (n + 63) / 64;
    int chunk = UNROLL * LANES;
    int whole = width / chunk * chunk;
    for (int t = 0; t < tiles; t++) {
      int mb = t * d;
      int rowBase = t * 64;
      for (int j = j0; j < j1; j++) {
        long mj = masks[mb + j];
        if (mj == 0) {
          continue;
        }
        int lEnd = l0 == j0 ? j + 1 : l1;
        for (int l = l0; l < lEnd; l++) {
          long bits = mj & masks[mb + l];
          if (bits == 0) {
            continue;
          }
          int a = ((j - j0) * TILE + (l - l0)) * width;
          for (int v = 0; v < whole; v += chunk) {
            pairKernel(x, d, w, width, bits, rowBase, j, l, acc, a + v, v);
          }
          for (int v = whole; v < width; v += LANES) {
            pairKernelOne(x, d, w, width, bits, rowBase, j, l, acc, a + v, v);
          }
        }
      }
    }
  }

  /** acc[a .. a + 7L) += Σ over set bits b of x[i,j]·x[i,l]·w[i, v .. v + 7L), i = base + b. */
  private static void pairKernel(
      double[] x,
      int d,
      double[] w,
      int width,
      long bits,
      int base,
      int j,
      int l,
      double[] acc,
      int a,
      int v) {
    DoubleVector s0 = DoubleVector.fromArray(SPECIES, acc, a);
    DoubleVector s1 = DoubleVector.fromArray(SPECIES, acc, a + LANES);
    DoubleVector s2 = DoubleVector.fromArray(SPECIES, acc, a + 2 * LANES);
    DoubleVector s3 = DoubleVector.fromArray(SPECIES, acc, a + 3 * LANES);
    DoubleVector s4 = DoubleVector.fromArray(SPECIES, acc, a + 4 * LANES);
    DoubleVector s5 = DoubleVector.fromArray(SPECIES, acc, a + 5 * LANES);
    DoubleVector s6 = DoubleVector.fromArray(SPECIES, acc, a + 6 * LANES);
    while (bits != 0) {
      int i = base + Long.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      DoubleVector s = DoubleVector.broadcast(SPECIES, x[i * d + j] * x[i * d + l]);
      int o = i * width + v;
      s0 = DoubleVector.fromArray(SPECIES, w, o).fma(s, s0);
      s1 = DoubleVector.fromArray(SPECIES, w, o + LANES).fma(s, s1);
      s2 = DoubleVector.fromArray(SPECIES, w, o + 2 * LANES).fma(s, s2);
      s3 = DoubleVector.fromArray(SPECIES, w, o + 3 * LANES).fma(s, s3);
      s4 = DoubleVector.fromArray(SPECIES, w, o + 4 * LANES).fma(s, s4);
      s5 = DoubleVector.fromArray(SPECIES, w, o + 5 * LANES).fma(s, s5);
      s6 = DoubleVector.fromArray(SPECIES, w, o + 6 * LANES).fma(s, s6);
    }
    s0.intoArray(acc, a);
    s1.intoArray(acc, a + LANES);
    s2.intoArray(acc, a + 2 * LANES);
    s3.intoArray(acc, a + 3 * LANES);
    s4.intoArray(acc, a + 4 * LANES);
    s5.intoArray(acc, a + 5 * LANES);
    s6.intoArray(acc, a + 6 * LANES);
  }

  /** One vector of class pairs: the narrow case of {@link #pairKernel}, for few classes. */
  private static void pairKernelOne(
      double[] x,
      int d,
      double[] w,
      int width,
      long bits,
      int base,
      int j,
      int l,
      double[] acc,
      int a,
      int v) {
    DoubleVector s0 = DoubleVector.fromArray(SPECIES, acc, a);
    while (bits != 0) {
      int i = base + Long.numberOfTrailingZeros(bits);
      bits &= bits - 1;
      DoubleVector s = DoubleVector.broadcast(SPECIES, x[i * d + j] * x[i * d + l]);
      s0 = DoubleVector.fromArray(SPECIES, w, i * width + v).fma(s, s0);
    }
    s0.intoArray(acc, a);
  }

  /** Writes the tile's sums, times {@code scale}, to the four symmetric places of each entry. */
  private static void scatter(
      double[] acc, int width, int d, int k, int j0, int l0, double scale, double[] h) {
    int j1 = Math.min(d, j0 + TILE);
    int l1 = Math.min(d, l0 + TILE);
    long kd = (long) k * d;
    for (int j = j0; j < j1; j++) {
      int lEnd = l0 == j0 ? j + 1 : l1;
      for (int l = l0; l < lEnd; l++) {
        int a = ((j - j0) * TILE + (l - l0)) * width;
        int q = 0;
        for (int c = 0; c < k; c++) {
          for (int c2 = c; c2 < k; c2++) {
            double s = acc[a + q++] * scale;
            h[(int) ((c * d + j) * kd + c2 * d + l)] = s;
            h[(int) ((c * d + l) * kd + c2 * d + j)] = s;
            h[(int) ((c2 * d + j) * kd + c * d + l)] = s;
            h[(int) ((c2 * d + l) * kd + c * d + j)] = s;
          }
        }
      }
    }
  }
}
