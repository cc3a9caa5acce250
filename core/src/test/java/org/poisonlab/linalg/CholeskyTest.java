package org.poisonlab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CholeskyTest {
  /** B Bᵀ / cols + shift·I, symmetric positive definite for shift > 0. */
  private static double[] spd(int n, double shift, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int cols = n + 3;
    double[] b = new double[n * cols];
    for (int i = 0; i < b.length; i++) {
      b[i] = rng.nextGaussian();
    }
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int t = 0; t < cols; t++) {
          s += b[i * cols + t] * b[j * cols + t];
        }
        a[i * n + j] = s / cols + (i == j ? shift : 0);
      }
    }
    return a;
  }

  @Test
  void solvesManyRightHandSidesOfBlockedSizes() {
    for (int n : new int[] {1, 7, 128, 300}) {
      double[] a = spd(n, 0.1, n);
      int rhs = 13;
      SplittableRandom rng = new SplittableRandom(5);
      double[] b = new double[n * rhs];
      for (int i = 0; i < b.length; i++) {
        b[i] = rng.nextGaussian();
      }
      Cholesky f = Cholesky.factorInPlace(a.clone(), n, 2);
      assertTrue(f.positiveDefinite());
      double[] x = f.solve(b, rhs, null);
      double worst = 0;
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < rhs; t++) {
          double s = 0;
          for (int j = 0; j < n; j++) {
            s += a[i * n + j] * x[j * rhs + t];
          }
          worst = Math.max(worst, Math.abs(s - b[i * rhs + t]));
        }
      }
      assertTrue(worst < 1e-9, "n " + n + ": residual " + worst);
    }
  }

  @Test
  void forwardSubstitutionGivesTheQuadraticFormOfTheInverse() {
    int n = 37;
    double[] a = spd(n, 0.3, 7);
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = Math.sin(i + 1.0);
    }
    Cholesky c = Cholesky.factorInPlace(a.clone(), n, 1);
    double[] x = c.solve(b, 1, null);
    double expected = Vectors.dot(b, x);
    double[] y = b.clone();
    c.forwardInPlace(y);
    assertEquals(expected, Vectors.dot(y, y), 1e-10 * Math.abs(expected));
  }

  @Test
  void forwardSolveOfManyColumnsMatchesForwardSubstitutionOfEach() {
    int n = 150;
    int rhs = 11;
    Cholesky c = Cholesky.factorInPlace(spd(n, 0.3, 9), n, 2);
    SplittableRandom rng = new SplittableRandom(4);
    double[] b = new double[n * rhs];
    for (int i = 0; i < b.length; i++) {
      b[i] = rng.nextGaussian();
    }
    double[] y = c.forwardSolve(b, rhs, null);
    for (int t = 0; t < rhs; t++) {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = b[i * rhs + t];
      }
      c.forwardInPlace(col);
      for (int i = 0; i < n; i++) {
        assertEquals(col[i], y[i * rhs + t], 1e-10 * (1 + Math.abs(col[i])), t + "," + i);
      }
    }
  }

  @Test
  void factorDoesNotDependOnThreads() {
    int n = 260;
    double[] one = spd(n, 0.5, 3);
    double[] two = one.clone();
    Cholesky.factorInPlace(one, n, 1);
    Cholesky.factorInPlace(two, n, 2);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        assertEquals(one[i * n + j], two[i * n + j], 0.0, i + "," + j);
      }
    }
  }

  @Test
  void indefiniteMatrixIsReportedNotThrown() {
    int n = 200;
    double[] a = spd(n, 0.0, 4);
    a[150 * n + 150] = -5;
    Cholesky f = Cholesky.factorInPlace(a, n, 2);
    assertFalse(f.positiveDefinite());
    assertTrue(f.failedColumn() >= 0 && f.failedColumn() <= 150, "column " + f.failedColumn());
    assertThrows(IllegalStateException.class, () -> f.solve(new double[n], 1, null));
  }

  @Test
  void softmaxHessianEqualsTheSumOfKroneckerProducts() {
    int n = 150;
    int d = 37;
    int k = 4;
    SplittableRandom rng = new SplittableRandom(9);
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextInt(3) == 0 ? 0 : rng.nextDouble();
    }
    double[] p = new double[n * k];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int c = 0; c < k; c++) {
        p[i * k + c] = Math.exp(2 * rng.nextGaussian());
        s += p[i * k + c];
      }
      for (int c = 0; c < k; c++) {
        p[i * k + c] /= s;
      }
    }
    double[] h = SoftmaxHessians.build(x, n, d, p, k, 2);
    int kd = k * d;
    double worst = 0;
    for (int c = 0; c < k; c++) {
      for (int c2 = 0; c2 < k; c2++) {
        for (int j = 0; j < d; j++) {
          for (int l = 0; l < d; l++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              double a = p[i * k + c] * ((c == c2 ? 1 : 0) - p[i * k + c2]);
              s += a * x[i * d + j] * x[i * d + l];
            }
            worst = Math.max(worst, Math.abs(s / n - h[(c * d + j) * kd + c2 * d + l]));
          }
        }
      }
    }
    assertTrue(worst < 1e-14, "largest difference " + worst);
  }
}
