package org.poisonlab.defense;

import static org.poisonlab.defense.NgramHashes.MAX_N;
import static org.poisonlab.defense.NgramHashes.gramHash;

import java.util.Arrays;

/**
 * The naive Bayes expectations of {@link NgramAssociationDetector}: the label probabilities of a
 * document without an n-gram's tokens, and the expected label count of an n-gram's documents under
 * a model refitted without them. Probabilities are clipped to [{@value #CLIP}, 1 − {@value #CLIP}].
 */
final class NaiveBayesLeaveOut {
  /** The clip of a document's probability of the n-gram's label. */
  static final double CLIP = 0.1;

  private NaiveBayesLeaveOut() {}

  /** Scratch space for the distinct tokens of one n-gram. */
  static final class Gram {
    final int[] ids = new int[MAX_N];
  }

  /** P(label | document i without the tokens t[s .. s+m)), into {@code out}. */
  static double[] leaveOut(
      double[] joint,
      int i,
      int labels,
      long[] t,
      int s,
      int m,
      LongIntMap index,
      double[] w,
      Gram gram,
      double[] out) {
    int distinct = 0;
    outer:
    for (int j = s; j < s + m; j++) {
      int id = index.get(gramHash(t[j], 1));
      for (int d = 0; d < distinct; d++) {
        if (gram.ids[d] == id) {
          continue outer;
        }
      }
      gram.ids[distinct++] = id;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < labels; c++) {
      double v = joint[i * labels + c];
      for (int d = 0; d < distinct; d++) {
        v -= w[gram.ids[d] * labels + c];
      }
      out[c] = v;
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int c = 0; c < labels; c++) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (int c = 0; c < labels; c++) {
      out[c] /= sum;
    }
    return out;
  }

  /**
   * The expected count of n-gram {@code id}'s label among its documents, each predicted by naive
   * Bayes refitted without the n-gram's documents and without its tokens, estimated on {@code
   * count} sampled documents (their token counts scaled to all the n-gram's documents).
   */
  static double expectedWithoutDocuments(
      int id,
      int[] docs,
      int count,
      int[] gram,
      int[][] docUnigrams,
      int[] y,
      int[] counts,
      int[] df,
      int[] top,
      int[] classSize,
      long[] tokenTotal,
      int vocabulary,
      int n,
      int labels,
      int[] slot,
      double[] perDocument) {
    double scale = (double) df[id] / count;
    int[] localIds = new int[4096];
    int[] inSample = new int[4096 * labels];
    int size = 0;
    for (int j = 0; j < count; j++) {
      int d = docs[j];
      for (int u : docUnigrams[d]) {
        int li = slot[u];
        if (li < 0) {
          li = size++;
          slot[u] = li;
          if (size > localIds.length) {
            localIds = Arrays.copyOf(localIds, size * 2);
            inSample = Arrays.copyOf(inSample, size * 2 * labels);
          }
          localIds[li] = u;
        }
        inSample[li * labels + y[d]]++;
      }
    }
    double[] base = new double[labels];
    double[] w = new double[size * labels];
    double[] rest = new double[labels];
    long[] removedTokens = new long[labels];
    for (int j = 0; j < count; j++) {
      removedTokens[y[docs[j]]] += docUnigrams[docs[j]].length;
    }
    for (int c = 0; c < labels; c++) {
      int nc = classSize[c] - counts[id * labels + c];
      base[c] = Math.log((nc + 1.0) / (n - df[id] + labels));
      double denominator = tokenTotal[c] - Math.round(removedTokens[c] * scale) + vocabulary;
      for (int li = 0; li < size; li++) {
        int u = localIds[li];
        int all = counts[u * labels + c];
        int gone = (int) Math.min(all, Math.round(inSample[li * labels + c] * scale));
        w[li * labels + c] = Math.log((all - gone + 1.0) / denominator);
      }
    }
    double sum = 0;
    for (int j = 0; j < count; j++) {
      int d = docs[j];
      System.arraycopy(base, 0, rest, 0, labels);
      for (int u : docUnigrams[d]) {
        if (Arrays.binarySearch(gram, u) >= 0) {
          continue;
        }
        int li = slot[u];
        for (int c = 0; c < labels; c++) {
          rest[c] += w[li * labels + c];
        }
      }
      double max = Double.NEGATIVE_INFINITY;
      for (double v : rest) {
        max = Math.max(max, v);
      }
      double z = 0;
      for (int c = 0; c < labels; c++) {
        z += Math.exp(rest[c] - max);
      }
      double q = Math.exp(rest[top[id]] - max) / z;
      perDocument[j] = Math.min(1 - CLIP, Math.max(CLIP, q));
      sum += perDocument[j];
    }
    for (int li = 0; li < size; li++) {
      slot[localIds[li]] = -1;
    }
    return sum * scale;
  }
}
