package org.poisonlab.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

class HessianVectorTest {
  private static double[] gaussian(int p, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] v = new double[p];
    for (int i = 0; i < p; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  private static DifferentiableClassifier trained(Dataset d, TrainConfig c) {
    return Trainers.train(d, c, 3, null, null);
  }

  private static void check(DifferentiableClassifier m, Dataset d, double limit) {
    int[] y = m.labelIndices(d.examples());
    for (long seed = 1; seed <= 3; seed++) {
      double[] v = gaussian(m.parameterCount(), seed);
      double err = GradientCheck.hessianVector(m, d.examples(), y, v, 1e-4);
      assertTrue(err <= limit, m + " seed " + seed + ": relative error " + err);
    }
  }

  @Test
  void denseLogisticRegressionProductMatchesDifferencesOfTheGradient() {
    Dataset d = Fixtures.bars(150, 8, 3, 1);
    check(
        trained(d, TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withMaxIterations(20)),
        d,
        1e-6);
  }

  @Test
  void sparseLogisticRegressionProductMatchesDifferencesOfTheGradient() {
    Dataset d = Fixtures.mails(80, 2);
    check(
        trained(d, TrainConfig.defaults("logreg", Dataset.Kind.TEXT).withMaxIterations(20)),
        d,
        1e-6);
  }

  @Test
  void mlpProductIsTheExactHessianNotGaussNewton() {
    Dataset d = Fixtures.bars(60, 6, 3, 4);
    for (int[] hidden : new int[][] {{7}, {6, 5}}) {
      TrainConfig c = new TrainConfig("mlp", "adam", hidden, 3, 16, 3e-2, 1e-3, 100, 1 << 10, 1);
      DifferentiableClassifier m = trained(d, c);
      check(m, d, 1e-6);
      int[] y = m.labelIndices(d.examples());
      double[] v = gaussian(m.parameterCount(), 9);
      double[] h = m.hessianVector(d.examples(), y, v, null);
      double[] g = m.gaussNewtonVector(d.examples(), y, v, null);
      double gap = GradientCheck.relativeDistance(h, g);
      // away from an exact fit the residual term is visible, and the Gauss-Newton form is PSD
      assertTrue(gap > 1e-4, "Hessian and Gauss-Newton products coincide: " + gap);
      double vgv = 0;
      for (int i = 0; i < v.length; i++) {
        vgv += v[i] * g[i];
      }
      assertTrue(vgv > 0, "vᵀGv = " + vgv);
    }
  }

  @Test
  void textMlpProductMatchesDifferencesOfTheGradient() {
    Dataset d = Fixtures.mails(40, 5);
    TrainConfig c =
        new TrainConfig("mlp", "adam", new int[] {5}, 2, 16, 1e-2, 1e-3, 100, 1 << 8, 1);
    check(trained(d, c), d, 1e-6);
  }
}
