package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.linalg.RandomProjection;

class RandomProjectionTest {
  private static double[] sparseVector(int p, int nnz, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] g = new double[p];
    for (int q = 0; q < nnz; q++) {
      g[r.nextInt(p)] = r.nextGaussian();
    }
    return g;
  }

  @Test
  void projectionIsTheMatrixOfItsEntries() {
    for (RandomProjection.Kind kind : RandomProjection.Kind.values()) {
      RandomProjection p = RandomProjection.of(kind, 50, 130, 9, 1);
      double[] g = sparseVector(50, 20, 1);
      double[] out = p.project(g, null, 0);
      for (int r = 0; r < 130; r++) {
        double s = 0;
        for (int j = 0; j < 50; j++) {
          s += g[j] == 0 ? 0 : p.entry(r, j) * g[j];
        }
        assertEquals(s, out[r], 1e-12, kind + " row " + r);
      }
    }
  }

  @Test
  void aColumnBlockHoldsTheEntriesOfThoseColumns() {
    for (RandomProjection.Kind kind : RandomProjection.Kind.values()) {
      for (int k : new int[] {1, 63, 130}) {
        RandomProjection p = RandomProjection.of(kind, 40, k, 5, 0);
        double[] block = new double[2 + 7 * k];
        p.columnBlock(31, 7, block, 2);
        for (int c = 0; c < 7; c++) {
          for (int r = 0; r < k; r++) {
            assertEquals(p.entry(r, 31 + c), block[2 + c * k + r], 0, kind + " " + r + "," + c);
          }
        }
      }
    }
  }

  @Test
  void denseAndSparseInputsAndThreadCountsGiveTheSameBits() {
    qt().withExamples(30)
        .forAll(integers().between(1, 3000), longs().all())
        .checkAssert(
            (k, seed) -> {
              int p = 5000;
              double[] g = sparseVector(p, 200, seed);
              double[] one =
                  RandomProjection.of(RandomProjection.Kind.RADEMACHER, p, k, seed, 1)
                      .project(g, null, 0);
              double[] all =
                  RandomProjection.of(RandomProjection.Kind.RADEMACHER, p, k, seed, 0)
                      .project(g, new double[k + 3], 3);
              assertArrayEquals(one, java.util.Arrays.copyOfRange(all, 3, k + 3));
            });
  }

  @Test
  void projectionKeepsSquaredNormsOnAverage() {
    // E||Pg||² = ||g||²; for Rademacher the variance is ≤ 2||g||⁴/k, so 200 draws at k = 256 put
    // the mean within a few percent
    double[] g = sparseVector(10_000, 500, 3);
    double norm = 0;
    for (double v : g) {
      norm += v * v;
    }
    for (RandomProjection.Kind kind : RandomProjection.Kind.values()) {
      double mean = 0;
      int draws = kind == RandomProjection.Kind.GAUSSIAN ? 40 : 200;
      for (int s = 0; s < draws; s++) {
        double[] out = RandomProjection.of(kind, 10_000, 256, s, 1).project(g, null, 0);
        double sq = 0;
        for (double v : out) {
          sq += v * v;
        }
        mean += sq / draws;
      }
      assertEquals(1, mean / norm, kind == RandomProjection.Kind.GAUSSIAN ? 0.1 : 0.03, kind + "");
    }
  }

  @Test
  void seedsGiveReproducibleAndDistinctProjections() {
    double[] g = sparseVector(1000, 50, 4);
    RandomProjection.Kind r = RandomProjection.Kind.RADEMACHER;
    double[] a = RandomProjection.of(r, 1000, 64, 1, 1).project(g, null, 0);
    double[] b = RandomProjection.of(r, 1000, 64, 1, 1).project(g, null, 0);
    double[] c = RandomProjection.of(r, 1000, 64, 2, 1).project(g, null, 0);
    assertArrayEquals(a, b);
    assertFalse(java.util.Arrays.equals(a, c));
  }
}
