package org.poisonlab.linalg;

import java.util.SplittableRandom;

/**
 * Lloyd's k-means (Lloyd 1982) with k-means++ seeding (Arthur &amp; Vassilvitskii, SODA 2007): the
 * first centre uniformly, each next one with probability proportional to the squared distance
 * {@code D(x)²} to the nearest chosen centre; then alternate assignment and centroid updates until
 * no assignment changes. Several restarts; the one with the least inertia {@code Σ ||x_i −
 * c_{a(i)}||²} wins. Also the silhouette (Rousseeuw 1987): {@code s_i = (b_i − a_i) / max(a_i,
 * b_i)}, with {@code a_i} the mean distance to its own cluster, {@code b_i} to the nearest other.
 */
public final class KMeans {
  private KMeans() {}

  /**
   * @param assignment cluster of each row
   * @param centroids row-major {@code k × d}
   */
  public record Result(
      int[] assignment, double[] centroids, double inertia, int iterations, int k) {
    public int[] sizes() {
      int[] s = new int[k];
      for (int a : assignment) {
        s[a]++;
      }
      return s;
    }
  }

  /**
   * Clusters the rows of {@code x} ({@code n × d}, not modified; {@code n ≥ k}).
   *
   * @param random split once per restart
   */
  public static Result fit(
      double[] x, int n, int d, int k, int restarts, int maxIterations, SplittableRandom random) {
    if (n < k) {
      throw new IllegalArgumentException(n + " rows cannot form " + k + " clusters");
    }
    Result best = null;
    for (int r = 0; r < restarts; r++) {
      Result res = once(x, n, d, k, maxIterations, random.split());
      if (best == null || res.inertia() < best.inertia()) {
        best = res;
      }
    }
    return best;
  }

  private static Result once(
      double[] x, int n, int d, int k, int maxIterations, SplittableRandom random) {
    double[] c = new double[k * d];
    int first = random.nextInt(n);
    System.arraycopy(x, first * d, c, 0, d);
    double[] d2 = new double[n];
    for (int i = 0; i < n; i++) {
      d2[i] = dist2(x, i * d, c, 0, d);
    }
    for (int j = 1; j < k; j++) {
      double total = 0;
      for (double v : d2) {
        total += v;
      }
      int pick = n - 1;
      if (total > 0) {
        double u = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
          u -= d2[i];
          if (u < 0) {
            pick = i;
            break;
          }
        }
      } else {
        pick = random.nextInt(n);
      }
      System.arraycopy(x, pick * d, c, j * d, d);
      for (int i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i], dist2(x, i * d, c, j * d, d));
      }
    }
    int[] a = new int[n];
    java.util.Arrays.fill(a, -1);
    int it = 0;
    while (it < maxIterations) {
      it++;
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        int best = nearest(x, i * d, c, k, d);
        if (best != a[i]) {
          a[i] = best;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      double[] sum = new double[k * d];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        count[a[i]]++;
        for (int t = 0; t < d; t++) {
          sum[a[i] * d + t] += x[i * d + t];
        }
      }
      for (int j = 0; j < k; j++) {
        if (count[j] == 0) {
          // an empty cluster restarts at the row farthest from its centre
          int far = 0;
          double fd = -1;
          for (int i = 0; i < n; i++) {
            double v = dist2(x, i * d, c, a[i] * d, d);
            if (v > fd) {
              fd = v;
              far = i;
            }
          }
          System.arraycopy(x, far * d, c, j * d, d);
        } else {
          for (int t = 0; t < d; t++) {
            c[j * d + t] = sum[j * d + t] / count[j];
          }
        }
      }
    }
    double inertia = 0;
    for (int i = 0; i < n; i++) {
      inertia += dist2(x, i * d, c, a[i] * d, d);
    }
    return new Result(a, c, inertia, it, k);
  }

  /**
   * The mean silhouette over {@code sample} (row indices, not modified), each measured against all
   * {@code n} rows; 0 when only one cluster is non-empty. A row alone in its cluster scores 0.
   */
  public static double silhouette(double[] x, int n, int d, int[] assignment, int k, int[] sample) {
    int[] size = new int[k];
    for (int a : assignment) {
      size[a]++;
    }
    int nonEmpty = 0;
    for (int s : size) {
      nonEmpty += s > 0 ? 1 : 0;
    }
    if (nonEmpty < 2 || sample.length == 0) {
      return 0;
    }
    double total = 0;
    double[] sum = new double[k];
    for (int i : sample) {
      java.util.Arrays.fill(sum, 0);
      for (int j = 0; j < n; j++) {
        sum[assignment[j]] += Math.sqrt(dist2(x, i * d, x, j * d, d));
      }
      int own = assignment[i];
      if (size[own] <= 1) {
        continue;
      }
      double a = sum[own] / (size[own] - 1);
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != own && size[c] > 0) {
          b = Math.min(b, sum[c] / size[c]);
        }
      }
      double m = Math.max(a, b);
      total += m > 0 ? (b - a) / m : 0;
    }
    return total / sample.length;
  }

  public static int nearest(double[] x, int off, double[] c, int k, int d) {
    int best = 0;
    double bd = Double.POSITIVE_INFINITY;
    for (int j = 0; j < k; j++) {
      double v = dist2(x, off, c, j * d, d);
      if (v < bd) {
        bd = v;
        best = j;
      }
    }
    return best;
  }

  public static double dist2(double[] x, int xOff, double[] y, int yOff, int d) {
    double s = 0;
    for (int t = 0; t < d; t++) {
      double v = x[xOff + t] - y[yOff + t];
      s += v * v;
    }
    return s;
  }
}
