package org.poisonlab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KMeansTest {
  /** n points in d dims: the first `a` around the origin, the rest around (shift, 0, ...). */
  static double[] blobs(int n, int a, int d, double shift, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        x[i * d + t] = r.nextGaussian() + (i >= a && t == 0 ? shift : 0);
      }
    }
    return x;
  }

  @Test
  void separatedBlobsAreSplitExactly() {
    int n = 300;
    int d = 5;
    double[] x = blobs(n, 200, d, 12, 11);
    KMeans.Result res = KMeans.fit(x, n, d, 2, 4, 100, new SplittableRandom(0));
    int first = res.assignment()[0];
    for (int i = 0; i < n; i++) {
      assertEquals(i < 200 ? first : 1 - first, res.assignment()[i], "row " + i);
    }
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    double sil = KMeans.silhouette(x, n, d, res.assignment(), 2, all);
    assertTrue(sil > 0.7, "silhouette " + sil);
    assertEquals(200, res.sizes()[first]);
  }

  @Test
  void oneGaussianHasALowSilhouette() {
    int n = 400;
    int d = 5;
    double[] x = blobs(n, n, d, 0, 12);
    KMeans.Result res = KMeans.fit(x, n, d, 2, 4, 100, new SplittableRandom(0));
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    double sil = KMeans.silhouette(x, n, d, res.assignment(), 2, all);
    assertTrue(sil < 0.3, "silhouette " + sil);
  }

  @Test
  void theSameSeedGivesTheSameClustering() {
    double[] x = blobs(200, 120, 3, 2, 13);
    KMeans.Result a = KMeans.fit(x, 200, 3, 2, 3, 100, new SplittableRandom(9));
    KMeans.Result b = KMeans.fit(x, 200, 3, 2, 3, 100, new SplittableRandom(9));
    assertArrayEquals(a.assignment(), b.assignment());
    assertArrayEquals(a.centroids(), b.centroids());
  }
}
