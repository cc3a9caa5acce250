package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamTest {

  /** Values of the sizes Adam sees, with zeros of both signs among them. */
  static float[] draw(SplittableRandom r, int n, double scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(20);
      a[i] = kind == 0 ? 0f : kind == 1 ? -0f : (float) (r.nextGaussian() * scale);
    }
    return a;
  }

  @Test
  void theVectorUpdateGivesTheScalarUpdatesBits() {
    qt().withFixedSeed(20261206L)
        .withExamples(60)
        .forAll(integers().between(0, 700), integers().between(1, 5000))
        .checkAssert(
            (n, step) -> {
              SplittableRandom r = new SplittableRandom(n * 7919L + step);
              float[] w = draw(r, n, 0.1);
              float[] g = draw(r, n, 1e-2);
              float[] m = draw(r, n, 1e-3);
              float[] v = new float[n];
              for (int i = 0; i < n; i++) {
                v[i] = (float) Math.abs(r.nextGaussian() * 1e-5);
              }
              double decay = r.nextBoolean() ? 0 : 1e-4;
              double c1 = 1 - Math.pow(0.9, step);
              double c2 = 1 - Math.pow(0.999, step);
              float[] w1 = w.clone(), m1 = m.clone(), v1 = v.clone();
              float[] w2 = w.clone(), m2 = m.clone(), v2 = v.clone();
              Adam.range(w1, g, m1, v1, decay, 2e-3, c1, c2, 0, n);
              int from = n / 3;
              Adam.range(w2, g, m2, v2, decay, 2e-3, c1, c2, 0, from);
              Adam.rangeVector(w2, g, m2, v2, decay, 2e-3, c1, c2, from, n);
              assertBits(w1, w2);
              assertBits(m1, m2);
              assertBits(v1, v2);
            });
  }

  @Test
  void aStepFollowsTheFormulaOnLargeAndSmallTensors() {
    SplittableRandom r = new SplittableRandom(5);
    int[] sizes = {3, 100_003};
    float[][] w = new float[2][], g = new float[2][], m = new float[2][], v = new float[2][];
    for (int t = 0; t < 2; t++) {
      w[t] = draw(r, sizes[t], 0.1);
      g[t] = draw(r, sizes[t], 1e-2);
      m[t] = new float[sizes[t]];
      v[t] = new float[sizes[t]];
    }
    float[][] w0 = {w[0].clone(), w[1].clone()};
    for (int s = 1; s <= 3; s++) {
      Adam.step(w, g, m, v, new boolean[] {true, false}, 1e-3, 0.5, s);
    }
    for (int t = 0; t < 2; t++) {
      for (int i = 0; i < sizes[t]; i += 997) {
        // the moments by their definition, in double precision, rounded to float after each step
        double wi = w0[t][i], mi = 0, vi = 0;
        for (int s = 1; s <= 3; s++) {
          double gi = g[t][i] + (t == 0 ? 0.5 * wi : 0);
          mi = (float) (0.9 * mi + 0.1 * gi);
          vi = (float) (0.999 * vi + 0.001 * gi * gi);
          double mHat = mi / (1 - Math.pow(0.9, s));
          double vHat = vi / (1 - Math.pow(0.999, s));
          wi = (float) (wi - 1e-3 * mHat / (Math.sqrt(vHat) + 1e-8));
        }
        assertEquals((float) wi, w[t][i], Math.ulp((float) wi) * 2, t + ":" + i);
        assertEquals((float) mi, m[t][i], Math.ulp((float) mi) * 2, t + ":" + i);
      }
    }
  }

  static void assertBits(float[] a, float[] b) {
    int[] x = new int[a.length];
    int[] y = new int[b.length];
    for (int i = 0; i < a.length; i++) {
      x[i] = Float.floatToRawIntBits(a[i]);
      y[i] = Float.floatToRawIntBits(b[i]);
    }
    assertArrayEquals(x, y);
  }
}
