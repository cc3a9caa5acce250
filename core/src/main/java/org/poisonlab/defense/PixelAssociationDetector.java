package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * Trigger scanning by pixel association ({@code pixel-association}), the image counterpart of
 * {@link NgramAssociationDetector}.
 *
 * <p>Each pixel gives two indicators, bright ({@code ≥ 250}) and dark ({@code ≤ 5}). For every
 * indicator lit in at least {@code minDocs} images, with L the label most of them carry, {@code k}
 * of its {@code n} images have label L. The base test compares k with the base rate of L ({@code
 * P(Bin(n, π_L) ≥ k)}, reported as {@code base_score}); the test that ranks and flags asks whether
 * the rest of each image explains its label: a Bernoulli naive Bayes model over all indicators
 * gives {@code q_d = P(L | image without the 9 × 9 window around the pixel)}, clipped to [0.1,
 * 0.9], estimated on the first 64 of the n images, and the score is {@code −log10 P(Bin(n, q̄) ≥
 * k)}. An indicator is significant when that tail is below 0.01 / m (Bonferroni over the m tested
 * indicators) and {@code k/n − q̄ ≥ 0.5}. Significant indicators of one kind and label that touch
 * (8-neighbourhood) form a candidate patch, reported with its bounding box.
 *
 * <p>An example's score is the sum of the scores of the significant indicators it lights whose
 * label is its own; it is flagged when it lights at least one.
 */
final class PixelAssociationDetector implements Detector {
  static final String NAME = "pixel-association";
  static final int BRIGHT = 250;
  static final int DARK = 5;
  private static final int RADIUS = 4;
  private static final int SAMPLE = 64;
  private static final double CLIP = 0.1;
  private static final double MIN_EXCESS = 0.5;
  private static final int REPORTED = 20;

  private final int minDocs;
  private final double alpha;

  PixelAssociationDetector(int minDocs, double alpha) {
    this.minDocs = minDocs;
    this.alpha = alpha;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(Dataset train) {
    if (train.kind() != Dataset.Kind.IMAGE || train.labels().size() < 2 || train.isEmpty()) {
      return false;
    }
    int[] shape = train.get(0).shape();
    return train.examples().stream().allMatch(e -> Arrays.equals(e.shape(), shape));
  }

  @Override
  public Detection scan(Dataset train, ScanContext context) {
    int n = train.size();
    int labels = train.labels().size();
    int[] shape = train.get(0).shape();
    int pixels = train.get(0).pixelCount();
    int width = shape[shape.length - 1];
    int features = 2 * pixels;
    int[] y = new int[n];
    int[] classSize = new int[labels];
    for (int i = 0; i < n; i++) {
      y[i] = train.labelIndex(train.get(i).label());
      classSize[y[i]]++;
    }
    context.progress().accept(NAME + ": counting indicators of " + n + " images");
    int[] counts = new int[features * labels];
    for (int i = 0; i < n; i++) {
      Example e = train.get(i);
      for (int p = 0; p < pixels; p++) {
        int f = feature(e.pixel(p), p);
        if (f >= 0) {
          counts[f * labels + y[i]]++;
        }
      }
    }
    double[] w = new double[features * labels];
    double[] absent = new double[features * labels];
    double[] prior = new double[labels];
    for (int c = 0; c < labels; c++) {
      prior[c] = Math.log((classSize[c] + 1.0) / (n + labels));
      for (int f = 0; f < features; f++) {
        double theta = (counts[f * labels + c] + 1.0) / (classSize[c] + 2.0);
        absent[f * labels + c] = Math.log1p(-theta);
        prior[c] += absent[f * labels + c];
        w[f * labels + c] = Math.log(theta / (1 - theta));
      }
    }
    double[] joint = new double[n * labels];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              Example e = train.get(i);
              System.arraycopy(prior, 0, joint, i * labels, labels);
              for (int p = 0; p < pixels; p++) {
                int f = feature(e.pixel(p), p);
                if (f >= 0) {
                  for (int c = 0; c < labels; c++) {
                    joint[i * labels + c] += w[f * labels + c];
                  }
                }
              }
            });

    // the first SAMPLE images lighting each indicator
    int[][] sample = new int[features][SAMPLE];
    int[] sampled = new int[features];
    for (int i = 0; i < n; i++) {
      Example e = train.get(i);
      for (int p = 0; p < pixels; p++) {
        int f = feature(e.pixel(p), p);
        if (f >= 0 && sampled[f] < SAMPLE) {
          sample[f][sampled[f]++] = i;
        }
      }
    }
    int[] df = new int[features];
    int[] top = new int[features];
    int tested = 0;
    for (int f = 0; f < features; f++) {
      for (int c = 0; c < labels; c++) {
        df[f] += counts[f * labels + c];
        if (counts[f * labels + c] > counts[f * labels + top[f]]) {
          top[f] = c;
        }
      }
      tested += df[f] >= minDocs ? 1 : 0;
    }
    double threshold = Binomial.bonferroniScore(alpha, tested);
    double[] score = new double[features];
    double[] expected = new double[features];
    boolean[] significant = new boolean[features];
    IntStream.range(0, features)
        .parallel()
        .forEach(
            f -> {
              if (df[f] < minDocs) {
                return;
              }
              double sum = 0;
              double[] q = new double[labels];
              for (int j = 0; j < sampled[f]; j++) {
                int i = sample[f][j];
                withoutWindow(train.get(i), joint, i, labels, w, absent, f / 2, width, pixels, q);
                sum += Math.min(1 - CLIP, Math.max(CLIP, q[top[f]]));
              }
              double qbar = sum / sampled[f];
              int k = counts[f * labels + top[f]];
              expected[f] = qbar * df[f];
              score[f] = Binomial.score(k, df[f], qbar);
              significant[f] = score[f] > threshold && (double) k / df[f] - qbar >= MIN_EXCESS;
            });

    double[] exampleScores = new double[n];
    boolean[] flagged = new boolean[n];
    for (int i = 0; i < n; i++) {
      Example e = train.get(i);
      for (int p = 0; p < pixels; p++) {
        int f = feature(e.pixel(p), p);
        if (f >= 0 && significant[f] && top[f] == y[i]) {
          exampleScores[i] += score[f];
          flagged[i] = true;
        }
      }
    }

    List<Map<String, Object>> patches =
        patches(
            significant,
            top,
            score,
            df,
            counts,
            classSize,
            labels,
            n,
            width,
            pixels,
            train.labels());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("tested_indicators", tested);
    details.put("min_images", minDocs);
    details.put("threshold_score", NgramAssociationDetector.round(threshold));
    int sig = 0;
    for (boolean b : significant) {
      sig += b ? 1 : 0;
    }
    details.put("significant_indicators", sig);
    details.put("candidates", patches.subList(0, Math.min(REPORTED, patches.size())));
    context.progress().accept(NAME + ": " + sig + " significant indicators");
    return new Detection(NAME, exampleScores, flagged, details);
  }

  /** Indicator index of a pixel value at position p: 2p bright, 2p + 1 dark, -1 neither. */
  private static int feature(int value, int p) {
    return value >= BRIGHT ? 2 * p : value <= DARK ? 2 * p + 1 : -1;
  }

  /**
   * P(label | image i without the window around pixel {@code centre}): both indicators of every
   * window pixel are taken out, lit or not (the absence of a usual dark pixel is evidence too).
   */
  private static void withoutWindow(
      Example e,
      double[] joint,
      int i,
      int labels,
      double[] w,
      double[] absent,
      int centre,
      int width,
      int pixels,
      double[] out) {
    System.arraycopy(joint, i * labels, out, 0, labels);
    int height = pixels / width;
    int r0 = centre / width;
    int c0 = centre % width;
    for (int r = Math.max(0, r0 - RADIUS); r <= Math.min(height - 1, r0 + RADIUS); r++) {
      for (int c = Math.max(0, c0 - RADIUS); c <= Math.min(width - 1, c0 + RADIUS); c++) {
        int p = r * width + c;
        int f = feature(e.pixel(p), p);
        for (int l = 0; l < labels; l++) {
          out[l] -= absent[2 * p * labels + l] + absent[(2 * p + 1) * labels + l];
          if (f >= 0) {
            out[l] -= w[f * labels + l];
          }
        }
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double v : out) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int l = 0; l < labels; l++) {
      out[l] = Math.exp(out[l] - max);
      sum += out[l];
    }
    for (int l = 0; l < labels; l++) {
      out[l] /= sum;
    }
  }

  /** Connected groups of significant indicators of one kind and label, strongest first. */
  private static List<Map<String, Object>> patches(
      boolean[] significant,
      int[] top,
      double[] score,
      int[] df,
      int[] counts,
      int[] classSize,
      int labels,
      int n,
      int width,
      int pixels,
      List<String> labelNames) {
    int height = pixels / width;
    boolean[] done = new boolean[significant.length];
    List<Map<String, Object>> out = new ArrayList<>();
    List<Double> strength = new ArrayList<>();
    for (int f0 = 0; f0 < significant.length; f0++) {
      if (!significant[f0] || done[f0]) {
        continue;
      }
      int kind = f0 % 2;
      int[] stack = new int[pixels];
      int sp = 0;
      stack[sp++] = f0 / 2;
      done[f0] = true;
      int minR = height, maxR = -1, minC = width, maxC = -1, size = 0;
      double best = 0;
      int bestF = f0;
      while (sp > 0) {
        int p = stack[--sp];
        int r = p / width;
        int c = p % width;
        minR = Math.min(minR, r);
        maxR = Math.max(maxR, r);
        minC = Math.min(minC, c);
        maxC = Math.max(maxC, c);
        size++;
        if (score[2 * p + kind] > best) {
          best = score[2 * p + kind];
          bestF = 2 * p + kind;
        }
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr;
            int cc = c + dc;
            if (rr < 0 || rr >= height || cc < 0 || cc >= width) {
              continue;
            }
            int g = 2 * (rr * width + cc) + kind;
            if (significant[g] && !done[g] && top[g] == top[f0]) {
              done[g] = true;
              stack[sp++] = g / 2;
            }
          }
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("indicator", kind == 0 ? "bright" : "dark");
      m.put("label", labelNames.get(top[f0]));
      m.put("x", minC);
      m.put("y", minR);
      m.put("width", maxC - minC + 1);
      m.put("height", maxR - minR + 1);
      m.put("pixels", size);
      m.put("images", df[bestF]);
      m.put("label_images", counts[bestF * labels + top[bestF]]);
      m.put("score", NgramAssociationDetector.round(best));
      m.put(
          "base_score",
          NgramAssociationDetector.round(
              Binomial.score(
                  counts[bestF * labels + top[bestF]],
                  df[bestF],
                  (double) classSize[top[bestF]] / n)));
      int at = 0;
      while (at < strength.size() && strength.get(at) >= best) {
        at++;
      }
      strength.add(at, best);
      out.add(at, m);
    }
    return out;
  }
}
