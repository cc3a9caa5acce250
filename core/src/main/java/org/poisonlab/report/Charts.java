package org.poisonlab.report;

import static org.poisonlab.report.Html.coord;
import static org.poisonlab.report.Html.esc;

import java.util.ArrayList;
import java.util.List;

/**
 * Small inline SVG charts: line charts (also ROC and precision-recall curves), histograms and
 * horizontal bar charts. Every chart is a self-contained {@code <svg class="chart">} with a fixed
 * view box that scales to its container; no script, no external resource. Coordinates are rounded
 * to two decimals, so the same data always gives the same text.
 */
final class Charts {
  static final String BLUE = "#2b6cb0";
  static final String RED = "#c53030";
  static final String GREY = "#718096";
  static final String GREEN = "#2f855a";
  static final String ORANGE = "#c05621";
  static final String PURPLE = "#6b46c1";

  /** Colours for series without a fixed meaning, in order. */
  static final String[] PALETTE = {BLUE, RED, GREEN, ORANGE, PURPLE, GREY, "#2c7a7b", "#b83280"};

  private static final int W = 440;
  private static final int H = 270;
  private static final int LEFT = 52;
  private static final int RIGHT = 14;
  private static final int TOP = 46;
  private static final int BOTTOM = 44;

  private Charts() {}

  /**
   * One line of a line chart.
   *
   * @param xs not modified; same length as {@code ys}
   * @param markers whether each point gets a dot (for sweeps with few points)
   * @param dashed a dashed line (for reference levels)
   */
  record Series(
      String name, String color, double[] xs, double[] ys, boolean markers, boolean dashed) {}

  /** A closed interval for an axis. */
  record Range(double min, double max) {
    Range {
      if (!(max > min)) {
        max = min + 1;
      }
    }

    static Range of(double[]... values) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double[] v : values) {
        for (double x : v) {
          if (Double.isFinite(x)) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
          }
        }
      }
      if (lo == Double.POSITIVE_INFINITY) {
        return new Range(0, 1);
      }
      double pad = hi > lo ? 0.04 * (hi - lo) : Math.max(1e-9, Math.abs(lo) * 0.1);
      return new Range(lo - pad, hi + pad);
    }

    double map(double v, double from, double to) {
      return from + (v - min) / (max - min) * (to - from);
    }
  }

  /** A bar of a bar chart: {@code value} sets the length, {@code text} is written beside it. */
  record Bar(String label, double value, String text, String color) {}

  /**
   * A line chart with axes, ticks, axis labels and a legend.
   *
   * @param x the x axis range; {@code y} likewise
   */
  static String line(
      String title, String xLabel, String yLabel, List<Series> series, Range x, Range y) {
    StringBuilder b = open(title);
    axes(b, xLabel, yLabel, x, y);
    int plotted = 0;
    for (Series s : series) {
      StringBuilder d = new StringBuilder();
      for (int i = 0; i < s.xs().length; i++) {
        if (!Double.isFinite(s.xs()[i]) || !Double.isFinite(s.ys()[i])) {
          continue;
        }
        d.append(d.length() == 0 ? "M" : " L")
            .append(coord(px(x, s.xs()[i])))
            .append(',')
            .append(coord(py(y, s.ys()[i])));
      }
      if (d.length() == 0) {
        continue;
      }
      plotted++;
      b.append("<path class=\"series\" fill=\"none\" stroke=\"")
          .append(s.color())
          .append("\" stroke-width=\"2\"")
          .append(s.dashed() ? " stroke-dasharray=\"5 4\"" : "")
          .append(" d=\"")
          .append(d)
          .append("\"><title>")
          .append(esc(s.name()))
          .append("</title></path>\n");
      if (s.markers()) {
        for (int i = 0; i < s.xs().length; i++) {
          if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) {
            b.append("<circle r=\"3.5\" fill=\"")
                .append(s.color())
                .append("\" cx=\"")
                .append(coord(px(x, s.xs()[i])))
                .append("\" cy=\"")
                .append(coord(py(y, s.ys()[i])))
                .append("\"><title>")
                .append(esc(s.name()))
                .append(": ")
                .append(esc(Html.num(s.xs()[i], 4)))
                .append(", ")
                .append(esc(Html.num(s.ys()[i], 4)))
                .append("</title></circle>\n");
          }
        }
      }
    }
    legend(b, series.stream().map(s -> new String[] {s.name(), s.color()}).toList());
    return close(b, plotted);
  }

  /**
   * A histogram of two groups over the same bins, bar heights on a square-root scale (a few poisons
   * stay visible beside thousands of clean examples); every {@code marked} value also gets a tick
   * under the axis (a rug), so each poison's score can be seen.
   *
   * @param plain the unmarked values (clean examples); not modified; NaN ignored
   * @param marked the marked values (poisons); not modified; NaN ignored
   */
  static String histogram(
      String title,
      String xLabel,
      double[] plain,
      double[] marked,
      String plainName,
      String markedName,
      int bins) {
    Range x = Range.of(plain, marked);
    int[] a = counts(plain, x, bins);
    int[] m = counts(marked, x, bins);
    int max = 1;
    for (int i = 0; i < bins; i++) {
      max = Math.max(max, Math.max(a[i], m[i]));
    }
    Range y = new Range(0, Math.sqrt(max));
    StringBuilder b = open(title);
    axesWithTicks(b, xLabel, "count (square-root scale)", x, y, sqrtTicks(max));
    double bw = (W - LEFT - RIGHT) / (double) bins;
    int plotted = 0;
    for (int k = 0; k < 2; k++) {
      int[] c = k == 0 ? a : m;
      String color = k == 0 ? GREY : RED;
      for (int i = 0; i < bins; i++) {
        if (c[i] == 0) {
          continue;
        }
        plotted++;
        double top = py(y, Math.sqrt(c[i]));
        double x0 = LEFT + i * bw + (k == 0 ? 0.5 : bw * 0.3);
        double w = k == 0 ? bw - 1 : bw * 0.4;
        b.append("<rect fill=\"")
            .append(color)
            .append(k == 0 ? "\" fill-opacity=\"0.55" : "")
            .append("\" x=\"")
            .append(coord(x0))
            .append("\" y=\"")
            .append(coord(top))
            .append("\" width=\"")
            .append(coord(Math.max(w, 0.5)))
            .append("\" height=\"")
            .append(coord(H - BOTTOM - top))
            .append("\"><title>")
            .append(k == 0 ? esc(plainName) : esc(markedName))
            .append(": ")
            .append(c[i])
            .append("</title></rect>\n");
      }
    }
    // the rug: one tick per marked value, at most a few hundred distinct positions
    StringBuilder rug = new StringBuilder();
    java.util.TreeSet<String> seen = new java.util.TreeSet<>();
    for (double v : marked) {
      if (Double.isFinite(v)) {
        String cx = coord(px(x, v));
        if (seen.add(cx)) {
          rug.append("M").append(cx).append(',').append(H - BOTTOM + 2).append(" v6 ");
        }
      }
    }
    if (rug.length() > 0) {
      b.append("<path class=\"rug\" stroke=\"")
          .append(RED)
          .append("\" stroke-width=\"1\" d=\"")
          .append(rug.toString().trim())
          .append("\"/>\n");
    }
    legend(b, List.of(new String[] {plainName, GREY}, new String[] {markedName, RED}));
    return close(b, plotted);
  }

  /** Horizontal bars, one per {@code bars} entry in order, lengths relative to {@code max}. */
  static String bars(String title, List<Bar> bars, double max) {
    int rowH = 22;
    int labelW = 170;
    int height = TOP + rowH * Math.max(1, bars.size()) + 12;
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" role=\"img\" aria-label=\"")
        .append(esc(title))
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(height)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    b.append("<text class=\"title\" x=\"4\" y=\"16\">").append(esc(title)).append("</text>\n");
    double full = W - labelW - 120;
    double top = max > 0 ? max : 1;
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      double y = TOP + i * rowH;
      double w = Math.max(1, full * Math.max(0, bar.value()) / top);
      String label = bar.label().length() > 26 ? bar.label().substring(0, 25) + "…" : bar.label();
      b.append("<text class=\"label\" x=\"")
          .append(labelW - 6)
          .append("\" y=\"")
          .append(coord(y + 14))
          .append("\" text-anchor=\"end\">")
          .append(esc(label))
          .append("<title>")
          .append(esc(bar.label()))
          .append("</title></text>\n");
      b.append("<rect fill=\"")
          .append(bar.color())
          .append("\" x=\"")
          .append(labelW)
          .append("\" y=\"")
          .append(coord(y + 3))
          .append("\" width=\"")
          .append(coord(w))
          .append("\" height=\"")
          .append(rowH - 6)
          .append("\"/>\n");
      b.append("<text class=\"value\" x=\"")
          .append(coord(labelW + w + 4))
          .append("\" y=\"")
          .append(coord(y + 14))
          .append("\">")
          .append(esc(bar.text()))
          .append("</text>\n");
    }
    b.append("</svg>");
    return bars.isEmpty() ? "" : b.toString();
  }

  // ---------------------------------------------------------------- frame

  private static StringBuilder open(String title) {
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" role=\"img\" aria-label=\"")
        .append(esc(title))
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    b.append("<text class=\"title\" x=\"")
        .append(LEFT)
        .append("\" y=\"12\">")
        .append(esc(title))
        .append("</text>\n");
    return b;
  }

  /** Closes the chart; a chart with nothing plotted is returned as "" so callers can say so. */
  private static String close(StringBuilder b, int plotted) {
    b.append("</svg>");
    return plotted == 0 ? "" : b.toString();
  }

  private static void axes(StringBuilder b, String xLabel, String yLabel, Range x, Range y) {
    axesWithTicks(b, xLabel, yLabel, x, y, null);
  }

  private static void axesWithTicks(
      StringBuilder b, String xLabel, String yLabel, Range x, Range y, double[][] yTicks) {
    int x0 = LEFT;
    int x1 = W - RIGHT;
    int y0 = H - BOTTOM;
    int y1 = TOP;
    b.append("<path class=\"axis\" stroke=\"#4a5568\" fill=\"none\" d=\"M")
        .append(x0)
        .append(',')
        .append(y1)
        .append(" V")
        .append(y0)
        .append(" H")
        .append(x1)
        .append("\"/>\n");
    for (double t : ticks(x)) {
      String cx = coord(px(x, t));
      b.append("<path class=\"tick\" stroke=\"#4a5568\" d=\"M")
          .append(cx)
          .append(',')
          .append(y0)
          .append(" v4\"/><text class=\"tick\" x=\"")
          .append(cx)
          .append("\" y=\"")
          .append(y0 + 16)
          .append("\" text-anchor=\"middle\">")
          .append(esc(tickLabel(t, x)))
          .append("</text>\n");
    }
    double[][] yt = yTicks;
    if (yt == null) {
      double[] ts = ticks(y);
      yt = new double[ts.length][];
      for (int i = 0; i < ts.length; i++) {
        yt[i] = new double[] {ts[i], ts[i]};
      }
    }
    for (double[] t : yt) {
      String cy = coord(py(y, t[0]));
      b.append("<path class=\"grid\" stroke=\"#e2e8f0\" d=\"M")
          .append(x0 + 1)
          .append(',')
          .append(cy)
          .append(" H")
          .append(x1)
          .append("\"/><text class=\"tick\" x=\"")
          .append(x0 - 5)
          .append("\" y=\"")
          .append(coord(py(y, t[0]) + 4))
          .append("\" text-anchor=\"end\">")
          .append(esc(tickLabel(t[1], yTicks == null ? y : new Range(0, t[1] + 1))))
          .append("</text>\n");
    }
    b.append("<text class=\"axis-label\" x=\"")
        .append((x0 + x1) / 2)
        .append("\" y=\"")
        .append(H - 8)
        .append("\" text-anchor=\"middle\">")
        .append(esc(xLabel))
        .append("</text>\n");
    b.append("<text class=\"axis-label\" transform=\"translate(13,")
        .append((y0 + y1) / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">")
        .append(esc(yLabel))
        .append("</text>\n");
  }

  /** Legend entries left to right under the title, wrapping once; later ones are dropped. */
  private static void legend(StringBuilder b, List<String[]> entries) {
    double x = LEFT;
    int y = 21;
    for (String[] e : entries) {
      double w = 24 + 6.4 * e[0].length();
      if (x + w > W - RIGHT && x > LEFT) {
        if (y > 21) {
          break;
        }
        x = LEFT;
        y += 12;
      }
      b.append("<rect x=\"")
          .append(coord(x))
          .append("\" y=\"")
          .append(y - 8)
          .append("\" width=\"12\" height=\"8\" fill=\"")
          .append(e[1])
          .append("\"/><text class=\"legend\" x=\"")
          .append(coord(x + 16))
          .append("\" y=\"")
          .append(y)
          .append("\">")
          .append(esc(e[0]))
          .append("</text>\n");
      x += w;
    }
  }

  private static double px(Range x, double v) {
    return x.map(v, LEFT, W - RIGHT);
  }

  private static double py(Range y, double v) {
    return y.map(v, H - BOTTOM, TOP);
  }

  private static int[] counts(double[] values, Range x, int bins) {
    int[] c = new int[bins];
    for (double v : values) {
      if (Double.isFinite(v)) {
        int i = (int) Math.floor((v - x.min()) / (x.max() - x.min()) * bins);
        c[Math.max(0, Math.min(bins - 1, i))]++;
      }
    }
    return c;
  }

  /** Ticks at 1, 2 or 5 times a power of ten, four to ten of them inside the range. */
  static double[] ticks(Range r) {
    double span = r.max() - r.min();
    double raw = span / 5;
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / p < 1.5 ? p : raw / p < 3.5 ? 2 * p : raw / p < 7.5 ? 5 * p : 10 * p;
    List<Double> out = new ArrayList<>();
    for (double t = Math.ceil(r.min() / step) * step; t <= r.max() + step * 1e-9; t += step) {
      out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Ticks for a square-root axis: 1, 2.5 or 5 times a power of ten, at least 9 % apart. */
  private static double[][] sqrtTicks(int max) {
    List<double[]> out = new ArrayList<>();
    out.add(new double[] {0, 0});
    double last = 0;
    for (double p = 1; p <= max; p *= 10) {
      for (double m : new double[] {1, 2.5, 5}) {
        double v = m * p;
        if (v <= max && Math.sqrt(v) - last >= 0.09 * Math.sqrt(max) && v == Math.rint(v)) {
          out.add(new double[] {Math.sqrt(v), v});
          last = Math.sqrt(v);
        }
      }
    }
    return out.toArray(new double[0][]);
  }

  private static String tickLabel(double t, Range r) {
    double span = r.max() - r.min();
    int digits = span >= 20 ? 0 : span >= 2 ? 1 : span >= 0.2 ? 2 : span >= 0.02 ? 3 : 4;
    String s = Html.num(t, digits);
    if (s.contains(".")) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s.equals("-0") ? "0" : s;
  }
}
