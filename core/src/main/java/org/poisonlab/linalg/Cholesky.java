package org.poisonlab.linalg;

import static org.poisonlab.linalg.Vectors.LANES;
import static org.poisonlab.linalg.Vectors.SPECIES;

import java.util.Objects;
import jdk.incubator.vector.DoubleVector;

/**
 * The Cholesky factorisation {@code A = L Lᵀ} of a symmetric positive definite matrix and solves
 * with it. Right-looking and blocked (Golub and Van Loan, "Matrix Computations", 4th ed., Algorithm
 * 4.2.9): for each block column, the diagonal block is factored, the panel below it solved against
 * it, and the trailing lower triangle updated by {@code A₂₂ −= L₂₁ L₂₁ᵀ} with a register-blocked
 * Vector API kernel spread over threads. A matrix that is not positive definite (a pivot {@code ≤
 * 0} or NaN) is reported by {@link #positiveDefinite()}, never thrown.
 */
public final class Cholesky {
  private static final int BLOCK = 128;

  private final double[] l;
  private final int n;
  private final int failedAt;
  private final int threads;

  private Cholesky(double[] l, int n, int failedAt, int threads) {
    this.l = l;
    this.n = n;
    this.failedAt = failedAt;
    this.threads = threads;
  }

  /**
   * Factors {@code a} in place.
   *
   * @param a modified: an {@code n × n} row-major symmetric matrix of which only the lower triangle
   *     is read; on return the lower triangle holds {@code L} and the strict upper triangle
   *     scratch. The result keeps a reference to it.
   * @param threads worker threads, 0 for all cores
   * @throws IllegalArgumentException if {@code a} has fewer than {@code n²} entries
   */
  public static Cholesky factorInPlace(double[] a, int n, int threads) {
    if ((long) n * n > a.length) {
      throw new IllegalArgumentException(
          "matrix of " + a.length + " entries is not " + n + " × " + n);
    }
    for (int start = 0; start < n; start += BLOCK) {
      final int k0 = start;
      int kb = Math.min(BLOCK, n - k0);
      int bad = factorDiagonal(a, n, k0, kb);
      if (bad >= 0) {
        return new Cholesky(a, n, bad, threads);
      }
      int r0 = k0 + kb;
      int m = n - r0;
      if (m == 0) {
        break;
      }
      int parts = Math.min(Parallel.threads(threads), Math.max(1, m / 64));
      Parallel.run(
          parts,
          p -> {
            int from = r0 + Parallel.split(m, parts, p, 1);
            int to = r0 + Parallel.split(m, parts, p + 1, 1);
            for (int i = from; i < to; i++) {
              for (int j = k0; j < r0; j++) {
                double s = a[i * n + j] - dot(a, i * n + k0, a, j * n + k0, j - k0);
                a[i * n + j] = s / a[j * n + j];
              }
            }
          });
      double[] panel = new double[m * kb];
      double[] panelT = new double[kb * m];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < kb; j++) {
          double v = a[(r0 + i) * n + k0 + j];
          panel[i * kb + j] = v;
          panelT[j * m + i] = v;
        }
      }
      updateTrailing(a, n, r0, m, kb, panel, panelT, threads);
    }
    return new Cholesky(a, n, -1, threads);
  }

  private static double dot(double[] x, int xo, double[] y, int yo, int len) {
    return len == 0 ? 0 : Vectors.dot(x, xo, y, yo, len);
  }

  /** Unblocked factorisation of the diagonal block; returns the failing column or −1. */
  private static int factorDiagonal(double[] a, int n, int k0, int kb) {
    for (int j = k0; j < k0 + kb; j++) {
      double dj = a[j * n + j] - dot(a, j * n + k0, a, j * n + k0, j - k0);
      if (!(dj > 0)) {
        return j;
      }
      double ljj = Math.sqrt(dj);
      a[j * n + j] = ljj;
      for (int i = j + 1; i < k0 + kb; i++) {
        a[i * n + j] = (a[i * n + j] - dot(a, i * n + k0, a, j * n + k0, j - k0)) / ljj;
      }
    }
    return -1;
  }

  /**
   * {@code A[r0+i, r0+c] −= Σ_t P[i,t] P[c,t]} for {@code c ≤ i} (and a few entries above the
   * diagonal, which are scratch), rows split over threads by equal areas of the triangle.
   */
  private static void updateTrailing(
      double[] a, int n, int r0, int m, int kb, double[] p, double[] pt, int threads) {
    int parts = (long) m * m * kb < (1L << 18) ? 1 : Math.min(Parallel.threads(threads), m / 4);
    int groups = (m + 3) / 4;
    Parallel.run(
        Math.max(1, parts),
        part -> {
          int nparts = Math.max(1, parts);
          // equal areas: row group boundaries at sqrt(part/parts) of the triangle
          int g0 = (int) Math.round(groups * Math.sqrt((double) part / nparts));
          int g1 = (int) Math.round(groups * Math.sqrt((double) (part + 1) / nparts));
          for (int cc = 0; cc < m; cc += 512) {
            int cEnd = Math.min(m, cc + 512);
            for (int g = Math.max(g0, cc / 4); g < g1; g++) {
              int i = g * 4;
              int rows = Math.min(4, m - i);
              int limit = Math.min(cEnd, i + rows);
              if (limit <= cc) {
                continue;
              }
              updateRows(a, n, r0, m, kb, p, pt, i, rows, cc, limit);
            }
          }
        });
  }

  private static void updateRows(
      double[] a,
      int n,
      int r0,
      int m,
      int kb,
      double[] p,
      double[] pt,
      int i,
      int rows,
      int c0,
      int c1) {
    int c = c0;
    if (rows == 4) {
      int step = 2 * LANES;
      for (; c + step <= c1; c += step) {
        int o0 = (r0 + i) * n + r0 + c;
        int o1 = o0 + n;
        int o2 = o1 + n;
        int o3 = o2 + n;
        DoubleVector a00 = DoubleVector.fromArray(SPECIES, a, o0);
        DoubleVector a01 = DoubleVector.fromArray(SPECIES, a, o0 + LANES);
        DoubleVector a10 = DoubleVector.fromArray(SPECIES, a, o1);
        DoubleVector a11 = DoubleVector.fromArray(SPECIES, a, o1 + LANES);
        DoubleVector a20 = DoubleVector.fromArray(SPECIES, a, o2);
        DoubleVector a21 = DoubleVector.fromArray(SPECIES, a, o2 + LANES);
        DoubleVector a30 = DoubleVector.fromArray(SPECIES, a, o3);
        DoubleVector a31 = DoubleVector.fromArray(SPECIES, a, o3 + LANES);
        int pr = i * kb;
        for (int t = 0; t < kb; t++) {
          DoubleVector b0 = DoubleVector.fromArray(SPECIES, pt, t * m + c);
          DoubleVector b1 = DoubleVector.fromArray(SPECIES, pt, t * m + c + LANES);
          DoubleVector q0 = DoubleVector.broadcast(SPECIES, -p[pr + t]);
          DoubleVector q1 = DoubleVector.broadcast(SPECIES, -p[pr + kb + t]);
          DoubleVector q2 = DoubleVector.broadcast(SPECIES, -p[pr + 2 * kb + t]);
          DoubleVector q3 = DoubleVector.broadcast(SPECIES, -p[pr + 3 * kb + t]);
          a00 = b0.fma(q0, a00);
          a01 = b1.fma(q0, a01);
          a10 = b0.fma(q1, a10);
          a11 = b1.fma(q1, a11);
          a20 = b0.fma(q2, a20);
          a21 = b1.fma(q2, a21);
          a30 = b0.fma(q3, a30);
          a31 = b1.fma(q3, a31);
        }
        a00.intoArray(a, o0);
        a01.intoArray(a, o0 + LANES);
        a10.intoArray(a, o1);
        a11.intoArray(a, o1 + LANES);
        a20.intoArray(a, o2);
        a21.intoArray(a, o2 + LANES);
        a30.intoArray(a, o3);
        a31.intoArray(a, o3 + LANES);
      }
    }
    for (int r = 0; r < rows; r++) {
      int row = (r0 + i + r) * n + r0;
      for (int cc = c; cc < c1; cc++) {
        double s = a[row + cc];
        for (int t = 0; t < kb; t++) {
          s = Math.fma(-p[(i + r) * kb + t], pt[t * m + cc], s);
        }
        a[row + cc] = s;
      }
    }
  }

  /** Whether the matrix was positive definite (every pivot positive). */
  public boolean positiveDefinite() {
    return failedAt < 0;
  }

  /** The column whose pivot was not positive, or −1 when the factorisation succeeded. */
  public int failedColumn() {
    return failedAt;
  }

  /** The order of the matrix. */
  public int size() {
    return n;
  }

  /**
   * Solves {@code A X = B} for {@code rhs} right-hand sides by forward and back substitution.
   *
   * @param b not modified; {@code n × rhs} row-major (column {@code t} is right-hand side t)
   * @param out modified: every entry overwritten with X; null to allocate; may be {@code b}.
   *     Returned.
   * @throws IllegalStateException if the matrix was not positive definite
   * @throws IllegalArgumentException if a length does not match
   */
  public double[] solve(double[] b, int rhs, double[] out) {
    return substitute(b, rhs, out, true);
  }

  /**
   * Solves {@code L Y = B} for {@code rhs} right-hand sides (forward substitution only), so that
   * {@code b_tᵀ A⁻¹ b_t} is the squared norm of column t of Y.
   *
   * @param b not modified; {@code n × rhs} row-major
   * @param out modified: every entry overwritten with Y; null to allocate; may be {@code b}.
   *     Returned.
   * @throws IllegalStateException if the matrix was not positive definite
   * @throws IllegalArgumentException if a length does not match
   */
  public double[] forwardSolve(double[] b, int rhs, double[] out) {
    return substitute(b, rhs, out, false);
  }

  private double[] substitute(double[] b, int rhs, double[] out, boolean both) {
    if (failedAt >= 0) {
      throw new IllegalStateException(
          "the matrix is not positive definite (column " + failedAt + ")");
    }
    if (b.length != n * rhs) {
      throw new IllegalArgumentException(
          "right-hand sides of " + b.length + " entries are not " + n + " × " + rhs);
    }
    if (out == null) {
      out = b.clone();
    } else if (out != b) {
      Objects.checkFromIndexSize(0, n * rhs, out.length);
      System.arraycopy(b, 0, out, 0, n * rhs);
    }
    final double[] x = out;
    int parts = Math.min(Parallel.threads(threads), Math.max(1, rhs / LANES));
    Parallel.run(
        parts,
        part -> {
          int c0 = Parallel.split(rhs, parts, part, LANES);
          int c1 = Parallel.split(rhs, parts, part + 1, LANES);
          if (c0 < c1) {
            forward(x, rhs, c0, c1);
            if (both) {
              backward(x, rhs, c0, c1);
            }
          }
        });
    return out;
  }

  /**
   * Solves {@code L y = b} for one right-hand side (forward substitution only), so that {@code bᵀ
   * A⁻¹ b = ||y||²}.
   *
   * @param b modified: overwritten with y
   * @throws IllegalStateException if the matrix was not positive definite
   * @throws IllegalArgumentException if the length is not {@link #size()}
   */
  public void forwardInPlace(double[] b) {
    if (failedAt >= 0) {
      throw new IllegalStateException(
          "the matrix is not positive definite (column " + failedAt + ")");
    }
    if (b.length != n) {
      throw new IllegalArgumentException("vector of " + b.length + " entries is not " + n);
    }
    for (int i = 0; i < n; i++) {
      b[i] = (b[i] - Vectors.dot(l, i * n, b, 0, i)) / l[i * n + i];
    }
  }

  /** L y = b on columns [c0, c1), in row groups of 8 so each earlier row is read once a group. */
  private void forward(double[] x, int rhs, int c0, int c1) {
    int w = c1 - c0;
    double[] acc = new double[8 * w];
    for (int j0 = 0; j0 < n; j0 += 8) {
      int g = Math.min(8, n - j0);
      for (int r = 0; r < g; r++) {
        System.arraycopy(x, (j0 + r) * rhs + c0, acc, r * w, w);
      }
      for (int mm = 0; mm < j0; mm++) {
        int src = mm * rhs + c0;
        for (int r = 0; r < g; r++) {
          double lv = l[(j0 + r) * n + mm];
          if (lv != 0) {
            Vectors.axpy(-lv, x, src, acc, r * w, w);
          }
        }
      }
      for (int r = 0; r < g; r++) {
        int j = j0 + r;
        for (int q = 0; q < r; q++) {
          double lv = l[j * n + j0 + q];
          if (lv != 0) {
            Vectors.axpy(-lv, acc, q * w, acc, r * w, w);
          }
        }
        double inv = 1.0 / l[j * n + j];
        for (int c = 0; c < w; c++) {
          acc[r * w + c] *= inv;
        }
        System.arraycopy(acc, r * w, x, j * rhs + c0, w);
      }
    }
  }

  /** Lᵀ x = y on columns [c0, c1), from the last row group up. */
  private void backward(double[] x, int rhs, int c0, int c1) {
    int w = c1 - c0;
    double[] acc = new double[8 * w];
    int top = (n - 1) / 8 * 8;
    for (int j0 = top; j0 >= 0; j0 -= 8) {
      int g = Math.min(8, n - j0);
      for (int r = 0; r < g; r++) {
        System.arraycopy(x, (j0 + r) * rhs + c0, acc, r * w, w);
      }
      for (int mm = j0 + g; mm < n; mm++) {
        int src = mm * rhs + c0;
        int lrow = mm * n + j0;
        for (int r = 0; r < g; r++) {
          double lv = l[lrow + r];
          if (lv != 0) {
            Vectors.axpy(-lv, x, src, acc, r * w, w);
          }
        }
      }
      for (int r = g - 1; r >= 0; r--) {
        int j = j0 + r;
        for (int q = r + 1; q < g; q++) {
          double lv = l[(j0 + q) * n + j];
          if (lv != 0) {
            Vectors.axpy(-lv, acc, q * w, acc, r * w, w);
          }
        }
        double inv = 1.0 / l[j * n + j];
        for (int c = 0; c < w; c++) {
          acc[r * w + c] *= inv;
        }
        System.arraycopy(acc, r * w, x, j * rhs + c0, w);
      }
    }
  }
}
