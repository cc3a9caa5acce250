package org.poisonlab.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.testkit.Fixtures;

class CheckpointsTest {
  private static void sameAsPlainTraining(Dataset data, TrainConfig config, int expected) {
    DifferentiableClassifier plain = Trainers.train(data, config, 7, null, null);
    List<Checkpoint> cps = Trainers.trainWithCheckpoints(data, config, 7, null, null);
    assertArrayEquals(
        plain.parameters(), cps.get(cps.size() - 1).model().parameters(), config.toString());
    if (expected > 0) {
      assertEquals(expected, cps.size(), config.toString());
    }
    for (int c = 1; c < cps.size(); c++) {
      assertTrue(cps.get(c).step() > cps.get(c - 1).step());
      assertFalse(
          java.util.Arrays.equals(
              cps.get(c).model().parameters(), cps.get(c - 1).model().parameters()),
          "checkpoint " + c + " repeats the previous one");
    }
  }

  @Test
  void checkpointedMiniBatchTrainingEndsBitIdenticalToPlainTraining() {
    Dataset images = Fixtures.images(300, 3, 1);
    TrainConfig mlp = TrainConfig.defaults("mlp", Dataset.Kind.IMAGE).withEpochs(3);
    sameAsPlainTraining(images, mlp, 3);
    TrainConfig sgd = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withEpochs(4);
    sameAsPlainTraining(images, sgd, 4);
  }

  @Test
  void checkpointedLbfgsTrainingEndsBitIdenticalToPlainTraining() {
    Dataset mails = Fixtures.textEmails(300, 2);
    sameAsPlainTraining(mails, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0);
  }

  @Test
  void epochCheckpointsCarryTheMeanCosineRateOfTheirEpoch() {
    Dataset images = Fixtures.images(256, 2, 3);
    TrainConfig c = TrainConfig.defaults("logreg", Dataset.Kind.IMAGE).withEpochs(2);
    List<Checkpoint> cps = Trainers.trainWithCheckpoints(images, c, 1, null, null);
    // 2 steps per epoch (batch 128), 4 in all: rates η·½(1+cos(πt/4)), t = 0..3
    double eta = c.learningRate();
    double r0 = eta * 0.5 * (1 + Math.cos(0));
    double r1 = eta * 0.5 * (1 + Math.cos(Math.PI / 4));
    double r2 = eta * 0.5 * (1 + Math.cos(Math.PI / 2));
    double r3 = eta * 0.5 * (1 + Math.cos(3 * Math.PI / 4));
    assertEquals((r0 + r1) / 2, cps.get(0).learningRate(), 1e-15);
    assertEquals((r2 + r3) / 2, cps.get(1).learningRate(), 1e-15);
  }

  @Test
  void softmaxFitReachesAStationaryPoint() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    int n = 200;
    int d = 5;
    double[] x = new double[n * d];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      for (int j = 0; j < d; j++) {
        x[i * d + j] = r.nextGaussian() + (j == y[i] ? 1 : 0);
      }
    }
    double l2 = 1e-2;
    double[] w = Trainers.fitSoftmax(x, n, d, y, 3, l2, null, 500);
    // gradient of the objective at w: (1/n) Σ (p − e_y) f_iᵀ + l2 W
    double[] grad = new double[w.length];
    for (int i = 0; i < n; i++) {
      double[] z = new double[3];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < 3; c++) {
        z[c] = w[3 * d + c];
        for (int j = 0; j < d; j++) {
          z[c] += w[c * d + j] * x[i * d + j];
        }
        max = Math.max(max, z[c]);
      }
      double s = 0;
      for (int c = 0; c < 3; c++) {
        z[c] = Math.exp(z[c] - max);
        s += z[c];
      }
      for (int c = 0; c < 3; c++) {
        double e = z[c] / s - (c == y[i] ? 1 : 0);
        for (int j = 0; j < d; j++) {
          grad[c * d + j] += e * x[i * d + j] / n;
        }
        grad[3 * d + c] += e / n;
      }
    }
    for (int q = 0; q < 3 * d; q++) {
      grad[q] += l2 * w[q];
    }
    for (double g : grad) {
      assertEquals(0, g, 1e-5);
    }
  }
}
