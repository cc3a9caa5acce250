package org.poisonlab.linalg;

import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;

/**
 * A seeded random linear map {@code P: R^p → R^k} (Johnson–Lindenstrauss; Achlioptas, "Database
 * friendly random projections", J. Comput. Syst. Sci. 66, 2003), the projection TRAK uses (Park et
 * al., ICML 2023). Entry {@code P[r, j]} is {@code ±1/√k} with equal probability ({@link
 * Kind#RADEMACHER}) or {@code N(0, 1/k)} ({@link Kind#GAUSSIAN}), so {@code E[||Pg||²] = ||g||²}.
 *
 * <p>The matrix is never stored: column {@code j} is regenerated whenever it is needed from a
 * counter-based generator, the SplitMix64 finaliser of {@code seed + (j·w + q)·γ} for word {@code
 * q} of the column (64 signs per word), so a sparse vector costs only its nonzero columns and
 * memory is O(k) whatever p is. Projecting adds {@code g_j · P[:, j]} for every nonzero {@code g_j}
 * in index order, so the dense and the sparse path give the same bits, and so do the Vector API
 * kernel and its scalar twin and any number of threads (rows are split between threads, each row
 * summed in the same order).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RandomProjection {
  /** How entries are drawn. */
  public enum Kind {
    /** ±1/√k, each with probability ½. */
    RADEMACHER,
    /** Standard normal / √k, by Box–Muller from two generated words. */
    GAUSSIAN
  }

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** Below this many multiply-adds per vector the projection stays on the calling thread. */
  private static final long PARALLEL_WORK = 1L << 17;

  private final Kind kind;
  private final int inputDimension;
  private final int k;
  private final long seed;
  private final int threads;
  private final int wordsPerColumn;
  private final double scale;

  private RandomProjection(Kind kind, int inputDimension, int k, long seed, int threads) {
    this.kind = kind;
    this.inputDimension = inputDimension;
    this.k = k;
    this.seed = seed;
    this.threads = threads;
    this.wordsPerColumn = kind == Kind.RADEMACHER ? (k + 63) / 64 : k;
    this.scale = 1 / Math.sqrt(k);
  }

  /**
   * A projection from {@code inputDimension} to {@code k} dimensions.
   *
   * @param threads worker threads for one projection, 0 for all cores
   * @throws IllegalArgumentException if a dimension is below 1 or {@code threads} is negative
   */
  public static RandomProjection of(Kind kind, int inputDimension, int k, long seed, int threads) {
    Objects.requireNonNull(kind, "kind");
    if (inputDimension < 1 || k < 1) {
      throw new IllegalArgumentException(
          "projection dimensions must be positive, not " + inputDimension + " → " + k);
    }
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (all cores) or more, not " + threads);
    }
    Warmup.start();
    return new RandomProjection(kind, inputDimension, k, seed, threads);
  }

  public Kind kind() {
    return kind;
  }

  /** p, the length of the vectors projected. */
  public int inputDimension() {
    return inputDimension;
  }

  /** k, the length of a projection. */
  public int dimension() {
    return k;
  }

  public long seed() {
    return seed;
  }

  /**
   * {@code out = P g} for a dense {@code g}; zero entries of {@code g} cost nothing.
   *
   * @param g not modified; length {@link #inputDimension()}
   * @param out modified: entries {@code [outOff, outOff + k)} overwritten; null to allocate (then
   *     {@code outOff} must be 0). Returned.
   * @throws IllegalArgumentException if {@code g} has the wrong length
   */
  public double[] project(double[] g, double[] out, int outOff) {
    if (g.length != inputDimension) {
      throw new IllegalArgumentException(
          "vector length " + g.length + " does not match projection input " + inputDimension);
    }
    int nnz = 0;
    for (double v : g) {
      nnz += v != 0 ? 1 : 0;
    }
    int[] index = new int[nnz];
    double[] value = new double[nnz];
    int c = 0;
    for (int j = 0; j < g.length; j++) {
      if (g[j] != 0) {
        index[c] = j;
        value[c++] = g[j];
      }
    }
    return projectSparse(index, value, nnz, out, outOff);
  }

  /**
   * {@code out = P g} for a sparse {@code g} given as {@code nnz} (index, value) pairs; indices
   * need not be sorted but the result adds columns in the order given (sorted order matches {@link
   * #project}).
   *
   * @param index not modified; each in {@code [0, inputDimension())}
   * @param value not modified
   * @param out modified: entries {@code [outOff, outOff + k)} overwritten; null to allocate (then
   *     {@code outOff} must be 0). Returned.
   * @throws IndexOutOfBoundsException if an index is out of range
   */
  public double[] projectSparse(int[] index, double[] value, int nnz, double[] out, int outOff) {
    if (out == null) {
      out = new double[k];
    }
    Objects.checkFromIndexSize(outOff, k, out.length);
    for (int q = 0; q < nnz; q++) {
      Objects.checkIndex(index[q], inputDimension);
    }
    java.util.Arrays.fill(out, outOff, outOff + k, 0);
    long work = (long) nnz * k;
    int t = Parallel.threads(threads);
    int parts = work < PARALLEL_WORK || kind == Kind.GAUSSIAN ? 1 : Math.min(t, k / 64);
    double[] o = out;
    if (parts <= 1) {
      addColumns(index, value, nnz, o, outOff, 0, k);
    } else {
      Parallel.run(
          parts,
          part -> {
            int r0 = Parallel.split(k, parts, part, 64);
            int r1 = Parallel.split(k, parts, part + 1, 64);
            addColumns(index, value, nnz, o, outOff, r0, r1);
          });
    }
    return out;
  }

  /**
   * Writes columns {@code [from, from + count)} of P, each contiguous: {@code P[r, from + c]} goes
   * to {@code out[outOff + c·k + r]}, i.e. the block {@code P[:, from..from+count)ᵀ}, row-major
   * {@code count × k}. With it a batch of dense vectors is projected by one matrix product instead
   * of column by column; the entries are those of {@link #entry}. Columns are split over threads.
   *
   * @param out modified: entries {@code [outOff, outOff + count·k)} overwritten
   * @throws IndexOutOfBoundsException if the columns or the output range are out of bounds
   */
  public void columnBlock(int from, int count, double[] out, int outOff) {
    Objects.checkFromIndexSize(from, count, inputDimension);
    Objects.checkFromIndexSize(outOff, Math.multiplyExact(count, k), out.length);
    long work = (long) count * k;
    int parts = work < PARALLEL_WORK ? 1 : Math.min(Parallel.threads(threads), count);
    Parallel.run(
        parts,
        part -> {
          int c0 = Parallel.split(count, parts, part, 1);
          int c1 = Parallel.split(count, parts, part + 1, 1);
          for (int c = c0; c < c1; c++) {
            writeColumn(from + c, out, outOff + c * k);
          }
        });
  }

  private void writeColumn(int j, double[] out, int off) {
    if (kind == Kind.GAUSSIAN) {
      for (int r = 0; r < k; r++) {
        out[off + r] = gaussian(j, r) * scale;
      }
      return;
    }
    long plus = Double.doubleToRawLongBits(scale);
    for (int r = 0; r < k; r += 64) {
      long w = word(j, r >>> 6);
      int end = Math.min(64, k - r);
      for (int b = 0; b < end; b++) {
        out[off + r + b] = Double.longBitsToDouble(plus ^ (((w >>> b) & 1L) << 63));
      }
    }
  }

  /**
   * Entry {@code P[r, j]}, for tests and for readers who want to check a projection by hand.
   *
   * @throws IndexOutOfBoundsException if r or j is out of range
   */
  public double entry(int r, int j) {
    Objects.checkIndex(r, k);
    Objects.checkIndex(j, inputDimension);
    if (kind == Kind.GAUSSIAN) {
      return gaussian(j, r) * scale;
    }
    long w = word(j, r >>> 6);
    return ((w >>> (r & 63)) & 1L) == 0 ? scale : -scale;
  }

  private long word(int j, int q) {
    return mix64(seed + ((long) j * wordsPerColumn + q) * GOLDEN);
  }

  private double gaussian(int j, int r) {
    long a = word(j, r);
    long b = mix64(a ^ 0xD1B54A32D192ED03L);
    double u1 = ((a >>> 11) + 1) * 0x1.0p-53; // (0, 1]
    double u2 = (b >>> 11) * 0x1.0p-53;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Adds {@code Σ_q value[q] · P[r, index[q]]} to rows {@code [r0, r1)} of the output. */
  private void addColumns(
      int[] index, double[] value, int nnz, double[] out, int off, int r0, int r1) {
    if (kind == Kind.GAUSSIAN) {
      for (int q = 0; q < nnz; q++) {
        double v = value[q] * scale;
        for (int r = r0; r < r1; r++) {
          out[off + r] += v * gaussian(index[q], r);
        }
      }
      return;
    }
    boolean vector = Warmup.vectorsReady() && Vectors.LANES <= 64 && 64 % Vectors.LANES == 0;
    for (int q = 0; q < nnz; q++) {
      double v = value[q] * scale;
      int j = index[q];
      if (vector) {
        signedAddVector(j, v, out, off, r0, r1);
      } else {
        signedAddScalar(j, v, out, off, r0, r1);
      }
    }
  }

  /** out[r] += ±v, sign bit r of column j; r0 a multiple of 64. */
  private void signedAddScalar(int j, double v, double[] out, int off, int r0, int r1) {
    long vb = Double.doubleToRawLongBits(v);
    for (int r = r0; r < r1; r += 64) {
      long w = word(j, r >>> 6);
      int end = Math.min(64, r1 - r);
      for (int b = 0; b < end; b++) {
        out[off + r + b] += Double.longBitsToDouble(vb ^ (((w >>> b) & 1L) << 63));
      }
    }
  }

  /** The Vector API twin of {@link #signedAddScalar}: the same additions, lane by lane. */
  private void signedAddVector(int j, double v, double[] out, int off, int r0, int r1) {
    int lanes = Vectors.LANES;
    DoubleVector plus = DoubleVector.broadcast(Vectors.SPECIES, v);
    DoubleVector minus = plus.neg();
    long laneBits = (1L << lanes) - 1;
    for (int r = r0; r < r1; r += 64) {
      long w = word(j, r >>> 6);
      int end = Math.min(64, r1 - r);
      int b = 0;
      for (; b + lanes <= end; b += lanes) {
        VectorMask<Double> neg = VectorMask.fromLong(Vectors.SPECIES, (w >>> b) & laneBits);
        DoubleVector.fromArray(Vectors.SPECIES, out, off + r + b)
            .add(plus.blend(minus, neg))
            .intoArray(out, off + r + b);
      }
      long vb = Double.doubleToRawLongBits(v);
      for (; b < end; b++) {
        out[off + r + b] += Double.longBitsToDouble(vb ^ (((w >>> b) & 1L) << 63));
      }
    }
  }

  /** The SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014), as in SplittableRandom. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
