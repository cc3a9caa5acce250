package org.poisonlab.deep;

import java.util.SplittableRandom;

/** Seeded parameter initialisation, drawn in Java so that it depends on the seed alone. */
final class Inits {
  private Inits() {}

  /**
   * For each shape: a weight tensor (rank ≥ 2) uniform in ±1/√fan-in, fan-in being the product of
   * all but the first dimension; a bias (rank 1) zero.
   */
  static float[][] uniformFanIn(long[][] shapes, SplittableRandom rng) {
    float[][] out = new float[shapes.length][];
    for (int t = 0; t < shapes.length; t++) {
      long[] s = shapes[t];
      out[t] = new float[(int) size(s)];
      if (s.length >= 2) {
        long fanIn = size(s) / s[0];
        double bound = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < out[t].length; i++) {
          out[t][i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
      }
    }
    return out;
  }

  /** Normal entries with standard deviation {@code sd}. */
  static float[] normal(int n, double sd, SplittableRandom rng) {
    float[] out = new float[n];
    for (int i = 0; i < n; i += 2) {
      // Box–Muller: two normals from two uniforms
      double u = 1 - rng.nextDouble();
      double v = rng.nextDouble();
      double r = Math.sqrt(-2 * Math.log(u));
      out[i] = (float) (sd * r * Math.cos(2 * Math.PI * v));
      if (i + 1 < n) {
        out[i + 1] = (float) (sd * r * Math.sin(2 * Math.PI * v));
      }
    }
    return out;
  }

  static long size(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
