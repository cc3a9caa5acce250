package org.poisonlab.defense;

import static org.poisonlab.defense.PixelPatches.pairPixels;
import static org.poisonlab.defense.PixelPatches.patches;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.PixelPatches.Indicators;

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
 * <p>Over textured content a bright pixel is common in every class, so a patch there barely moves
 * the label distribution of a bright indicator. The detector therefore also tests exact-value pair
 * indicators ({@link PixelPairs}: pixel p holds value a and its neighbour in one of four directions
 * value b; pairs of two dark values excluded), with the same conditional test, window and
 * thresholds, and one Bonferroni correction over all indicators of both families. Only pairs that
 * could pass with the smallest possible q̄ (0.1) are tested conditionally.
 *
 * <p>An example's score is the sum of the scores of the significant indicators (of both families)
 * it lights whose label is its own. It is flagged when it lights at least half of the core of a
 * group of significant indicators of its label (see {@link #flagCores}).
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
  private static final double CORE_SHARE = 0.9;

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
    context.progress().accept(NAME + ": counting pair indicators");
    byte[][] columns = PixelPairs.columns(train);
    PixelPairs.Counted pairCounts =
        PixelPairs.count(columns, y, labels, width, minDocs, CLIP + MIN_EXCESS - 1e-9, DARK);
    double threshold = Binomial.bonferroniScore(alpha, tested + pairCounts.tested());
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

    // pairs: only those that could pass with the smallest q̄ are tested conditionally
    List<PixelPairs.Pair> pairs =
        pairCounts.pure().stream()
            .filter(pr -> Binomial.score(pr.labelImages(), pr.images(), CLIP) > threshold)
            .toList();
    context
        .progress()
        .accept(
            NAME
                + ": "
                + pairCounts.tested()
                + " pair indicators tested, "
                + pairCounts.pure().size()
                + " pure enough, "
                + pairs.size()
                + " strong enough to test conditionally");
    int[][] pairImages = PixelPairs.images(columns, pairs, width);
    double[] pairScore = new double[pairs.size()];
    boolean[] pairSignificant = new boolean[pairs.size()];
    IntStream.range(0, pairs.size())
        .parallel()
        .forEach(
            j -> {
              PixelPairs.Pair pr = pairs.get(j);
              int m = Math.min(SAMPLE, pairImages[j].length);
              double sum = 0;
              double[] q = new double[labels];
              for (int s = 0; s < m; s++) {
                int i = pairImages[j][s];
                withoutWindow(
                    train.get(i), joint, i, labels, w, absent, pr.position(), width, pixels, q);
                sum += Math.min(1 - CLIP, Math.max(CLIP, q[pr.label()]));
              }
              double qbar = sum / m;
              pairScore[j] = Binomial.score(pr.labelImages(), pr.images(), qbar);
              pairSignificant[j] =
                  pairScore[j] > threshold
                      && (double) pr.labelImages() / pr.images() - qbar >= MIN_EXCESS;
            });

    double[] exampleScores = new double[n];
    boolean[] flagged = new boolean[n];
    int[][] singleImages = new int[features][];
    int[] filled = new int[features];
    for (int f = 0; f < features; f++) {
      singleImages[f] = significant[f] ? new int[df[f]] : null;
    }
    for (int i = 0; i < n; i++) {
      Example e = train.get(i);
      for (int p = 0; p < pixels; p++) {
        int f = feature(e.pixel(p), p);
        if (f >= 0 && significant[f]) {
          singleImages[f][filled[f]++] = i;
          if (top[f] == y[i]) {
            exampleScores[i] += score[f];
          }
        }
      }
    }
    int[] singleLabelImages = new int[features];
    for (int f = 0; f < features; f++) {
      singleLabelImages[f] = counts[f * labels + top[f]];
    }
    flagCores(
        singleGroups(significant, top, width, pixels),
        top,
        singleLabelImages,
        singleImages,
        y,
        1,
        flagged);
    int sigPairs = 0;
    for (int j = 0; j < pairs.size(); j++) {
      if (!pairSignificant[j]) {
        continue;
      }
      sigPairs++;
      for (int i : pairImages[j]) {
        if (y[i] == pairs.get(j).label()) {
          exampleScores[i] += pairScore[j];
        }
      }
    }
    int[] pairLabel = new int[pairs.size()];
    int[] pairLabelImages = new int[pairs.size()];
    for (int j = 0; j < pairs.size(); j++) {
      pairLabel[j] = pairs.get(j).label();
      pairLabelImages[j] = pairs.get(j).labelImages();
    }
    flagCores(
        pairGroups(pairs, pairSignificant, width, pixels),
        pairLabel,
        pairLabelImages,
        pairImages,
        y,
        2,
        flagged);

    int[] topCount = new int[features];
    for (int f = 0; f < features; f++) {
      topCount[f] = counts[f * labels + top[f]];
    }
    List<DetectionDetails.PatchCandidate> patches = new ArrayList<>();
    List<Double> strength = new ArrayList<>();
    Indicators singles = new Indicators(significant, top, score, df, topCount, null);
    patches(2, singles, classSize, n, width, pixels, train.labels(), patches, strength);
    patches(
        1,
        pairPixels(pairs, pairScore, pairSignificant, width, pixels),
        classSize,
        n,
        width,
        pixels,
        train.labels(),
        patches,
        strength);
    int sig = 0;
    for (boolean b : significant) {
      sig += b ? 1 : 0;
    }
    DetectionDetails details =
        new DetectionDetails.PixelAssociation(
            tested,
            minDocs,
            NgramAssociationDetector.round(threshold),
            sig,
            pairCounts.tested(),
            sigPairs,
            List.copyOf(patches.subList(0, Math.min(REPORTED, patches.size()))));
    context
        .progress()
        .accept(NAME + ": " + sig + " significant indicators, " + sigPairs + " significant pairs");
    // the global test: the strongest indicator that meets the detector's own excess rule
    double best = 0;
    for (int f = 0; f < features; f++) {
      if (df[f] >= minDocs && (topCount[f] - expected[f]) / df[f] >= MIN_EXCESS) {
        best = Math.max(best, score[f]);
      }
    }
    for (int j = 0; j < pairs.size(); j++) {
      if (pairSignificant[j]) {
        best = Math.max(best, pairScore[j]);
      }
    }
    int flaggedCount = Filtering.count(flagged);
    DetectionDetails.PatchCandidate first = patches.isEmpty() ? null : patches.get(0);
    boolean holds = sig + sigPairs > 0 && flaggedCount > 0;
    Finding finding =
        Binomial.associationFinding(
            NAME,
            holds,
            best,
            tested + pairCounts.tested(),
            "largest -log10 tail of a pixel indicator's label count given the rest of its images",
            "indicators and pairs",
            flaggedCount,
            first == null
                ? null
                : String.format(
                    java.util.Locale.ROOT,
                    "%s patch %dx%d@%d,%d",
                    first.indicator(),
                    first.width(),
                    first.height(),
                    first.x(),
                    first.y()),
            first == null ? null : first.label());
    if (!holds && sig + sigPairs > 0) {
      finding =
          finding.withNote(
              "associated pixels found, but none is shared by a group of images as a stamped"
                  + " patch would be: the image class's own shape, not a trigger");
    }
    return new Detection(NAME, exampleScores, flagged, details, finding);
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

  /**
   * Flags the images that carry a group's core. A group is a set of significant indicators of one
   * label that belong together: single-pixel indicators of one kind that touch (8-neighbourhood),
   * or pair indicators that share a pixel. Its core is the indicators lit by at least 0.9 times as
   * many images of the label as its most lit one: for a stamped patch, the indicators inside it,
   * which every stamped image lights, rather than those across its edge or those that clean images
   * of the label light by chance. An image of the label is flagged when it lights at least half of
   * a core of at least {@code minCore} indicators. A clean image that shares one bright pixel or
   * one exact pair of values with the patch is thus not flagged, while a stamped image is. Groups
   * of a single pair ({@code minCore} 2 for pairs) flag nothing: one pair can match by chance, a
   * patch of at least 2 × 2 pixels lights several. {@code flagged} is modified; nothing else is.
   *
   * @param label label of each indicator
   * @param labelImages images of that label lighting each indicator
   * @param images the images lighting each indicator (null where not significant)
   */
  private static void flagCores(
      List<List<Integer>> groups,
      int[] label,
      int[] labelImages,
      int[][] images,
      int[] y,
      int minCore,
      boolean[] flagged) {
    int[] hits = new int[y.length];
    for (List<Integer> members : groups) {
      int most = 0;
      for (int j : members) {
        most = Math.max(most, labelImages[j]);
      }
      List<Integer> core = new ArrayList<>();
      for (int j : members) {
        if (labelImages[j] >= CORE_SHARE * most) {
          core.add(j);
        }
      }
      if (core.size() < minCore) {
        continue;
      }
      int l = label[core.get(0)];
      for (int j : core) {
        for (int i : images[j]) {
          hits[i] += y[i] == l ? 1 : 0;
        }
      }
      for (int j : core) {
        for (int i : images[j]) {
          flagged[i] |= 2 * hits[i] >= core.size();
        }
      }
      for (int j : core) {
        for (int i : images[j]) {
          hits[i] = 0;
        }
      }
    }
  }

  /**
   * Significant single-pixel indicators (2p bright, 2p + 1 dark) grouped as in {@link #flagCores}.
   */
  private static List<List<Integer>> singleGroups(
      boolean[] significant, int[] top, int width, int pixels) {
    int height = pixels / width;
    int[] parent = new int[significant.length];
    for (int f = 0; f < parent.length; f++) {
      parent[f] = f;
    }
    for (int f = 0; f < significant.length; f++) {
      if (!significant[f]) {
        continue;
      }
      int r = f / 2 / width;
      int c = f / 2 % width;
      for (int dr = 0; dr <= 1; dr++) {
        for (int dc = -1; dc <= 1; dc++) {
          int rr = r + dr;
          int cc = c + dc;
          if ((dr == 0 && dc <= 0) || rr >= height || cc < 0 || cc >= width) {
            continue;
          }
          int g = 2 * (rr * width + cc) + f % 2;
          if (significant[g] && top[g] == top[f]) {
            parent[root(parent, g)] = root(parent, f);
          }
        }
      }
    }
    return groups(parent, significant);
  }

  /** Significant pair indicators grouped as in {@link #flagCores}. */
  private static List<List<Integer>> pairGroups(
      List<PixelPairs.Pair> pairs, boolean[] significant, int width, int pixels) {
    int height = pixels / width;
    int[] parent = new int[pairs.size()];
    for (int j = 0; j < parent.length; j++) {
      parent[j] = j;
    }
    Map<Long, Integer> firstAt = new HashMap<>();
    for (int j = 0; j < pairs.size(); j++) {
      if (!significant[j]) {
        continue;
      }
      PixelPairs.Pair pr = pairs.get(j);
      int q = PixelPairs.neighbour(pr.position(), pr.direction(), width, height);
      for (int p : new int[] {pr.position(), q}) {
        Integer other = firstAt.putIfAbsent(((long) p << 32) | pr.label(), j);
        if (other != null) {
          parent[root(parent, j)] = root(parent, other);
        }
      }
    }
    return groups(parent, significant);
  }

  private static List<List<Integer>> groups(int[] parent, boolean[] member) {
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int j = 0; j < parent.length; j++) {
      if (member[j]) {
        groups.computeIfAbsent(root(parent, j), g -> new ArrayList<>()).add(j);
      }
    }
    return new ArrayList<>(groups.values());
  }

  private static int root(int[] parent, int j) {
    while (parent[j] != j) {
      parent[j] = parent[parent[j]];
      j = parent[j];
    }
    return j;
  }
}
