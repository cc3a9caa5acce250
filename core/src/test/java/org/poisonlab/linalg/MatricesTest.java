package org.poisonlab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatricesTest {
  private static double[] random(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextDouble(-1, 1);
    }
    return a;
  }

  /** Reference products by the textbook triple loop. */
  private static double naive(
      double[] a, int ars, int acs, double[] b, int brs, int bcs, int i, int j, int k) {
    double s = 0;
    for (int r = 0; r < k; r++) {
      s += a[i * ars + r * acs] * b[r * brs + j * bcs];
    }
    return s;
  }

  @Test
  void denseProductsMatchTheTextbookLoopAndDoNotDependOnThreads() {
    qt().withFixedSeed(20240601L)
        .withExamples(60)
        .forAll(integers().between(1, 23), integers().between(1, 41), integers().between(1, 70))
        .checkAssert(
            (m, n, k) -> {
              double[] a = random(m * k, m * 1000 + k);
              double[] b = random(n * k, n * 1000 + k + 1);
              double[] c1 = Matrices.multiplyTransB(a, 0, b, 0, m, n, k, null, 0, 1);
              double[] c2 = Matrices.multiplyTransB(a, 0, b, 0, m, n, k, null, 0, 2);
              assertArrayEquals(c1, c2, 0.0);
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  assertEquals(naive(a, k, 1, b, 1, k, i, j, k), c1[i * n + j], 1e-12);
                  // every entry equals the plain dot product of its rows, bit for bit
                  assertEquals(Vectors.dot(a, i * k, b, j * k, k), c1[i * n + j], 0.0);
                }
              }
              double[] bt = random(k * n, n + 7L * k);
              double[] d1 = Matrices.multiply(a, 0, bt, 0, m, k, n, null, 0, 1);
              double[] d2 = Matrices.multiply(a, 0, bt, 0, m, k, n, null, 0, 2);
              assertArrayEquals(d1, d2, 0.0);
              double[] at = random(k * m, m + 13L * k);
              double[] e1 = Matrices.multiplyTransA(at, 0, bt, 0, m, k, n, null, 0, 1);
              double[] e2 = Matrices.multiplyTransA(at, 0, bt, 0, m, k, n, null, 0, 2);
              assertArrayEquals(e1, e2, 0.0);
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                  assertEquals(naive(a, k, 1, bt, n, 1, i, j, k), d1[i * n + j], 1e-12);
                  assertEquals(naive(at, 1, m, bt, n, 1, i, j, k), e1[i * n + j], 1e-12);
                }
              }
            });
  }

  @Test
  void vectorKernelsAndTheirScalarTwinsGiveIdenticalBits() {
    qt().withFixedSeed(99L)
        .withExamples(80)
        .forAll(integers().between(1, 13), integers().between(1, 45), integers().between(1, 90))
        .checkAssert(
            (m, n, k) -> {
              double[] a = random(m * k, m * 31L + k);
              double[] b = random(n * k, n * 17L + k);
              double[] cv = new double[m * n];
              double[] cs = new double[m * n];
              Matrices.dotForm(true, a, 0, b, 0, cv, 0, n, k, 0, m, 0, n);
              Matrices.dotForm(false, a, 0, b, 0, cs, 0, n, k, 0, m, 0, n);
              assertArrayEquals(cs, cv, 0.0);
              double[] bt = random(k * n, n * 5L + k);
              Matrices.axpyBlock(true, a, 0, k, 1, bt, 0, cv, 0, k, n, 0, m, 0, n);
              Matrices.axpyBlock(false, a, 0, k, 1, bt, 0, cs, 0, k, n, 0, m, 0, n);
              assertArrayEquals(cs, cv, 0.0);
              assertEquals(Vectors.dotTwin(a, 0, b, 0, k), Vectors.dotVector(a, 0, b, 0, k), 0.0);
              double[] yv = b.clone();
              double[] ys = b.clone();
              Vectors.axpyVector(0.3, a, 0, yv, 0, Math.min(a.length, b.length));
              Vectors.axpyTwin(0.3, a, 0, ys, 0, Math.min(a.length, b.length));
              assertArrayEquals(ys, yv, 0.0);
            });
  }

  @Test
  void largeProductsSplitOverThreadsGiveIdenticalBits() {
    int m = 130;
    int n = 67;
    int k = 300;
    double[] a = random(m * k, 1);
    double[] b = random(n * k, 2);
    assertArrayEquals(
        Matrices.multiplyTransB(a, 0, b, 0, m, n, k, null, 0, 1),
        Matrices.multiplyTransB(a, 0, b, 0, m, n, k, null, 0, 2),
        0.0);
    double[] bt = random(k * n, 3);
    assertArrayEquals(
        Matrices.multiply(a, 0, bt, 0, m, k, n, null, 0, 1),
        Matrices.multiply(a, 0, bt, 0, m, k, n, null, 0, 2),
        0.0);
  }

  @Test
  void offsetsAddressSubmatricesAndLeaveTheRestAlone() {
    double[] a = random(2 + 3 * 5, 4);
    double[] b = random(1 + 2 * 5, 5);
    double[] c = new double[3 + 3 * 2 + 2];
    java.util.Arrays.fill(c, 9.0);
    Matrices.multiplyTransB(a, 2, b, 1, 3, 2, 5, c, 3, 1);
    assertEquals(9.0, c[2]);
    assertEquals(9.0, c[c.length - 1]);
    assertEquals(Vectors.dot(a, 2 + 5, b, 1 + 5, 5), c[3 + 1 * 2 + 1], 0.0);
  }

  private static CsrMatrix sparse(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] ptr = new int[rows + 1];
    java.util.List<Integer> col = new java.util.ArrayList<>();
    java.util.List<Double> val = new java.util.ArrayList<>();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        if (rng.nextInt(4) == 0) {
          col.add(j);
          val.add(rng.nextDouble(-1, 1));
        }
      }
      ptr[i + 1] = col.size();
    }
    return new CsrMatrix(
        rows,
        cols,
        ptr,
        col.stream().mapToInt(Integer::intValue).toArray(),
        val.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Test
  void sparseProductsMatchDenseOnes() {
    int m = 37;
    int k = 50;
    int n = 6;
    CsrMatrix s = sparse(m, k, 6);
    double[] dense = new double[m * k];
    for (int i = 0; i < m; i++) {
      System.arraycopy(s.denseRow(i), 0, dense, i * k, k);
    }
    double[] b = random(n * k, 7);
    double[] c1 = Matrices.multiplyTransB(s, b, 0, n, null, 0, 1);
    assertArrayEquals(c1, Matrices.multiplyTransB(s, b, 0, n, null, 0, 2), 0.0);
    double[] ref = Matrices.multiplyTransB(dense, 0, b, 0, m, n, k, null, 0, 1);
    assertArrayEquals(ref, c1, 1e-12);

    double[] a = random(m * n, 8);
    double[] g1 = Matrices.multiplyTransA(a, 0, n, s, null, 0, 1);
    assertArrayEquals(g1, Matrices.multiplyTransA(a, 0, n, s, null, 0, 2), 0.0);
    double[] gref = Matrices.multiplyTransA(a, 0, dense, 0, n, m, k, null, 0, 1);
    assertArrayEquals(gref, g1, 1e-12);
  }

  @Test
  void theTransposeHoldsEveryEntryAndItsProductEqualsTheScatterBitForBit() {
    qt().withFixedSeed(31L)
        .withExamples(40)
        .forAll(integers().between(1, 60), integers().between(1, 80))
        .checkAssert(
            (m, k) -> {
              CsrMatrix s = sparse(m, k, m * 1000L + k);
              CsrMatrix t = s.transpose();
              assertEquals(k, t.rows());
              assertEquals(m, t.cols());
              assertEquals(s.nonZeros(), t.nonZeros());
              for (int j = 0; j < k; j++) {
                double[] column = t.denseRow(j);
                for (int i = 0; i < m; i++) {
                  assertEquals(s.denseRow(i)[j], column[i], 0.0, i + "," + j);
                }
                for (int q = t.rowPtr()[j] + 1; q < t.rowPtr()[j + 1]; q++) {
                  assertTrue(t.colIndex()[q - 1] < t.colIndex()[q]);
                }
              }
              double[] r = random(m, m + k);
              double[] scatter = Matrices.multiplyTransA(r, 0, 1, s, null, 0, 1);
              assertArrayEquals(scatter, Matrices.multiplyTransB(t, r, 0, 1, null, 0, 1), 0.0);
              assertArrayEquals(scatter, Matrices.multiplyTransB(t, r, 0, 1, null, 0, 2), 0.0);
            });
  }

  @Test
  void gatherCopiesTheChosenRows() {
    CsrMatrix s = sparse(10, 8, 9);
    int[] idx = {7, 2, 2, 9};
    CsrMatrix g = s.gather(idx, 1, 4);
    assertEquals(3, g.rows());
    assertArrayEquals(s.denseRow(2), g.denseRow(0), 0.0);
    assertArrayEquals(s.denseRow(9), g.denseRow(2), 0.0);
    DenseMatrix d = new DenseMatrix(3, 2, new double[] {1, 2, 3, 4, 5, 6});
    assertArrayEquals(new double[] {5, 6, 1, 2}, d.gather(new int[] {2, 0}, 0, 2).values(), 0.0);
  }

  @Test
  void vectorDotAndAxpyAgreeWithScalarLoops() {
    for (int n : new int[] {0, 1, 7, 8, 9, 31, 784, 1001}) {
      double[] x = random(n, n);
      double[] y = random(n, n + 1);
      assertEquals(Vectors.dotScalar(x, y), Vectors.dot(x, y), 1e-12);
      double[] z = y.clone();
      Vectors.axpy(0.5, x, z);
      for (int i = 0; i < n; i++) {
        assertEquals(y[i] + 0.5 * x[i], z[i], 1e-15);
      }
    }
  }

  @Test
  void sparseGramEqualsTheDenseProductOfTheRowsAndDoesNotDependOnThreads() {
    qt().withFixedSeed(7L)
        .withExamples(30)
        .forAll(integers().between(1, 40), integers().between(1, 60))
        .checkAssert(
            (m, cols) -> {
              SplittableRandom rng = new SplittableRandom(m * 100L + cols);
              double[] dense = new double[m * cols];
              int[] ptr = new int[m + 1];
              java.util.List<Integer> ci = new java.util.ArrayList<>();
              java.util.List<Double> cv = new java.util.ArrayList<>();
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < cols; j++) {
                  if (rng.nextInt(4) == 0) {
                    double v = rng.nextDouble(-1, 1);
                    dense[i * cols + j] = v;
                    ci.add(j);
                    cv.add(v);
                  }
                }
                ptr[i + 1] = ci.size();
              }
              CsrMatrix s =
                  new CsrMatrix(
                      m,
                      cols,
                      ptr,
                      ci.stream().mapToInt(Integer::intValue).toArray(),
                      cv.stream().mapToDouble(Double::doubleValue).toArray());
              double[] one = Matrices.gram(s, 1);
              assertArrayEquals(one, Matrices.gram(s, 0));
              for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                  double want = naive(dense, cols, 1, dense, 1, cols, i, j, cols);
                  assertEquals(want, one[i * m + j], 1e-12, i + "," + j);
                }
              }
            });
  }
}
