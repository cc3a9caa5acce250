package org.poisonlab.attribution;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Correlation coefficients for comparing predicted with measured effects: Pearson's {@code r =
 * cov(x, y) / (σx σy)}, Spearman's ρ (Pearson's r of the average ranks, ties sharing the mean of
 * their positions, as scipy's {@code spearmanr}) and the least-squares slope {@code cov(x, y) /
 * var(x)}. NaN when a side is constant or shorter than 2. No argument is modified.
 */
public final class Correlations {
  private Correlations() {}

  public static double pearson(double[] x, double[] y) {
    check(x, y);
    int n = x.length;
    if (n < 2) {
      return Double.NaN;
    }
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  public static double spearman(double[] x, double[] y) {
    check(x, y);
    return pearson(ranks(x), ranks(y));
  }

  /** The slope of the least-squares line of {@code y} on {@code x}. */
  static double slope(double[] x, double[] y) {
    check(x, y);
    if (x.length < 2) {
      return Double.NaN;
    }
    double mx = mean(x);
    double my = mean(y);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  /** Ranks from 1, ties given the mean of the positions they span. */
  static double[] ranks(double[] x) {
    int n = x.length;
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
    double[] r = new double[n];
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && Double.compare(x[order[j + 1]], x[order[i]]) == 0) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = rank;
      }
      i = j + 1;
    }
    return r;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static void check(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(x.length + " values against " + y.length);
    }
  }
}
