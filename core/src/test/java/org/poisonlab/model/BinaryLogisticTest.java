package org.poisonlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;

class BinaryLogisticTest {
  private static final int ROWS = 40;
  private static final int COLS = 12;

  /** A sparse and a dense copy of the same random inputs. */
  private static Matrix[] inputs(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] dense = new double[ROWS * COLS];
    int[] ptr = new int[ROWS + 1];
    java.util.List<Integer> cols = new java.util.ArrayList<>();
    java.util.List<Double> vals = new java.util.ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      for (int j = 0; j < COLS; j++) {
        if (rng.nextInt(3) == 0) {
          double v = rng.nextDouble(-2, 2);
          dense[i * COLS + j] = v;
          cols.add(j);
          vals.add(v);
        }
      }
      ptr[i + 1] = cols.size();
    }
    CsrMatrix sparse =
        new CsrMatrix(
            ROWS,
            COLS,
            ptr,
            cols.stream().mapToInt(Integer::intValue).toArray(),
            vals.stream().mapToDouble(Double::doubleValue).toArray());
    return new Matrix[] {sparse, new DenseMatrix(ROWS, COLS, dense)};
  }

  private static int[] labels(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] y = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      y[i] = rng.nextInt(2);
    }
    return y;
  }

  /**
   * On the antisymmetric line the two objectives agree, and the half gradient is twice class 1's.
   */
  @Test
  void equalsTheTwoClassSoftmaxObjectiveOnItsOptimalLine() {
    for (long seed = 1; seed <= 5; seed++) {
      double l2 = 0.03 * seed;
      int[] y = labels(seed);
      SplittableRandom rng = new SplittableRandom(seed * 31);
      double[] p = new double[COLS + 1];
      for (int j = 0; j < p.length; j++) {
        p[j] = rng.nextDouble(-1, 1);
      }
      for (Matrix x : inputs(seed)) {
        BinaryLogistic half = new BinaryLogistic(x, y, l2, 1);
        double[] g = new double[p.length];
        double f = half.evaluate(p, g);
        Layers layers = new Layers(new int[] {COLS, 2}, 1);
        double[] w = BinaryLogistic.expand(p, new double[layers.parameterCount]);
        double[] gw = new double[w.length];
        double fw = new FullBatch(layers, x, y, l2).evaluate(w, gw);
        assertEquals(fw, f, 1e-12 * Math.max(1, Math.abs(fw)));
        for (int j = 0; j < COLS; j++) {
          assertEquals(2 * gw[COLS + j], g[j], 1e-12, "weight " + j);
          assertEquals(-gw[j], gw[COLS + j], 1e-12, "antisymmetric gradient " + j);
        }
        assertEquals(2 * gw[2 * COLS + 1], g[COLS], 1e-12, "bias");
      }
    }
  }

  /** The gradient against central differences. */
  @Test
  void gradientMatchesFiniteDifferences() {
    int[] y = labels(9);
    Matrix x = inputs(9)[0];
    BinaryLogistic half = new BinaryLogistic(x, y, 0.05, 2);
    SplittableRandom rng = new SplittableRandom(4);
    double[] p = new double[COLS + 1];
    for (int j = 0; j < p.length; j++) {
      p[j] = rng.nextDouble(-1, 1);
    }
    double[] g = new double[p.length];
    half.evaluate(p, g);
    double h = 1e-6;
    for (int j = 0; j < p.length; j++) {
      double[] up = p.clone();
      double[] down = p.clone();
      up[j] += h;
      down[j] -= h;
      double numeric = (half.evaluate(up, null) - half.evaluate(down, null)) / (2 * h);
      assertEquals(numeric, g[j], 1e-7, "parameter " + j);
    }
  }

  /** Training two classes through the half objective reaches the softmax objective's optimum. */
  @Test
  void trainingReachesTheSoftmaxOptimum() {
    int[] y = labels(3);
    Matrix x = inputs(3)[0];
    double l2 = 0.01;
    BinaryLogistic half = new BinaryLogistic(x, y, l2, 1);
    double[] v = new double[COLS + 1];
    new Lbfgs(500, 1e-10, null).minimize(half::evaluate, v);
    Layers layers = new Layers(new int[] {COLS, 2}, 1);
    double[] w = new double[layers.parameterCount];
    FullBatch full = new FullBatch(layers, x, y, l2);
    new Lbfgs(500, 1e-10, null).minimize(full::evaluate, w);
    double[] fromHalf = BinaryLogistic.expand(v, new double[w.length]);
    // each run stops once the objective changes by less than 1e-12 relative, so the two agree to
    // about 1e-5; the softmax biases are defined up to a common shift, their difference is not
    for (int j = 0; j < 2 * COLS; j++) {
      assertEquals(w[j], fromHalf[j], 1e-5, "weight " + j);
    }
    assertEquals(w[2 * COLS + 1] - w[2 * COLS], fromHalf[2 * COLS + 1] - fromHalf[2 * COLS], 1e-5);
  }
}
