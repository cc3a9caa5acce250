package org.poisonlab.attribution;

import org.poisonlab.linalg.Vectors;

/**
 * Cholesky factorisation {@code A = L Lᵀ} of a symmetric positive definite matrix (Golub and Van
 * Loan, <i>Matrix Computations</i>, 4th ed., Algorithm 4.2.1, row-oriented), and solves with it.
 */
final class Cholesky {
  private final int k;
  private final double[] l;

  private Cholesky(int k, double[] l) {
    this.k = k;
    this.l = l;
  }

  /**
   * Factors {@code a} (row-major k×k, only the lower triangle read); null when a pivot is not
   * positive (the matrix is not numerically positive definite).
   *
   * @param a not modified
   */
  static Cholesky of(double[] a, int k) {
    double[] l = new double[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i * k + j] - Vectors.dot(l, i * k, l, j * k, j);
        if (i == j) {
          if (!(s > 0)) {
            return null;
          }
          l[i * k + i] = Math.sqrt(s);
        } else {
          l[i * k + j] = s / l[j * k + j];
        }
      }
    }
    return new Cholesky(k, l);
  }

  /** Solves {@code L y = b} in place. */
  void forwardInPlace(double[] b) {
    for (int i = 0; i < k; i++) {
      b[i] = (b[i] - Vectors.dot(l, i * k, b, 0, i)) / l[i * k + i];
    }
  }

  /** Solves {@code A x = b} in place. */
  void solveInPlace(double[] b) {
    forwardInPlace(b);
    for (int i = k - 1; i >= 0; i--) {
      double s = b[i];
      for (int j = i + 1; j < k; j++) {
        s -= l[j * k + i] * b[j];
      }
      b[i] = s / l[i * k + i];
    }
  }
}
