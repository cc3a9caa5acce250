package org.poisonlab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectraTest {
  /** A = Σ λ_j q_j q_jᵀ for an orthonormal basis from Gram-Schmidt on seeded vectors. */
  private static double[][] basis(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] q = new double[d][d];
    for (int j = 0; j < d; j++) {
      for (int t = 0; t < d; t++) {
        q[j][t] = r.nextGaussian();
      }
      for (int p = 0; p < j; p++) {
        double dot = 0;
        for (int t = 0; t < d; t++) {
          dot += q[j][t] * q[p][t];
        }
        for (int t = 0; t < d; t++) {
          q[j][t] -= dot * q[p][t];
        }
      }
      double n = 0;
      for (int t = 0; t < d; t++) {
        n += q[j][t] * q[j][t];
      }
      for (int t = 0; t < d; t++) {
        q[j][t] /= Math.sqrt(n);
      }
    }
    return q;
  }

  private static double[] compose(double[][] q, double[] lambda) {
    int d = lambda.length;
    double[] a = new double[d * d];
    for (int j = 0; j < d; j++) {
      for (int x = 0; x < d; x++) {
        for (int y = 0; y < d; y++) {
          a[x * d + y] += lambda[j] * q[j][x] * q[j][y];
        }
      }
    }
    return a;
  }

  private static double absCos(double[] u, double[] v) {
    double dot = 0;
    double nu = 0;
    double nv = 0;
    for (int i = 0; i < u.length; i++) {
      dot += u[i] * v[i];
      nu += u[i] * u[i];
      nv += v[i] * v[i];
    }
    return Math.abs(dot) / Math.sqrt(nu * nv);
  }

  @Test
  void powerIterationFindsTheKnownTopEigenvector() {
    int d = 12;
    double[][] q = basis(d, 3);
    double[] lambda = {9, 6, 5, 4, 3, 2, 1, 1, 0.5, 0.5, 0.1, 0};
    Spectra.TopEigen top =
        Spectra.powerIteration(compose(q, lambda), d, new SplittableRandom(1), 1e-12, 5000);
    assertTrue(top.converged());
    assertTrue(top.iterations() > 1 && top.iterations() < 5000, "iterations " + top.iterations());
    assertEquals(1.0, absCos(top.vector(), q[0]), 1e-9);
    assertEquals(9.0, top.value(), 1e-9);
  }

  @Test
  void powerIterationReportsNonConvergenceAtTheCap() {
    int d = 6;
    double[][] q = basis(d, 5);
    double[] lambda = {1.0, 0.999, 0.5, 0.2, 0.1, 0.0};
    Spectra.TopEigen top =
        Spectra.powerIteration(compose(q, lambda), d, new SplittableRandom(2), 1e-14, 20);
    assertEquals(false, top.converged());
    assertEquals(20, top.iterations());
  }

  @Test
  void deflationAndJacobiRecoverTheWholeBasis() {
    int d = 8;
    double[][] q = basis(d, 7);
    double[] lambda = {8, 7, 6, 5, 4, 3, 2, 1};
    double[] a = compose(q, lambda);
    double[][] top = Spectra.topEigenvectors(a, d, 3, new SplittableRandom(4), 1e-12, 10_000);
    assertEquals(3, top.length);
    Spectra.EigenSystem es = Spectra.jacobi(a, d);
    for (int j = 0; j < d; j++) {
      assertEquals(lambda[j], es.values()[j], 1e-9);
      assertEquals(1.0, absCos(es.vector(j), q[j]), 1e-9);
      if (j < 3) {
        assertEquals(1.0, absCos(top[j], q[j]), 1e-6);
      }
    }
  }

  @Test
  void covarianceMatchesTheDefinition() {
    double[] rows = {1, 2, 3, 5, 6, 4, 0, 1};
    int n = 4;
    int d = 2;
    double[] mu = Spectra.mean(rows, n, d);
    assertArrayEquals(new double[] {2.5, 3.0}, mu, 1e-12);
    double[] c = Spectra.covariance(Spectra.centred(rows, n, d, mu), n, d);
    // x: -1.5, 0.5, 3.5, -2.5 ; y: -1, 2, 1, -2
    assertArrayEquals(
        new double[] {21.0 / 3, 11.0 / 3, 11.0 / 3, 10.0 / 3}, c, 1e-12, "sample covariance");
  }

  @Test
  void jacobiDecomposesRandomSymmetricMatrices() {
    qt().withFixedSeed(31L)
        .withExamples(40)
        .forAll(integers().between(1, 20), longs().all())
        .checkAssert(
            (d, seed) -> {
              SplittableRandom r = new SplittableRandom(seed);
              double[] a = new double[d * d];
              for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                  a[i * d + j] = r.nextGaussian();
                  a[j * d + i] = a[i * d + j];
                }
              }
              Spectra.EigenSystem es = Spectra.jacobi(a, d);
              for (int j = 1; j < d; j++) {
                assertTrue(es.values()[j - 1] >= es.values()[j], "descending");
              }
              // A = V Λ Vᵀ and V is orthonormal
              for (int x = 0; x < d; x++) {
                for (int y = 0; y < d; y++) {
                  double rebuilt = 0;
                  double gram = 0;
                  for (int j = 0; j < d; j++) {
                    rebuilt += es.values()[j] * es.vectors()[j * d + x] * es.vectors()[j * d + y];
                    gram += es.vectors()[x * d + j] * es.vectors()[y * d + j];
                  }
                  assertEquals(a[x * d + y], rebuilt, 1e-9, "entry " + x + "," + y);
                  assertEquals(x == y ? 1.0 : 0.0, gram, 1e-9);
                }
              }
            });
  }
}
