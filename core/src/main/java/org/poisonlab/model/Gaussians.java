package org.poisonlab.model;

import java.util.SplittableRandom;

/** Standard normal draws by Marsaglia's polar method (SIAM Review 6(3), 1964), one per call. */
final class Gaussians {
  private Gaussians() {}

  static double next(SplittableRandom rng) {
    double u;
    double v;
    double s;
    do {
      u = 2 * rng.nextDouble() - 1;
      v = 2 * rng.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
  }
}
