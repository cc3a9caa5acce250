package org.poisonlab.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

class InputGradientTest {
  private static final double TOLERANCE = 1e-5;

  private static DifferentiableClassifier model(Dataset d, String kind, int[] hidden, long seed) {
    String opt = kind.equals("logreg") ? "lbfgs" : "adam";
    TrainConfig c = new TrainConfig(kind, opt, hidden, 2, 8, 0.01, 0.0, 5, 64, 1);
    return Trainers.train(d, c, seed, null, null);
  }

  private static double[] randomInputs(int rows, int dim, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[rows * dim];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble();
    }
    return x;
  }

  /** Loss of one row as a function of its inputs, through the probabilities buffer. */
  private static double loss(DifferentiableClassifier m, double[] row, int label) {
    double[] p = new double[m.labels().size()];
    m.inputGradients(row, new int[] {label}, p, null);
    return -Math.log(p[label]);
  }

  private static void checkAgainstFiniteDifferences(DifferentiableClassifier m, long seed) {
    int dim = org.poisonlab.model.Models.layered(m, "test").layerSizes()[0];
    int rows = 4;
    double[] x = randomInputs(rows, dim, seed);
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = i % m.labels().size();
    }
    double[] g = m.inputGradients(x, y, null, null);
    for (int i = 0; i < rows; i++) {
      double[] row = java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim);
      double[] gi = java.util.Arrays.copyOfRange(g, i * dim, (i + 1) * dim);
      int label = y[i];
      double err =
          GradientCheck.maxRelativeError(
              r -> loss(m, r, label), row, gi, null, GradientCheck.STEP, GradientCheck.FLOOR);
      assertTrue(err <= TOLERANCE, m + " row " + i + ": input gradient relative error " + err);
    }
  }

  @Test
  void logisticRegressionInputGradientMatchesFiniteDifferences() {
    Dataset d = Fixtures.bars(30, 6, 3, 21);
    checkAgainstFiniteDifferences(model(d, "logreg", new int[0], 1), 31);
  }

  @Test
  void mlpInputGradientMatchesFiniteDifferences() {
    Dataset d = Fixtures.bars(30, 6, 3, 22);
    checkAgainstFiniteDifferences(model(d, "mlp", new int[] {7}, 2), 32);
  }

  @Test
  void twoHiddenLayerInputGradientMatchesFiniteDifferences() {
    Dataset d = Fixtures.bars(30, 6, 3, 23);
    checkAgainstFiniteDifferences(model(d, "mlp", new int[] {8, 5}, 3), 33);
  }

  @Test
  void batchedGradientsOverManyChunksEqualRowByRowGradients() {
    Dataset d = Fixtures.bars(30, 6, 3, 24);
    DifferentiableClassifier m = model(d, "mlp", new int[] {16}, 4);
    int dim = 36;
    int rows = 4096 + 37; // crosses a chunk boundary
    double[] x = randomInputs(rows, dim, 34);
    int[] y = new int[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = (i * 7) % 3;
    }
    double[] p = new double[rows * 3];
    double[] g = m.inputGradients(x, y, p, null);
    for (int i : new int[] {0, 1, 4095, 4096, rows - 1}) {
      double[] row = java.util.Arrays.copyOfRange(x, i * dim, (i + 1) * dim);
      double[] pi = new double[3];
      double[] gi = m.inputGradients(row, new int[] {y[i]}, pi, null);
      assertArrayEquals(gi, java.util.Arrays.copyOfRange(g, i * dim, (i + 1) * dim), 1e-12);
      assertArrayEquals(pi, java.util.Arrays.copyOfRange(p, i * 3, i * 3 + 3), 1e-12);
    }
  }

  @Test
  void probabilitiesOfPixelInputsEqualPredictProba() {
    Dataset d = Fixtures.bars(12, 6, 3, 25);
    DifferentiableClassifier m = model(d, "mlp", new int[] {6}, 5);
    List<Example> xs = d.examples();
    double[] x = new double[xs.size() * 36];
    for (int i = 0; i < xs.size(); i++) {
      for (int j = 0; j < 36; j++) {
        x[i * 36 + j] = xs.get(i).pixel(j) / 255.0;
      }
    }
    double[] p = new double[xs.size() * 3];
    m.inputGradients(x, m.labelIndices(xs), p, null);
    assertArrayEquals(m.predictProba(xs), p, 1e-12);
  }

  @Test
  void mismatchedLengthsAreRejected() {
    Dataset d = Fixtures.bars(12, 6, 3, 26);
    DifferentiableClassifier m = model(d, "logreg", new int[0], 6);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> m.inputGradients(new double[35], new int[] {0}, null, null));
    assertTrue(e.getMessage().contains("36"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> m.inputGradients(new double[72], new int[] {0}, null, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> m.inputGradients(new double[36], new int[] {3}, null, null));
    assertEquals(0, m.inputGradients(new double[0], new int[0], null, null).length);
  }
}
