package org.poisonlab.linalg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Means, covariances and eigenvectors of small dense symmetric matrices, for the representation
 * detectors. Matrices are row-major {@code double[]}; rows of a data block are examples.
 *
 * <p>Power iteration: {@code v ← A v / ||A v||} from a seeded random start until {@code ||v_{t+1} −
 * v_t|| < tol}; the rate is {@code λ₂/λ₁}. Deflation ({@code A ← A − λ v vᵀ}) gives the next ones.
 * The full decomposition uses the cyclic Jacobi method (Golub &amp; Van Loan, Matrix Computations,
 * §8.5): rotations {@code J(p,q,θ)} with {@code tan 2θ = 2a_pq / (a_qq − a_pp)} until the
 * off-diagonal mass is negligible.
 */
public final class Spectra {
  private Spectra() {}

  /** The dominant eigenpair of a symmetric matrix, and how power iteration reached it. */
  public record TopEigen(double[] vector, double value, int iterations, boolean converged) {}

  /** Every eigenpair, eigenvalues descending; row {@code j} of {@code vectors} is eigenvector j. */
  public record EigenSystem(double[] values, double[] vectors, int dim) {
    double[] vector(int j) {
      return Arrays.copyOfRange(vectors, j * dim, (j + 1) * dim);
    }
  }

  /** Column means of {@code rows} ({@code n × d}, not modified). */
  public static double[] mean(double[] rows, int n, int d) {
    double[] mu = new double[d];
    for (int i = 0; i < n; i++) {
      Vectors.axpy(1.0, rows, i * d, mu, 0, d);
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= Math.max(1, n);
    }
    return mu;
  }

  /**
   * A copy of {@code rows} ({@code n × d}, not modified) with {@code mu} subtracted from each row.
   */
  public static double[] centred(double[] rows, int n, int d, double[] mu) {
    double[] z = rows.clone();
    for (int i = 0; i < n; i++) {
      Vectors.axpy(-1.0, mu, 0, z, i * d, d);
    }
    return z;
  }

  /**
   * The sample covariance {@code ZᵀZ / max(1, n − 1)} of centred rows {@code z} ({@code n × d}, not
   * modified); a new {@code d × d} array.
   */
  public static double[] covariance(double[] z, int n, int d) {
    double[] c = new double[d * d];
    if (n == 0) {
      return c;
    }
    Matrices.multiplyTransA(z, 0, z, 0, d, n, d, c, 0, 0);
    double s = 1.0 / Math.max(1, n - 1);
    for (int i = 0; i < c.length; i++) {
      c[i] *= s;
    }
    return c;
  }

  /**
   * The dominant eigenpair of the symmetric positive semi-definite {@code a} ({@code d × d}, not
   * modified) by power iteration from a random unit start drawn from {@code random}.
   *
   * @return {@code converged} is false when {@code maxIterations} passed first; the vector is then
   *     the last iterate. A zero matrix gives the start vector with value 0, converged.
   */
  public static TopEigen powerIteration(
      double[] a, int d, SplittableRandom random, double tol, int maxIterations) {
    double[] v = new double[d];
    for (int j = 0; j < d; j++) {
      v[j] = random.nextDouble() - 0.5;
    }
    normalise(v);
    double[] w = new double[d];
    for (int it = 1; it <= maxIterations; it++) {
      multiply(a, d, v, w);
      double norm = Math.sqrt(Vectors.dot(w, w));
      if (norm == 0) {
        return new TopEigen(v, 0, it, true);
      }
      double diff = 0;
      for (int j = 0; j < d; j++) {
        double x = w[j] / norm;
        diff += (x - v[j]) * (x - v[j]);
        v[j] = x;
      }
      if (Math.sqrt(diff) < tol) {
        return new TopEigen(v, rayleigh(a, d, v, w), it, true);
      }
    }
    return new TopEigen(v, rayleigh(a, d, v, w), maxIterations, false);
  }

  /**
   * The top {@code k} eigenvectors of the symmetric PSD {@code a} (not modified) by power iteration
   * with deflation; fewer when the rest of the spectrum is zero. Row {@code j} of the result is
   * eigenvector {@code j}.
   */
  public static double[][] topEigenvectors(
      double[] a, int d, int k, SplittableRandom random, double tol, int maxIterations) {
    double[] m = a.clone();
    double[][] out = new double[Math.min(k, d)][];
    int found = 0;
    double first = 0;
    for (; found < out.length; found++) {
      TopEigen e = powerIteration(m, d, random.split(), tol, maxIterations);
      if (found == 0) {
        first = e.value();
      }
      if (e.value() <= 1e-12 * Math.max(first, Double.MIN_NORMAL)) {
        break;
      }
      out[found] = e.vector();
      for (int p = 0; p < d; p++) {
        double vp = e.value() * e.vector()[p];
        Vectors.axpy(-vp, e.vector(), 0, m, p * d, d);
      }
    }
    return Arrays.copyOf(out, found);
  }

  /**
   * The full eigen-decomposition of the symmetric {@code a} ({@code d × d}, not modified) by cyclic
   * Jacobi rotations; eigenvalues sorted descending.
   */
  public static EigenSystem jacobi(double[] a, int d) {
    double[] m = a.clone();
    double[] v = new double[d * d];
    for (int i = 0; i < d; i++) {
      v[i * d + i] = 1;
    }
    double total = 0;
    for (double x : m) {
      total += x * x;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          off += m[p * d + q] * m[p * d + q];
        }
      }
      if (off <= 1e-24 * Math.max(total, Double.MIN_NORMAL)) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          double apq = m[p * d + q];
          if (apq == 0) {
            continue;
          }
          double theta = (m[q * d + q] - m[p * d + p]) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          rotate(m, v, d, p, q, c, s);
        }
      }
    }
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    double[] diag = new double[d];
    for (int i = 0; i < d; i++) {
      diag[i] = m[i * d + i];
    }
    Arrays.sort(order, (x, y) -> Double.compare(diag[y], diag[x]));
    double[] values = new double[d];
    double[] vectors = new double[d * d];
    for (int j = 0; j < d; j++) {
      int col = order[j];
      values[j] = diag[col];
      for (int i = 0; i < d; i++) {
        vectors[j * d + i] = v[i * d + col];
      }
    }
    return new EigenSystem(values, vectors, d);
  }

  // m ← Jᵀ m J, v ← v J for the rotation in the (p, q) plane.
  private static void rotate(double[] m, double[] v, int d, int p, int q, double c, double s) {
    for (int k = 0; k < d; k++) {
      double mkp = m[k * d + p];
      double mkq = m[k * d + q];
      m[k * d + p] = c * mkp - s * mkq;
      m[k * d + q] = s * mkp + c * mkq;
    }
    for (int k = 0; k < d; k++) {
      double mpk = m[p * d + k];
      double mqk = m[q * d + k];
      m[p * d + k] = c * mpk - s * mqk;
      m[q * d + k] = s * mpk + c * mqk;
    }
    for (int k = 0; k < d; k++) {
      double vkp = v[k * d + p];
      double vkq = v[k * d + q];
      v[k * d + p] = c * vkp - s * vkq;
      v[k * d + q] = s * vkp + c * vkq;
    }
  }

  /** Projects each row of {@code z} ({@code n × d}, not modified) on the rows of {@code basis}. */
  public static double[] project(double[] z, int n, int d, double[][] basis) {
    int k = basis.length;
    double[] out = new double[n * k];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < k; j++) {
        out[i * k + j] = Vectors.dot(z, i * d, basis[j], 0, d);
      }
    }
    return out;
  }

  /** The median of {@code xs} (not modified); 0 for an empty array. */
  public static double median(double[] xs) {
    if (xs.length == 0) {
      return 0;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int h = s.length / 2;
    return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
  }

  private static void multiply(double[] a, int d, double[] v, double[] out) {
    for (int i = 0; i < d; i++) {
      out[i] = Vectors.dot(a, i * d, v, 0, d);
    }
  }

  private static double rayleigh(double[] a, int d, double[] v, double[] buf) {
    multiply(a, d, v, buf);
    return Vectors.dot(v, buf);
  }

  private static void normalise(double[] v) {
    double n = Math.sqrt(Vectors.dot(v, v));
    if (n == 0) {
      v[0] = 1;
      return;
    }
    for (int j = 0; j < v.length; j++) {
      v[j] /= n;
    }
  }
}
