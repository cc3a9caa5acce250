package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * Exact-value pair indicators of an image set, the features that let {@link
 * PixelAssociationDetector} see patches over textured content.
 *
 * <p>Indicator {@code (p, d, a, b)} is lit in an image whose pixel {@code p} holds exactly the
 * value {@code a} and whose neighbour of {@code p} in direction {@code d} (right, down, down-right,
 * down-left) holds exactly {@code b}. A stamped patch, solid or any fixed pattern, lights the same
 * indicators in every image that carries it; textured content (garments, faces) rarely repeats an
 * exact pair of values at one place, so where a bright or dark pixel is common the pair is still
 * rare. Nothing here knows a patch's value, size or shape.
 */
final class PixelPairs {
  /** The directions of a pair as (row step, column step): right, down, down-right, down-left. */
  static final int[][] STEPS = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};

  private static final int VALUES = 256 * 256;

  private PixelPairs() {}

  /**
   * One pair indicator with its counts: lit in {@code images} images, {@code labelImages} of them
   * carrying {@code label}, the label most of them carry.
   */
  record Pair(
      int position, int direction, int first, int second, int label, int labelImages, int images) {
    long key() {
      return PixelPairs.key(position, direction, first, second);
    }
  }

  /**
   * The result of counting: {@code tested} indicators lit in at least the minimum number of images,
   * and among them those whose majority share reaches the asked purity, in a fixed order.
   */
  record Counted(long tested, List<Pair> pure) {}

  /**
   * The images' pixels by position: element p holds pixel p of every image, in dataset order (so
   * the counting reads memory in order). Memory: one byte per pixel of the set.
   */
  static byte[][] columns(Dataset train) {
    int n = train.size();
    int pixels = train.get(0).pixelCount();
    byte[][] out = new byte[pixels][n];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              Example e = train.get(i);
              for (int p = 0; p < pixels; p++) {
                out[p][i] = (byte) e.pixel(p);
              }
            });
    return out;
  }

  /** A nonzero key of indicator {@code (p, d, a, b)}. */
  static long key(int p, int d, int a, int b) {
    return ((((long) p * STEPS.length + d) << 16) | (a << 8) | b) + 1;
  }

  /** The neighbour of {@code p} in direction {@code d}, or -1 outside the image. */
  static int neighbour(int p, int d, int width, int height) {
    int r = p / width + STEPS[d][0];
    int c = p % width + STEPS[d][1];
    return r < 0 || r >= height || c < 0 || c >= width ? -1 : r * width + c;
  }

  /**
   * Counts every pair indicator of the images in {@code columns} (from {@link #columns}; not
   * modified). Memory per worker thread: two tables of 65,536 ints, one int per image, and label
   * counts of the pairs tested at one place; time {@code O(n · pixels · 4)}.
   *
   * @param y label index of every image (not modified)
   * @param minImages the least number of images an indicator must light to be tested
   * @param minPurity the least share {@code labelImages / images} of a returned indicator
   * @param dark pairs of two values at most this are neither tested nor returned (two dark pixels
   *     are the background, or a dark patch that single-pixel dark indicators see)
   */
  static Counted count(
      byte[][] columns, int[] y, int labels, int width, int minImages, double minPurity, int dark) {
    int n = y.length;
    int pixels = columns.length;
    int height = pixels / width;
    ThreadLocal<int[][]> buffers =
        ThreadLocal.withInitial(
            () -> new int[][] {new int[VALUES], new int[VALUES], new int[n], new int[0]});
    List<List<Pair>> perPosition = new ArrayList<>();
    long[] tested = new long[pixels];
    IntStream.range(0, pixels)
        .parallel()
        .mapToObj(
            p -> {
              int[][] b = buffers.get();
              int[] df = b[0];
              int[] slot = b[1];
              int[] values = b[2];
              List<Pair> out = new ArrayList<>();
              for (int d = 0; d < STEPS.length; d++) {
                int q = neighbour(p, d, width, height);
                if (q < 0) {
                  continue;
                }
                // pass 1: images per value pair, in a table that stays in cache
                int t = 0;
                byte[] first = columns[p];
                byte[] second = columns[q];
                for (int i = 0; i < n; i++) {
                  int v = ((first[i] & 0xFF) << 8) | (second[i] & 0xFF);
                  values[i] = v;
                  if (df[v]++ == 0) {
                    slot[v] = -1;
                  }
                }
                // pass 2: label counts only for pairs lit often enough, in order of first sight
                int[] kept = new int[16];
                for (int i = 0; i < n; i++) {
                  int v = values[i];
                  if (df[v] >= minImages && slot[v] < 0) {
                    if (t == kept.length) {
                      kept = Arrays.copyOf(kept, 2 * t);
                    }
                    slot[v] = t;
                    kept[t++] = v;
                  }
                }
                int[] counts = b[3].length >= t * labels ? b[3] : new int[t * labels];
                b[3] = counts;
                Arrays.fill(counts, 0, t * labels, 0);
                for (int i = 0; i < n; i++) {
                  int v = values[i];
                  if (df[v] >= minImages) {
                    counts[slot[v] * labels + y[i]]++;
                  }
                }
                for (int j = 0; j < t; j++) {
                  int v = kept[j];
                  if ((v >>> 8) <= dark && (v & 0xFF) <= dark) {
                    continue;
                  }
                  tested[p]++;
                  int top = 0;
                  for (int c = 1; c < labels; c++) {
                    if (counts[j * labels + c] > counts[j * labels + top]) {
                      top = c;
                    }
                  }
                  int k = counts[j * labels + top];
                  if (k >= minPurity * df[v]) {
                    out.add(new Pair(p, d, v >>> 8, v & 0xFF, top, k, df[v]));
                  }
                }
                for (int i = 0; i < n; i++) {
                  df[values[i]] = 0;
                }
              }
              return out;
            })
        .forEachOrdered(perPosition::add);
    List<Pair> pure = new ArrayList<>();
    perPosition.forEach(pure::addAll);
    return new Counted(Arrays.stream(tested).sum(), pure);
  }

  /**
   * The images that light each of {@code pairs}, in dataset order: element j lists the images of
   * pair j. {@code columns} as from {@link #columns}; not modified.
   */
  static int[][] images(byte[][] columns, List<Pair> pairs, int width) {
    int pixels = columns.length;
    int n = columns[0].length;
    int height = pixels / width;
    LongIntMap index = new LongIntMap(Math.max(16, pairs.size()));
    boolean[] watched = new boolean[pixels * STEPS.length];
    for (int j = 0; j < pairs.size(); j++) {
      Pair pr = pairs.get(j);
      index.putIfAbsent(pr.key(), j);
      watched[pr.position() * STEPS.length + pr.direction()] = true;
    }
    int[][] lists = new int[pairs.size()][];
    int[] sizes = new int[pairs.size()];
    for (int j = 0; j < lists.length; j++) {
      lists[j] = new int[pairs.get(j).images()];
    }
    for (int w = 0; w < watched.length; w++) {
      if (!watched[w]) {
        continue;
      }
      int p = w / STEPS.length;
      int d = w % STEPS.length;
      byte[] first = columns[p];
      byte[] second = columns[neighbour(p, d, width, height)];
      for (int i = 0; i < n; i++) {
        int j = index.get(key(p, d, first[i] & 0xFF, second[i] & 0xFF));
        if (j >= 0) {
          lists[j][sizes[j]++] = i;
        }
      }
    }
    return lists;
  }
}
