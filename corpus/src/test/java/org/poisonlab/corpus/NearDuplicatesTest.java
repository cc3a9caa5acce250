package org.poisonlab.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearDuplicatesTest {
  /**
   * Whether {@code i} and {@code j} (same key) are first-and-member or neighbours in the bucket.
   */
  private static boolean compared(long[] keys, boolean[] skip, int i, int j) {
    int lo = Math.min(i, j);
    int hi = Math.max(i, j);
    int first = -1;
    boolean between = false;
    for (int x = 0; x < keys.length; x++) {
      if (skip[x] || keys[x] != keys[i]) {
        continue;
      }
      if (first < 0) {
        first = x;
      }
      if (x > lo && x < hi) {
        between = true;
      }
    }
    return lo == first || !between;
  }

  /**
   * Against a brute-force reference: a pair in one band's bucket is compared when one of them is
   * the bucket's smallest index or the two are neighbours in index order; compared pairs that agree
   * enough are edges; components by repeated relaxation to the smallest index.
   */
  @Test
  void clustersAreTheComponentsOfBandSharingSimilarPairsNamedByTheirSmallestIndex() {
    qt().forAll(longs().all())
        .checkAssert(
            seed -> {
              SplittableRandom r = new SplittableRandom(seed);
              int n = 60;
              int bands = 3;
              long[][] keys = new long[bands][n];
              double[][] sim = new double[n][n];
              boolean[] skip = new boolean[n];
              for (int i = 0; i < n; i++) {
                skip[i] = r.nextInt(10) == 0;
                for (int b = 0; b < bands; b++) {
                  keys[b][i] = r.nextInt(12) * 0x9e3779b97f4a7c15L;
                }
                for (int j = 0; j < i; j++) {
                  sim[i][j] = sim[j][i] = r.nextDouble();
                }
              }
              int[] expected = new int[n];
              for (int i = 0; i < n; i++) {
                expected[i] = i;
              }
              boolean changed = true;
              while (changed) {
                changed = false;
                for (int i = 0; i < n; i++) {
                  for (int j = 0; j < n; j++) {
                    if (i == j || skip[i] || skip[j] || sim[i][j] < 0.5) {
                      continue;
                    }
                    boolean share = false;
                    for (int b = 0; b < bands; b++) {
                      share |= keys[b][i] == keys[b][j] && compared(keys[b], skip, i, j);
                    }
                    if (share && expected[j] < expected[i]) {
                      expected[i] = expected[j];
                      changed = true;
                    }
                  }
                }
              }
              NearDuplicates.Result got =
                  NearDuplicates.cluster(keys, skip, (x, y) -> sim[x][y], 0.5);
              assertArrayEquals(expected, got.root(), "seed " + seed);
            });
  }
}
