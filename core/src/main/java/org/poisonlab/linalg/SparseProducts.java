package org.poisonlab.linalg;

import java.util.Objects;

/**
 * The sparse products behind {@link Matrices}: a CSR matrix of inputs times dense weights, their
 * transposed product, and the Gram matrix of sparse rows. Entries are accumulated in increasing row
 * and column order, so the result does not depend on the number of threads.
 */
final class SparseProducts {
  private SparseProducts() {}

  /** See {@link Matrices#multiplyTransB(CsrMatrix, double[], int, int, double[], int, int)}. */
  static double[] multiplyTransB(
      CsrMatrix s, double[] b, int bOff, int n, double[] c, int cOff, int threads) {
    int m = s.rows();
    int k = s.cols();
    if (c == null) {
      c = new double[m * n];
    }
    Objects.checkFromIndexSize(bOff, n * k, b.length);
    Objects.checkFromIndexSize(cOff, m * n, c.length);
    final double[] cc = c;
    int[] ptr = s.rowPtr();
    int[] col = s.colIndex();
    double[] val = s.values();
    int parts = Matrices.parts(threads, (long) s.nonZeros() * n, m);
    Parallel.run(
        parts,
        p -> {
          int from = Parallel.split(m, parts, p, 1);
          int to = Parallel.split(m, parts, p + 1, 1);
          for (int i = from; i < to; i++) {
            for (int j = 0; j < n; j++) {
              int bj = bOff + j * k;
              double sum = 0;
              for (int q = ptr[i]; q < ptr[i + 1]; q++) {
                sum += val[q] * b[bj + col[q]];
              }
              cc[cOff + i * n + j] = sum;
            }
          }
        });
    return c;
  }

  /** See {@link Matrices#multiplyTransA(double[], int, int, CsrMatrix, double[], int, int)}. */
  static double[] multiplyTransA(
      double[] a, int aOff, int n, CsrMatrix s, double[] c, int cOff, int threads) {
    int m = s.rows();
    int k = s.cols();
    if (c == null) {
      c = new double[n * k];
    }
    Objects.checkFromIndexSize(aOff, m * n, a.length);
    Objects.checkFromIndexSize(cOff, n * k, c.length);
    final double[] cc = c;
    int[] ptr = s.rowPtr();
    int[] col = s.colIndex();
    double[] val = s.values();
    int parts = Matrices.parts(threads, (long) s.nonZeros() * n + (long) n * k, n);
    Parallel.run(
        parts,
        p -> {
          int from = Parallel.split(n, parts, p, 1);
          int to = Parallel.split(n, parts, p + 1, 1);
          java.util.Arrays.fill(cc, cOff + from * k, cOff + to * k, 0.0);
          for (int i = 0; i < m; i++) {
            for (int j = from; j < to; j++) {
              double x = a[aOff + i * n + j];
              if (x == 0) {
                continue;
              }
              int cj = cOff + j * k;
              for (int q = ptr[i]; q < ptr[i + 1]; q++) {
                cc[cj + col[q]] += x * val[q];
              }
            }
          }
        });
    return c;
  }

  /** See {@link Matrices#gram}. */
  static double[] gram(CsrMatrix s, int threads) {
    int m = s.rows();
    if ((long) m * m > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a Gram matrix of " + m + " rows is too large");
    }
    double[] g = new double[m * m];
    int[] ptr = s.rowPtr();
    int[] col = s.colIndex();
    double[] val = s.values();
    int parts = Matrices.parts(threads, (long) s.nonZeros() * m / 2, m);
    Parallel.run(
        parts,
        p -> {
          double[] dense = new double[s.cols()];
          for (int i = p; i < m; i += parts) {
            for (int q = ptr[i]; q < ptr[i + 1]; q++) {
              dense[col[q]] += val[q];
            }
            for (int j = 0; j <= i; j++) {
              double sum = 0;
              for (int q = ptr[j]; q < ptr[j + 1]; q++) {
                sum += val[q] * dense[col[q]];
              }
              g[i * m + j] = sum;
              g[j * m + i] = sum;
            }
            for (int q = ptr[i]; q < ptr[i + 1]; q++) {
              dense[col[q]] = 0;
            }
          }
        });
    return g;
  }
}
