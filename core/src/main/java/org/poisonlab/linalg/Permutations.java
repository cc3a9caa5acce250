package org.poisonlab.linalg;

import java.util.SplittableRandom;

/** Random permutations drawn from a seeded generator: the one Fisher–Yates shuffle. */
public final class Permutations {
  private Permutations() {}

  /**
   * Shuffles {@code a} in place (Fisher–Yates, from the last position down), drawing one integer
   * per position from {@code rng}.
   */
  public static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A random permutation of {@code 0 … n−1}. */
  public static int[] random(int n, SplittableRandom rng) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    shuffle(p, rng);
    return p;
  }
}
