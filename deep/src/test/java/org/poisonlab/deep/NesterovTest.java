package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NesterovTest {

  @Test
  void theVectorUpdateGivesTheScalarUpdatesBits() {
    qt().withFixedSeed(20261207L)
        .withExamples(60)
        .forAll(integers().between(0, 700), integers().between(0, 2))
        .checkAssert(
            (n, l2) -> {
              SplittableRandom r = new SplittableRandom(n * 7919L + l2);
              float[] w = AdamTest.draw(r, n, 0.1);
              float[] g = AdamTest.draw(r, n, 1e-2);
              float[] b = AdamTest.draw(r, n, 1e-2);
              double decay = l2 == 0 ? 0 : Math.pow(10, -3 - l2);
              double lr = 0.01 + r.nextDouble() * 0.1;
              float[] w1 = w.clone(), b1 = b.clone();
              float[] w2 = w.clone(), b2 = b.clone();
              Nesterov.range(w1, g, b1, decay, lr, 0, n);
              int from = n / 3;
              Nesterov.range(w2, g, b2, decay, lr, 0, from);
              Nesterov.rangeVector(w2, g, b2, decay, lr, from, n);
              AdamTest.assertBits(w1, w2);
              AdamTest.assertBits(b1, b2);
            });
  }

  @Test
  void stepsFollowTheFormulaAndTheStepSizeFallsOnACosine() {
    assertEquals(0.05, Nesterov.rate(0.05, 0, 100), 0);
    assertEquals(0.025, Nesterov.rate(0.05, 50, 100), 1e-15);
    assertEquals(0, Nesterov.rate(0.05, 100, 100), 1e-18);
    assertEquals(0.05 * (1 + Math.cos(Math.PI / 4)) / 2, Nesterov.rate(0.05, 25, 100), 1e-15);
    SplittableRandom r = new SplittableRandom(5);
    int[] sizes = {3, 100_003};
    float[][] w = new float[2][], b = new float[2][];
    float[][][] g = new float[3][2][];
    for (int t = 0; t < 2; t++) {
      w[t] = AdamTest.draw(r, sizes[t], 0.1);
      b[t] = new float[sizes[t]];
      for (int s = 0; s < 3; s++) {
        g[s][t] = AdamTest.draw(r, sizes[t], 1e-2);
      }
    }
    float[][] w0 = {w[0].clone(), w[1].clone()};
    for (int s = 0; s < 3; s++) {
      Nesterov.step(w, g[s], b, new boolean[] {true, false}, Nesterov.rate(0.1, s, 3), 0.5);
    }
    for (int t = 0; t < 2; t++) {
      for (int i = 0; i < sizes[t]; i += 997) {
        // PyTorch's SGD(momentum=0.9, nesterov=True, weight_decay) by its documented algorithm, in
        // double precision, rounded to float after each step as the stored values are
        double wi = w0[t][i];
        double bi = 0;
        for (int s = 0; s < 3; s++) {
          double gi = g[s][t][i] + (t == 0 ? 0.5 * wi : 0);
          bi = (float) (0.9 * bi + gi);
          double lr = 0.1 * (1 + Math.cos(Math.PI * s / 3)) / 2;
          wi = (float) (wi - lr * (gi + 0.9 * bi));
        }
        assertEquals((float) wi, w[t][i], Math.ulp((float) wi) * 2, t + ":" + i);
      }
    }
  }
}
