package org.poisonlab.linalg;

import static org.poisonlab.linalg.Vectors.LANES;
import static org.poisonlab.linalg.Vectors.SPECIES;

import java.util.Objects;
import jdk.incubator.vector.DoubleVector;

/**
 * Matrix products for training, on row-major arrays addressed by an offset, the way a layer's
 * weights sit inside one flat parameter vector.
 *
 * <ul>
 *   <li>{@link #multiplyTransB}: {@code C = A · Bᵀ} (a layer's forward pass: rows of inputs times
 *       rows of weights). Each entry is a dot product computed as in {@link Vectors#dot}.
 *   <li>{@link #multiply}: {@code C = A · B}, and {@link #multiplyTransA}: {@code C = Aᵀ · B} (the
 *       backward pass: errors times weights, and errors times inputs). Each entry is the sum over
 *       {@code r} of {@code A(i,r) · B(r,j)} accumulated in increasing {@code r} with fused
 *       multiply-adds, starting from 0.
 *   <li>Sparse: {@link #multiplyTransB(CsrMatrix, double[], int, int, double[], int, int)} and
 *       {@link #multiplyTransA(double[], int, int, CsrMatrix, double[], int, int)}, the same two
 *       products with a CSR matrix of inputs; entries are accumulated in increasing row and column
 *       order.
 * </ul>
 *
 * <p>Dense kernels work on 4 × 4 (dot form) or 4 × 2 vector (axpy form) register blocks, after the
 * blocking of Goto and van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS
 * 34(3), 2008. Work is split over {@code threads} (0: all cores) by blocks of output entries; since
 * every entry is computed by the same sequence of operations in every block shape, the result does
 * not depend on the number of threads.
 *
 * <p>Output ranges are overwritten, never accumulated into. Inputs and outputs must not overlap.
 */
public final class Matrices {
  /** Below this many multiply-adds a product runs on the calling thread alone. */
  private static final long PARALLEL_WORK = 1L << 16;

  private Matrices() {}

  /**
   * Starts the background check that switches the kernels to the Vector API once it is compiled
   * (see the package comment), and returns at once. A short process gains by calling this early,
   * e.g. before reading its data, so that compilation overlaps with input. Kernels call it
   * themselves; results never depend on whether or when it ran.
   */
  public static void warmUp() {
    Warmup.start();
  }

  /** How many parts to split {@code work} over: 1 below {@link #PARALLEL_WORK}. */
  static int parts(int threads, long work, int units) {
    int t = Parallel.threads(threads);
    if (work < PARALLEL_WORK) {
      return 1;
    }
    return Math.max(1, Math.min(t, units));
  }

  // ---------------------------------------------------------------- dot form: C = A · Bᵀ

  /**
   * {@code C[m×n] = A[m×k] · B[n×k]ᵀ}, all row-major; returns {@code c}.
   *
   * @param a not modified; entry (i, r) at {@code a[aOff + i*k + r]}
   * @param b not modified; entry (j, r) at {@code b[bOff + j*k + r]}
   * @param c modified: entries {@code c[cOff .. cOff + m*n)}; null to allocate (then cOff must be
   *     0)
   * @param threads worker threads, 0 for all cores
   * @throws IndexOutOfBoundsException if a range falls outside its array
   */
  public static double[] multiplyTransB(
      double[] a,
      int aOff,
      double[] b,
      int bOff,
      int m,
      int n,
      int k,
      double[] c,
      int cOff,
      int threads) {
    if (c == null) {
      c = new double[m * n];
    }
    Objects.checkFromIndexSize(aOff, m * k, a.length);
    Objects.checkFromIndexSize(bOff, n * k, b.length);
    Objects.checkFromIndexSize(cOff, m * n, c.length);
    final double[] cc = c;
    long work = (long) m * n * k;
    Warmup.start();
    boolean v = Warmup.dotFormReady();
    if (m >= 8) {
      int parts = parts(threads, work, (m + 3) / 4);
      Parallel.run(
          parts,
          p ->
              dotForm(
                  v,
                  a,
                  aOff,
                  b,
                  bOff,
                  cc,
                  cOff,
                  n,
                  k,
                  Parallel.split(m, parts, p, 4),
                  Parallel.split(m, parts, p + 1, 4),
                  0,
                  n));
    } else {
      int parts = parts(threads, work, (n + 3) / 4);
      Parallel.run(
          parts,
          p ->
              dotForm(
                  v,
                  a,
                  aOff,
                  b,
                  bOff,
                  cc,
                  cOff,
                  n,
                  k,
                  0,
                  m,
                  Parallel.split(n, parts, p, 4),
                  Parallel.split(n, parts, p + 1, 4)));
    }
    return c;
  }

  static void dotForm(
      boolean vector,
      double[] a,
      int aOff,
      double[] b,
      int bOff,
      double[] c,
      int cOff,
      int n,
      int k,
      int i0,
      int i1,
      int j0,
      int j1) {
    if (!vector) {
      for (int i = i0; i < i1; i++) {
        for (int j = j0; j < j1; j++) {
          c[cOff + i * n + j] = Vectors.dotTwin(a, aOff + i * k, b, bOff + j * k, k);
        }
      }
      return;
    }
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      int j = j0;
      for (; j + 4 <= j1; j += 4) {
        dot4x4(a, aOff + i * k, b, bOff + j * k, c, cOff + i * n + j, n, k);
      }
      for (; j < j1; j++) {
        for (int ii = i; ii < i + 4; ii++) {
          c[cOff + ii * n + j] = Vectors.dotVector(a, aOff + ii * k, b, bOff + j * k, k);
        }
      }
    }
    for (; i < i1; i++) {
      for (int j = j0; j < j1; j++) {
        c[cOff + i * n + j] = Vectors.dotVector(a, aOff + i * k, b, bOff + j * k, k);
      }
    }
  }

  /** 16 dot products: rows a0..a3 (stride k) against rows b0..b3 (stride k). */
  private static void dot4x4(
      double[] a, int ao, double[] b, int bo, double[] c, int co, int n, int k) {
    DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c02 = c00, c03 = c00;
    DoubleVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
    DoubleVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    DoubleVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
    int bound = SPECIES.loopBound(k);
    for (int r = 0; r < bound; r += LANES) {
      DoubleVector a0 = DoubleVector.fromArray(SPECIES, a, ao + r);
      DoubleVector a1 = DoubleVector.fromArray(SPECIES, a, ao + k + r);
      DoubleVector a2 = DoubleVector.fromArray(SPECIES, a, ao + 2 * k + r);
      DoubleVector a3 = DoubleVector.fromArray(SPECIES, a, ao + 3 * k + r);
      DoubleVector bv = DoubleVector.fromArray(SPECIES, b, bo + r);
      c00 = a0.fma(bv, c00);
      c10 = a1.fma(bv, c10);
      c20 = a2.fma(bv, c20);
      c30 = a3.fma(bv, c30);
      bv = DoubleVector.fromArray(SPECIES, b, bo + k + r);
      c01 = a0.fma(bv, c01);
      c11 = a1.fma(bv, c11);
      c21 = a2.fma(bv, c21);
      c31 = a3.fma(bv, c31);
      bv = DoubleVector.fromArray(SPECIES, b, bo + 2 * k + r);
      c02 = a0.fma(bv, c02);
      c12 = a1.fma(bv, c12);
      c22 = a2.fma(bv, c22);
      c32 = a3.fma(bv, c32);
      bv = DoubleVector.fromArray(SPECIES, b, bo + 3 * k + r);
      c03 = a0.fma(bv, c03);
      c13 = a1.fma(bv, c13);
      c23 = a2.fma(bv, c23);
      c33 = a3.fma(bv, c33);
    }
    c[co] = finish(c00, a, ao, b, bo, bound, k);
    c[co + 1] = finish(c01, a, ao, b, bo + k, bound, k);
    c[co + 2] = finish(c02, a, ao, b, bo + 2 * k, bound, k);
    c[co + 3] = finish(c03, a, ao, b, bo + 3 * k, bound, k);
    c[co + n] = finish(c10, a, ao + k, b, bo, bound, k);
    c[co + n + 1] = finish(c11, a, ao + k, b, bo + k, bound, k);
    c[co + n + 2] = finish(c12, a, ao + k, b, bo + 2 * k, bound, k);
    c[co + n + 3] = finish(c13, a, ao + k, b, bo + 3 * k, bound, k);
    c[co + 2 * n] = finish(c20, a, ao + 2 * k, b, bo, bound, k);
    c[co + 2 * n + 1] = finish(c21, a, ao + 2 * k, b, bo + k, bound, k);
    c[co + 2 * n + 2] = finish(c22, a, ao + 2 * k, b, bo + 2 * k, bound, k);
    c[co + 2 * n + 3] = finish(c23, a, ao + 2 * k, b, bo + 3 * k, bound, k);
    c[co + 3 * n] = finish(c30, a, ao + 3 * k, b, bo, bound, k);
    c[co + 3 * n + 1] = finish(c31, a, ao + 3 * k, b, bo + k, bound, k);
    c[co + 3 * n + 2] = finish(c32, a, ao + 3 * k, b, bo + 2 * k, bound, k);
    c[co + 3 * n + 3] = finish(c33, a, ao + 3 * k, b, bo + 3 * k, bound, k);
  }

  /** Lanes in order, then the scalar tail: the same sequence as {@link Vectors#dot}. */
  private static double finish(
      DoubleVector acc, double[] a, int ao, double[] b, int bo, int bound, int k) {
    double s = Vectors.sumLanes(acc);
    for (int r = bound; r < k; r++) {
      s += a[ao + r] * b[bo + r];
    }
    return s;
  }

  // ---------------------------------------------------------------- axpy form: C = op(A) · B

  /**
   * {@code C[m×n] = A[m×k] · B[k×n]}, all row-major; returns {@code c}.
   *
   * @param a not modified; entry (i, r) at {@code a[aOff + i*k + r]}
   * @param b not modified; entry (r, j) at {@code b[bOff + r*n + j]}
   * @param c modified: entries {@code c[cOff .. cOff + m*n)}; null to allocate (then cOff must be
   *     0)
   * @param threads worker threads, 0 for all cores
   */
  public static double[] multiply(
      double[] a,
      int aOff,
      double[] b,
      int bOff,
      int m,
      int k,
      int n,
      double[] c,
      int cOff,
      int threads) {
    return axpyForm(a, aOff, k, 1, b, bOff, m, k, n, c, cOff, threads);
  }

  /**
   * {@code C[m×n] = A[k×m]ᵀ · B[k×n]}, all row-major; returns {@code c}. With A the errors of a
   * batch and B its inputs, this is the weight gradient summed over the batch.
   *
   * @param a not modified; entry (r, i) at {@code a[aOff + r*m + i]}
   * @param b not modified; entry (r, j) at {@code b[bOff + r*n + j]}
   * @param c modified: entries {@code c[cOff .. cOff + m*n)}; null to allocate (then cOff must be
   *     0)
   * @param threads worker threads, 0 for all cores
   */
  public static double[] multiplyTransA(
      double[] a,
      int aOff,
      double[] b,
      int bOff,
      int m,
      int k,
      int n,
      double[] c,
      int cOff,
      int threads) {
    return axpyForm(a, aOff, 1, m, b, bOff, m, k, n, c, cOff, threads);
  }

  private static double[] axpyForm(
      double[] a,
      int aOff,
      int ars,
      int acs,
      double[] b,
      int bOff,
      int m,
      int k,
      int n,
      double[] c,
      int cOff,
      int threads) {
    if (c == null) {
      c = new double[m * n];
    }
    Objects.checkFromIndexSize(aOff, m * k, a.length);
    Objects.checkFromIndexSize(bOff, k * n, b.length);
    Objects.checkFromIndexSize(cOff, m * n, c.length);
    final double[] cc = c;
    long work = (long) m * n * k;
    Warmup.start();
    boolean v = Warmup.axpyFormReady();
    if (n >= 4 * LANES) {
      int parts = parts(threads, work, n / LANES);
      Parallel.run(
          parts,
          p ->
              axpyBlock(
                  v,
                  a,
                  aOff,
                  ars,
                  acs,
                  b,
                  bOff,
                  cc,
                  cOff,
                  k,
                  n,
                  0,
                  m,
                  Parallel.split(n, parts, p, LANES),
                  Parallel.split(n, parts, p + 1, LANES)));
    } else {
      int parts = parts(threads, work, (m + 3) / 4);
      Parallel.run(
          parts,
          p ->
              axpyBlock(
                  v,
                  a,
                  aOff,
                  ars,
                  acs,
                  b,
                  bOff,
                  cc,
                  cOff,
                  k,
                  n,
                  Parallel.split(m, parts, p, 4),
                  Parallel.split(m, parts, p + 1, 4),
                  0,
                  n));
    }
    return c;
  }

  // 512-bit vectors come with 32 vector registers (AVX-512), room for the 8 x 2 kernel's 16
  // accumulators; narrower ones keep to 4 x 2
  private static final boolean WIDE_REGISTERS = LANES >= 8;

  static void axpyBlock(
      boolean vector,
      double[] a,
      int aOff,
      int ars,
      int acs,
      double[] b,
      int bOff,
      double[] c,
      int cOff,
      int k,
      int n,
      int i0,
      int i1,
      int j0,
      int j1) {
    if (!vector) {
      // eight entries of a row at a time, each its own fma chain over r from 0 (as in a lane)
      for (int i = i0; i < i1; i++) {
        int ai = aOff + i * ars;
        int ci = cOff + i * n;
        int j = j0;
        for (; j + 8 <= j1; j += 8) {
          twin8(a, ai, acs, b, bOff + j, c, ci + j, k, n);
        }
        for (; j < j1; j++) {
          c[ci + j] = scalarEntry(a, ai, acs, b, bOff + j, k, n);
        }
      }
      return;
    }
    // panels of 2 vectors of columns outside, rows inside: the panel of B (k x 2L) stays in cache
    // while the rows of A stream past it
    int j = j0;
    for (; j + 2 * LANES <= j1; j += 2 * LANES) {
      int i = i0;
      // with 32 vector registers (512-bit lanes), 8 rows at a time: 16 independent fma chains
      for (; WIDE_REGISTERS && i + 8 <= i1; i += 8) {
        axpy8x2(a, aOff + i * ars, ars, acs, b, bOff + j, c, cOff + i * n + j, k, n);
      }
      for (; i + 4 <= i1; i += 4) {
        axpy4x2(a, aOff + i * ars, ars, acs, b, bOff + j, c, cOff + i * n + j, k, n);
      }
      for (; i < i1; i++) {
        axpy1x1(a, aOff + i * ars, acs, b, bOff + j, c, cOff + i * n + j, k, n);
        axpy1x1(a, aOff + i * ars, acs, b, bOff + j + LANES, c, cOff + i * n + j + LANES, k, n);
      }
    }
    for (; j + LANES <= j1; j += LANES) {
      for (int i = i0; i < i1; i++) {
        axpy1x1(a, aOff + i * ars, acs, b, bOff + j, c, cOff + i * n + j, k, n);
      }
    }
    for (; j < j1; j++) {
      for (int i = i0; i < i1; i++) {
        c[cOff + i * n + j] = scalarEntry(a, aOff + i * ars, acs, b, bOff + j, k, n);
      }
    }
  }

  private static void axpy8x2(
      double[] a, int ao, int ars, int acs, double[] b, int bo, double[] c, int co, int k, int n) {
    DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
    DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    DoubleVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    DoubleVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
    for (int r = 0; r < k; r++) {
      DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo + r * n);
      DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + r * n + LANES);
      int ar = ao + r * acs;
      DoubleVector x = DoubleVector.broadcast(SPECIES, a[ar]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(SPECIES, a[ar + ars]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(SPECIES, a[ar + 2 * ars]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(SPECIES, a[ar + 3 * ars]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
      x = DoubleVector.broadcast(SPECIES, a[ar + 4 * ars]);
      c40 = x.fma(b0, c40);
      c41 = x.fma(b1, c41);
      x = DoubleVector.broadcast(SPECIES, a[ar + 5 * ars]);
      c50 = x.fma(b0, c50);
      c51 = x.fma(b1, c51);
      x = DoubleVector.broadcast(SPECIES, a[ar + 6 * ars]);
      c60 = x.fma(b0, c60);
      c61 = x.fma(b1, c61);
      x = DoubleVector.broadcast(SPECIES, a[ar + 7 * ars]);
      c70 = x.fma(b0, c70);
      c71 = x.fma(b1, c71);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + LANES);
    c10.intoArray(c, co + n);
    c11.intoArray(c, co + n + LANES);
    c20.intoArray(c, co + 2 * n);
    c21.intoArray(c, co + 2 * n + LANES);
    c30.intoArray(c, co + 3 * n);
    c31.intoArray(c, co + 3 * n + LANES);
    c40.intoArray(c, co + 4 * n);
    c41.intoArray(c, co + 4 * n + LANES);
    c50.intoArray(c, co + 5 * n);
    c51.intoArray(c, co + 5 * n + LANES);
    c60.intoArray(c, co + 6 * n);
    c61.intoArray(c, co + 6 * n + LANES);
    c70.intoArray(c, co + 7 * n);
    c71.intoArray(c, co + 7 * n + LANES);
  }

  private static void axpy4x2(
      double[] a, int ao, int ars, int acs, double[] b, int bo, double[] c, int co, int k, int n) {
    DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
    DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    for (int r = 0; r < k; r++) {
      DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo + r * n);
      DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + r * n + LANES);
      int ar = ao + r * acs;
      DoubleVector x = DoubleVector.broadcast(SPECIES, a[ar]);
      c00 = x.fma(b0, c00);
      c01 = x.fma(b1, c01);
      x = DoubleVector.broadcast(SPECIES, a[ar + ars]);
      c10 = x.fma(b0, c10);
      c11 = x.fma(b1, c11);
      x = DoubleVector.broadcast(SPECIES, a[ar + 2 * ars]);
      c20 = x.fma(b0, c20);
      c21 = x.fma(b1, c21);
      x = DoubleVector.broadcast(SPECIES, a[ar + 3 * ars]);
      c30 = x.fma(b0, c30);
      c31 = x.fma(b1, c31);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + LANES);
    c10.intoArray(c, co + n);
    c11.intoArray(c, co + n + LANES);
    c20.intoArray(c, co + 2 * n);
    c21.intoArray(c, co + 2 * n + LANES);
    c30.intoArray(c, co + 3 * n);
    c31.intoArray(c, co + 3 * n + LANES);
  }

  private static void axpy1x1(
      double[] a, int ao, int acs, double[] b, int bo, double[] c, int co, int k, int n) {
    DoubleVector acc = DoubleVector.zero(SPECIES);
    for (int r = 0; r < k; r++) {
      acc =
          DoubleVector.broadcast(SPECIES, a[ao + r * acs])
              .fma(DoubleVector.fromArray(SPECIES, b, bo + r * n), acc);
    }
    acc.intoArray(c, co);
  }

  private static void twin8(
      double[] a, int ao, int acs, double[] b, int bo, double[] c, int co, int k, int n) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (int r = 0; r < k; r++) {
      double x = a[ao + r * acs];
      int br = bo + r * n;
      s0 = Math.fma(x, b[br], s0);
      s1 = Math.fma(x, b[br + 1], s1);
      s2 = Math.fma(x, b[br + 2], s2);
      s3 = Math.fma(x, b[br + 3], s3);
      s4 = Math.fma(x, b[br + 4], s4);
      s5 = Math.fma(x, b[br + 5], s5);
      s6 = Math.fma(x, b[br + 6], s6);
      s7 = Math.fma(x, b[br + 7], s7);
    }
    c[co] = s0;
    c[co + 1] = s1;
    c[co + 2] = s2;
    c[co + 3] = s3;
    c[co + 4] = s4;
    c[co + 5] = s5;
    c[co + 6] = s6;
    c[co + 7] = s7;
  }

  /** One entry with the lane's exact sequence: {@code s = fma(a, b, s)} over r. */
  private static double scalarEntry(double[] a, int ao, int acs, double[] b, int bo, int k, int n) {
    double s = 0;
    for (int r = 0; r < k; r++) {
      s = Math.fma(a[ao + r * acs], b[bo + r * n], s);
    }
    return s;
  }

  // ---------------------------------------------------------------- sparse

  /**
   * {@code C[m×n] = S[m×k] · B[n×k]ᵀ} with S sparse (m = {@code s.rows()}, k = {@code s.cols()});
   * returns {@code c}.
   *
   * @param s not modified
   * @param b not modified; entry (j, r) at {@code b[bOff + j*k + r]}
   * @param c modified: entries {@code c[cOff .. cOff + m*n)}; null to allocate (then cOff must be
   *     0)
   * @param threads worker threads, 0 for all cores
   */
  public static double[] multiplyTransB(
      CsrMatrix s, double[] b, int bOff, int n, double[] c, int cOff, int threads) {
    return SparseProducts.multiplyTransB(s, b, bOff, n, c, cOff, threads);
  }

  /**
   * {@code C[n×k] = A[m×n]ᵀ · S[m×k]} with S sparse (m = {@code s.rows()}, k = {@code s.cols()});
   * returns {@code c}. With A the errors of a batch and S its inputs, this is the weight gradient
   * summed over the batch. Work is split over the rows of C, so no partial sums are merged.
   *
   * @param a not modified; entry (i, j) at {@code a[aOff + i*n + j]}
   * @param s not modified
   * @param c modified: entries {@code c[cOff .. cOff + n*k)}; null to allocate (then cOff must be
   *     0)
   * @param threads worker threads, 0 for all cores
   */
  public static double[] multiplyTransA(
      double[] a, int aOff, int n, CsrMatrix s, double[] c, int cOff, int threads) {
    return SparseProducts.multiplyTransA(a, aOff, n, s, c, cOff, threads);
  }

  /**
   * The Gram matrix {@code G = S Sᵀ} of a sparse matrix's rows, {@code G[i, j] = s_i · s_j},
   * returned full (both triangles) and row-major {@code rows × rows}. Row i is scattered into a
   * dense buffer of {@code cols} entries and dotted with rows {@code j ≤ i} by their nonzeros, so
   * the work is {@code Σ_i Σ_{j≤i} nnz(s_j)}; rows are dealt to threads in turn.
   *
   * @param s not modified
   * @param threads worker threads, 0 for all cores
   * @throws IllegalArgumentException if {@code rows²} exceeds an array's capacity
   */
  public static double[] gram(CsrMatrix s, int threads) {
    return SparseProducts.gram(s, threads);
  }
}
