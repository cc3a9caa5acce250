package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

class FilteringDetectorsTest {
  /** Three classes of 6×6 images, each a bright block in its own place over noise. */
  private static Dataset blocks(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      byte[] px = new byte[36];
      for (int p = 0; p < 36; p++) {
        int r = p / 6;
        boolean lit = r >= 2 * c && r < 2 * c + 2;
        px[p] = (byte) (lit ? 160 + rng.nextInt(90) : rng.nextInt(90));
      }
      out.add(Example.ofImage(px, new int[] {6, 6}, "c" + c, null));
    }
    return new Dataset("blocks", out);
  }

  @Test
  void foldsAreStratifiedAndFixedBySeed() {
    int[] labels = new int[103];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 7 == 0 ? 1 : 0;
    }
    int[] a = OutOfSample.stratifiedFolds(labels, 2, 5, 42);
    assertArrayEquals(a, OutOfSample.stratifiedFolds(labels, 2, 5, 42));
    assertFalse(java.util.Arrays.equals(a, OutOfSample.stratifiedFolds(labels, 2, 5, 43)));
    for (int c = 0; c < 2; c++) {
      int[] perFold = new int[5];
      int total = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          perFold[a[i]]++;
          total++;
        }
      }
      for (int f = 0; f < 5; f++) {
        assertTrue(Math.abs(perFold[f] - total / 5.0) <= 1, "class " + c + " fold " + f);
      }
    }
  }

  @Test
  void outOfSampleProbabilitiesAreRowStochasticAndDeterministic() {
    Dataset d = blocks(90, 3);
    OutOfSample.Probabilities a = OutOfSample.compute(d, 7, 5, m -> {});
    OutOfSample.Probabilities b = OutOfSample.compute(d, 7, 5, m -> {});
    assertArrayEquals(a.proba(), b.proba());
    for (int i = 0; i < a.size(); i++) {
      double s = 0;
      for (int c = 0; c < 3; c++) {
        s += a.p(i, c);
      }
      assertEquals(1, s, 1e-9);
    }
  }

  @Test
  void excludedExamplesAreScoredButNeverFitted() {
    Dataset d = blocks(90, 4);
    boolean[] exclude = new boolean[90];
    // leave out every "c0": its examples get no probability on c0 from any fold
    for (int i = 0; i < 90; i += 3) {
      exclude[i] = true;
    }
    OutOfSample.Probabilities p = OutOfSample.compute(d, 1, 5, exclude, m -> {});
    for (int i = 0; i < 90; i++) {
      assertEquals(0, p.p(i, 0), 0);
    }
  }

  @Test
  void neighboursMatchABruteForceSearch() {
    neighboursMatchABruteForceSearch(300, 5);
    // several candidate blocks, a query block and a vector width that do not divide n
    neighboursMatchABruteForceSearch(1100, 32);
  }

  private static void neighboursMatchABruteForceSearch(int n, int d) {
    SplittableRandom rng = new SplittableRandom(11);
    double[] z = new double[n * d];
    for (int i = 0; i < z.length; i++) {
      z[i] = rng.nextDouble();
    }
    double[] h = new double[n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        h[i] += z[i * d + c] * z[i * d + c] / 2;
      }
    }
    int k = 4;
    int[] got = KnnDetector.neighbours(z, h, n, d, k);
    double[] dist = new double[n];
    boolean[] taken = new boolean[n];
    for (int q = 0; q < n; q++) {
      for (int j = 0; j < n; j++) {
        dist[j] = 0;
        for (int c = 0; c < d; c++) {
          double e = z[q * d + c] - z[j * d + c];
          dist[j] += e * e;
        }
      }
      java.util.Arrays.fill(taken, false);
      taken[q] = true;
      for (int r = 0; r < k; r++) {
        int best = -1;
        for (int j = 0; j < n; j++) {
          if (!taken[j] && (best < 0 || dist[j] < dist[best])) {
            best = j;
          }
        }
        taken[best] = true;
        assertEquals(best, got[q * k + r], "neighbour " + r + " of row " + q);
      }
    }
  }

  @Test
  void principalAxesAreOrthonormal() {
    SplittableRandom rng = new SplittableRandom(5);
    double[] a = new double[20 * 4];
    for (int i = 0; i < a.length; i++) {
      a[i] = rng.nextDouble();
    }
    KnnDetector.orthonormalizeColumns(a, 20, 4);
    for (int x = 0; x < 4; x++) {
      for (int y = 0; y < 4; y++) {
        double dot = 0;
        for (int r = 0; r < 20; r++) {
          dot += a[r * 4 + x] * a[r * 4 + y];
        }
        assertEquals(x == y ? 1 : 0, dot, 1e-12);
      }
    }
  }

  @Test
  void knnScanIsDeterministicForASeed() {
    Dataset d = blocks(120, 9);
    Detection a = new KnnDetector().scan(d, new ScanContext(3, null, null));
    Detection b = new KnnDetector().scan(d, new ScanContext(3, null, null));
    assertArrayEquals(a.scores(), b.scores());
    assertArrayEquals(a.flagged(), b.flagged());
  }

  @Test
  void filteringDetectorsAreRegisteredAndNeedTwoClasses() {
    for (String name : List.of("confident-learning", "cv-loss", "knn")) {
      Detector det = Detectors.byName(name);
      assertTrue(det.appliesTo(blocks(60, 1)), name);
      List<Example> one = new ArrayList<>();
      for (Example e : blocks(60, 1)) {
        one.add(e.withLabel("same"));
      }
      assertFalse(det.appliesTo(new Dataset("one", one)), name);
    }
  }

  @Test
  void detectorsSideBySideGiveWhatEachGivesAlone() {
    Dataset d = blocks(300, 9);
    List<Detector> all = Detectors.applicable(d);
    List<Detectors.Ran> together = Detectors.scanAll(all, d, new ScanContext(4, null, null));
    assertEquals(all.size(), together.size());
    for (int i = 0; i < all.size(); i++) {
      // alone, one after the other (what detectors share is computed once either way)
      Detection alone = all.get(i).scan(d, new ScanContext(4, null, null));
      Detection side = together.get(i).detection();
      assertEquals(alone.method(), side.method());
      assertArrayEquals(alone.scores(), side.scores(), 0.0, alone.method());
      assertArrayEquals(alone.flagged(), side.flagged(), alone.method());
      assertEquals(alone.finding(), side.finding(), alone.method());
    }
  }
}
