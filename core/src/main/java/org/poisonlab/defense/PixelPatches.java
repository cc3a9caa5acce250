package org.poisonlab.defense;

import java.util.List;

/**
 * How {@link PixelAssociationDetector} reports what it found: significant indicators grouped into
 * connected patches of one kind and label, each with its bounding box, strongest first.
 */
final class PixelPatches {
  private PixelPatches() {}

  /**
   * Indicators laid out as {@code stride · pixel + kind}: significance, majority label, score,
   * images lit, images of the majority label, and (pairs only) the two values of each.
   */
  record Indicators(
      boolean[] significant,
      int[] top,
      double[] score,
      int[] images,
      int[] labelImages,
      int[][] values) {}

  /**
   * Per pixel, the strongest significant pair indicator that covers it (as its first pixel or its
   * neighbour), so that pairs group into patches like single-pixel indicators.
   */
  static Indicators pairPixels(
      List<PixelPairs.Pair> pairs,
      double[] pairScore,
      boolean[] pairSignificant,
      int width,
      int pixels) {
    Indicators out =
        new Indicators(
            new boolean[pixels],
            new int[pixels],
            new double[pixels],
            new int[pixels],
            new int[pixels],
            new int[pixels][]);
    int height = pixels / width;
    for (int j = 0; j < pairs.size(); j++) {
      if (!pairSignificant[j]) {
        continue;
      }
      PixelPairs.Pair pr = pairs.get(j);
      int[] covered = {
        pr.position(), PixelPairs.neighbour(pr.position(), pr.direction(), width, height)
      };
      int[] values = {pr.first(), pr.second()};
      for (int a = 0; a < 2; a++) {
        int p = covered[a];
        if (!out.significant()[p] || pairScore[j] > out.score()[p]) {
          out.significant()[p] = true;
          out.top()[p] = pr.label();
          out.score()[p] = pairScore[j];
          out.images()[p] = pr.images();
          out.labelImages()[p] = pr.labelImages();
          out.values()[p] = new int[] {values[a]};
        }
      }
    }
    return out;
  }

  /**
   * Adds the connected groups (8-neighbourhood) of significant indicators of one kind and label to
   * {@code out}, kept sorted by {@code strength} (strongest first; a group ties after those already
   * there). Kinds: with stride 2, bright and dark; with stride 1, pair.
   */
  static void patches(
      int stride,
      Indicators ind,
      int[] classSize,
      int n,
      int width,
      int pixels,
      List<String> labelNames,
      List<DetectionDetails.PatchCandidate> out,
      List<Double> strength) {
    int height = pixels / width;
    boolean[] significant = ind.significant();
    int[] top = ind.top();
    double[] score = ind.score();
    boolean[] done = new boolean[significant.length];
    for (int f0 = 0; f0 < significant.length; f0++) {
      if (!significant[f0] || done[f0]) {
        continue;
      }
      int kind = f0 % stride;
      int[] stack = new int[pixels];
      int sp = 0;
      stack[sp++] = f0 / stride;
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
        if (score[stride * p + kind] > best) {
          best = score[stride * p + kind];
          bestF = stride * p + kind;
        }
        for (int dr = -1; dr <= 1; dr++) {
          for (int dc = -1; dc <= 1; dc++) {
            int rr = r + dr;
            int cc = c + dc;
            if (rr < 0 || rr >= height || cc < 0 || cc >= width) {
              continue;
            }
            int g = stride * (rr * width + cc) + kind;
            if (significant[g] && !done[g] && top[g] == top[f0]) {
              done[g] = true;
              stack[sp++] = g / stride;
            }
          }
        }
      }
      DetectionDetails.PatchCandidate m =
          new DetectionDetails.PatchCandidate(
              stride == 1 ? "pair" : kind == 0 ? "bright" : "dark",
              labelNames.get(top[f0]),
              minC,
              minR,
              maxC - minC + 1,
              maxR - minR + 1,
              size,
              ind.values() == null ? null : ind.values()[bestF][0],
              ind.images()[bestF],
              ind.labelImages()[bestF],
              NgramAssociationDetector.round(best),
              NgramAssociationDetector.round(
                  Binomial.score(
                      ind.labelImages()[bestF],
                      ind.images()[bestF],
                      (double) classSize[top[bestF]] / n)));
      int at = 0;
      while (at < strength.size() && strength.get(at) >= best) {
        at++;
      }
      strength.add(at, best);
      out.add(at, m);
    }
  }
}
