package org.poisonlab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dense vector kernels on the JDK Vector API ({@code jdk.incubator.vector}, preferred species).
 *
 * <p>A dot product accumulates {@code x[i] * y[i]} with fused multiply-adds in one accumulator per
 * vector lane (lane {@code l} takes indices {@code l, l + L, l + 2L, ...} below the last full
 * vector), adds the lanes in lane order, then adds the remaining products one by one. The result is
 * therefore deterministic, though not the same bits as a plain left-to-right loop. Until the vector
 * code is compiled, a scalar twin performing the same operations runs instead (see {@code Warmup});
 * the bits are the same.
 */
public final class Vectors {
  static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();

  private Vectors() {}

  /** The number of doubles in one vector of the preferred species on this machine. */
  public static int lanes() {
    return LANES;
  }

  /**
   * Dot product of {@code x[xOff .. xOff+n)} and {@code y[yOff .. yOff+n)}.
   *
   * @param x not modified
   * @param y not modified
   * @throws IndexOutOfBoundsException if a range falls outside its array
   */
  public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
    java.util.Objects.checkFromIndexSize(xOff, n, x.length);
    java.util.Objects.checkFromIndexSize(yOff, n, y.length);
    Warmup.start();
    return Warmup.vectorsReady() ? dotVector(x, xOff, y, yOff, n) : dotTwin(x, xOff, y, yOff, n);
  }

  static double dotVector(double[] x, int xOff, double[] y, int yOff, int n) {
    DoubleVector acc = DoubleVector.zero(SPECIES);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      acc =
          DoubleVector.fromArray(SPECIES, x, xOff + i)
              .fma(DoubleVector.fromArray(SPECIES, y, yOff + i), acc);
    }
    double s = sumLanes(acc);
    for (; i < n; i++) {
      s += x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  /**
   * Dot product of two vectors of equal length.
   *
   * @param x not modified
   * @param y not modified
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double dot(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "vector lengths " + x.length + " and " + y.length + " differ");
    }
    return dot(x, 0, y, 0, x.length);
  }

  /**
   * The plain left-to-right scalar dot product, the baseline the vector kernel is measured against.
   *
   * @param x not modified
   * @param y not modified
   */
  public static double dotScalar(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "vector lengths " + x.length + " and " + y.length + " differ");
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /**
   * {@code y[yOff + i] += alpha * x[xOff + i]} for {@code i < n}, each entry with one fused
   * multiply-add.
   *
   * @param x not modified
   * @param y modified
   */
  public static void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    java.util.Objects.checkFromIndexSize(xOff, n, x.length);
    java.util.Objects.checkFromIndexSize(yOff, n, y.length);
    Warmup.start();
    if (Warmup.vectorsReady()) {
      axpyVector(alpha, x, xOff, y, yOff, n);
    } else {
      axpyTwin(alpha, x, xOff, y, yOff, n);
    }
  }

  static void axpyTwin(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  static void axpyVector(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    DoubleVector a = DoubleVector.broadcast(SPECIES, alpha);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      a.fma(
              DoubleVector.fromArray(SPECIES, x, xOff + i),
              DoubleVector.fromArray(SPECIES, y, yOff + i))
          .intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  /**
   * {@code y += alpha * x}; returns {@code y}.
   *
   * @param x not modified
   * @param y modified
   * @throws IllegalArgumentException if the lengths differ
   */
  public static double[] axpy(double alpha, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "vector lengths " + x.length + " and " + y.length + " differ");
    }
    axpy(alpha, x, 0, y, 0, x.length);
    return y;
  }

  /**
   * The scalar twin of {@link #dotVector}: one accumulator per lane over the same indices, with the
   * same fused multiply-adds, summed in lane order, then the same tail. Bit-identical.
   */
  static double dotTwin(double[] x, int xOff, double[] y, int yOff, int n) {
    int bound = n - n % LANES;
    double s = 0;
    for (int l = 0; l < LANES; l++) {
      double acc = 0;
      for (int i = l; i < bound; i += LANES) {
        acc = Math.fma(x[xOff + i], y[yOff + i], acc);
      }
      s += acc;
    }
    for (int i = bound; i < n; i++) {
      s += x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  /**
   * Whether the Vector API kernels are in use yet (see the package comment); starts the background
   * check if it has not started. Results are the same bits either way.
   */
  public static boolean vectorKernelsReady() {
    Warmup.start();
    return Warmup.vectorReady();
  }

  /**
   * Waits up to {@code millis} for the Vector API kernels to be compiled and in use; for benchmarks
   * that must measure them. Returns whether they are.
   */
  public static boolean awaitVectorKernels(long millis) {
    return Warmup.await(millis);
  }

  /** Sum of the lanes of {@code v}, in lane order. */
  static double sumLanes(DoubleVector v) {
    double[] t = new double[LANES];
    v.intoArray(t, 0);
    double s = 0;
    for (double d : t) {
      s += d;
    }
    return s;
  }
}
