package org.poisonlab.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

class GradientCheckTest {
  private static final double TOLERANCE = 1e-5;
  private static final double L2 = 0.1;

  /**
   * A model of the given shape trained briefly, then moved to random parameters off the optimum.
   */
  private static DifferentiableClassifier model(Dataset d, String kind, int[] hidden, long seed) {
    String opt = kind.equals("logreg") ? "lbfgs" : "adam";
    TrainConfig c = new TrainConfig(kind, opt, hidden, 1, 8, 0.01, L2, 3, 64, 1);
    DifferentiableClassifier m = Trainers.train(d, c, seed, null, null);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] p = new double[m.parameterCount()];
    for (int i = 0; i < p.length; i++) {
      p[i] = rng.nextDouble(-0.8, 0.8);
    }
    return m.withParameters(p);
  }

  private static void check(DifferentiableClassifier m, Dataset d) {
    List<Example> xs = d.examples();
    int[] y = m.labelIndices(xs);
    double objective = GradientCheck.objective(m, xs, y, null);
    assertTrue(objective <= TOLERANCE, m + ": objective gradient relative error " + objective);
    double single = GradientCheck.perExample(m, xs.get(1), (y[1] + 1) % m.labels().size(), null);
    assertTrue(single <= TOLERANCE, m + ": per-example gradient relative error " + single);
  }

  @Test
  void logisticRegressionOnPixelsMatchesFiniteDifferences() {
    Dataset d = Fixtures.bars(24, 6, 3, 11);
    check(model(d, "logreg", new int[0], 1), d);
  }

  @Test
  void logisticRegressionOnHashedTextMatchesFiniteDifferences() {
    Dataset d = Fixtures.mails(16, 12);
    check(model(d, "logreg", new int[0], 2), d);
  }

  @Test
  void mlpWithOneHiddenLayerMatchesFiniteDifferences() {
    Dataset d = Fixtures.bars(20, 6, 3, 13);
    check(model(d, "mlp", new int[] {5}, 3), d);
  }

  @Test
  void mlpWithTwoHiddenLayersMatchesFiniteDifferences() {
    Dataset d = Fixtures.bars(20, 6, 3, 14);
    check(model(d, "mlp", new int[] {6, 4}, 4), d);
  }

  @Test
  void mlpOnHashedTextMatchesFiniteDifferences() {
    Dataset d = Fixtures.mails(12, 15);
    check(model(d, "mlp", new int[] {3}, 5), d);
  }

  @Test
  void gradientLoopAgreesWithSingleGradients() {
    for (Dataset d : List.of(Fixtures.bars(9, 6, 3, 16), Fixtures.mails(7, 17))) {
      boolean text = d.kind() == Dataset.Kind.TEXT;
      DifferentiableClassifier m =
          model(d, text ? "logreg" : "mlp", text ? new int[0] : new int[] {4}, 6);
      List<Example> xs = d.examples();
      int[] y = m.labelIndices(xs);
      int[] seen = new int[1];
      m.forEachGradient(
          xs,
          y,
          (g, i) -> {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                m.gradient(xs.get(i), y[i], null), g, 0.0);
            seen[0]++;
          });
      org.junit.jupiter.api.Assertions.assertEquals(xs.size(), seen[0]);
    }
  }

  @Test
  void batchedLayerDeltasAreTheBiasGradientsAndTheHiddenActivations() {
    List<Dataset> sets =
        List.of(Fixtures.bars(9, 6, 3, 16), Fixtures.mails(7, 17), Fixtures.bars(11, 6, 3, 18));
    int[][] hidden = {{4}, {}, {6, 5}};
    for (int c = 0; c < sets.size(); c++) {
      Dataset d = sets.get(c);
      DifferentiableClassifier m =
          model(d, hidden[c].length == 0 ? "logreg" : "mlp", hidden[c], 6 + c);
      List<Example> xs = d.examples();
      int[] y = m.labelIndices(xs);
      int[] sizes = org.poisonlab.model.Models.layered(m, "test").layerSizes();
      int depth = sizes.length - 1;
      double[][] parts =
          org.poisonlab.model.Models.layered(m, "test")
              .layerDeltas(m.featurizer().transform(xs), y);
      org.junit.jupiter.api.Assertions.assertEquals(2 * depth - 1, parts.length);
      double[] hiddenActs = depth > 1 ? m.penultimate(xs) : null;
      for (int i = 0; i < xs.size(); i++) {
        double[] g = m.gradient(xs.get(i), y[i], null);
        int o = 0;
        for (int l = 0; l < depth; l++) {
          o += sizes[l] * sizes[l + 1];
          int w = sizes[l + 1];
          for (int u = 0; u < w; u++) {
            org.junit.jupiter.api.Assertions.assertEquals(
                g[o + u], parts[l][i * w + u], 1e-12, "set " + c + " layer " + l + " row " + i);
          }
          o += w;
        }
        if (depth > 1) {
          // the last hidden layer's activations are the penultimate representation
          int w = sizes[depth - 1];
          for (int u = 0; u < w; u++) {
            org.junit.jupiter.api.Assertions.assertEquals(
                hiddenActs[i * w + u], parts[2 * depth - 2][i * w + u], 1e-12);
          }
        }
      }
    }
  }

  @Test
  void checkDetectsAWrongGradient() {
    double[] x = {0.3, -1.2};
    double[] wrong = {2 * 0.3, 2 * -1.2 + 1e-3};
    double err =
        GradientCheck.maxRelativeError(
            v -> v[0] * v[0] + v[1] * v[1],
            x,
            wrong,
            null,
            GradientCheck.STEP,
            GradientCheck.FLOOR);
    assertTrue(err > 1e-4, "relative error " + err);
  }
}
