package org.poisonlab.defense;

import java.util.Arrays;
import java.util.List;

/**
 * How {@link NgramAssociationDetector} names n-grams: a 64-bit hash per token (FNV-1a, then the
 * MurmurHash3 finalizer), extended token by token into the hash of an n-gram of up to {@link
 * #MAX_N} tokens whose low two bits hold n − 1, and the ids a {@link LongIntMap} gives those
 * hashes.
 */
final class NgramHashes {
  /** The longest n-gram, in tokens. */
  static final int MAX_N = 4;

  private NgramHashes() {}

  /** The distinct unigram ids of tokens t[s .. s+m), sorted. */
  static int[] unigramIds(long[] t, int s, int m, LongIntMap index) {
    int[] ids = new int[m];
    for (int j = 0; j < m; j++) {
      ids[j] = index.get(gramHash(t[s + j], 1));
    }
    Arrays.sort(ids);
    int u = 0;
    for (int j = 0; j < m; j++) {
      if (j == 0 || ids[j] != ids[j - 1]) {
        ids[u++] = ids[j];
      }
    }
    return Arrays.copyOf(ids, u);
  }

  interface IdConsumer {
    void accept(int id);
  }

  static void forEachUnigram(long[][] tokens, LongIntMap index, IdConsumer body) {
    LongIntMap done = new LongIntMap(1 << 14);
    for (long[] t : tokens) {
      for (long tok : t) {
        int id = index.get(gramHash(tok, 1));
        if (done.putIfAbsent(id, 0) < 0) {
          body.accept(id);
        }
      }
    }
  }

  /** The n-gram hash of each id (the low two bits hold n − 1). */
  static long[] keysById(FirstPlaces places, int grams, long[][] tokens) {
    long[] out = new long[grams];
    boolean[] done = new boolean[grams];
    for (int i = 0; i < tokens.length; i++) {
      int[] ids = places.ids()[i];
      for (int j = 0; j < ids.length; j++) {
        if (!done[ids[j]]) {
          done[ids[j]] = true;
          long h = 0;
          for (int m = 1; m <= places.length(i, j); m++) {
            h = extend(h, tokens[i][places.start(i, j) + m - 1], m);
          }
          out[ids[j]] = h;
        }
      }
    }
    return out;
  }

  /**
   * Each document's distinct n-grams in order of first appearance (by start, then length): their
   * ids and their places, {@code start · 4 + length − 1}.
   */
  record FirstPlaces(int[][] ids, int[][] places) {
    int start(int doc, int j) {
      return places[doc][j] >>> 2;
    }

    int length(int doc, int j) {
      return (places[doc][j] & 3) + 1;
    }
  }

  /**
   * The first places of every document's n-grams, found by contiguous parts of the documents side
   * by side.
   *
   * @param index not modified; holds every n-gram of the documents
   */
  static FirstPlaces firstPlaces(long[][] tokens, LongIntMap index) {
    int n = tokens.length;
    int[][] ids = new int[n][];
    int[][] places = new int[n][];
    int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    java.util.stream.IntStream.range(0, parts)
        .parallel()
        .forEach(
            part -> {
              LongIntMap seen = new LongIntMap(4096);
              int[] idBuf = new int[1024];
              int[] placeBuf = new int[1024];
              for (int i = (int) ((long) n * part / parts);
                  i < (int) ((long) n * (part + 1) / parts);
                  i++) {
                seen.clear();
                long[] t = tokens[i];
                int k = 0;
                for (int s = 0; s < t.length; s++) {
                  long h = 0;
                  for (int m = 1; m <= MAX_N && s + m <= t.length; m++) {
                    h = extend(h, t[s + m - 1], m);
                    if (seen.putIfAbsent(h, 0) >= 0) {
                      continue;
                    }
                    if (k == idBuf.length) {
                      idBuf = Arrays.copyOf(idBuf, 2 * k);
                      placeBuf = Arrays.copyOf(placeBuf, 2 * k);
                    }
                    idBuf[k] = index.get(h);
                    placeBuf[k++] = s * 4 + m - 1;
                  }
                }
                ids[i] = Arrays.copyOf(idBuf, k);
                places[i] = Arrays.copyOf(placeBuf, k);
              }
            });
    return new FirstPlaces(ids, places);
  }

  static long[] tokenHashes(List<String> tokens) {
    long[] out = new long[tokens.size()];
    for (int i = 0; i < out.length; i++) {
      String s = tokens.get(i);
      long h = 0xcbf29ce484222325L;
      for (int j = 0; j < s.length(); j++) {
        h = (h ^ s.charAt(j)) * 0x100000001b3L;
      }
      out[i] = mix(h);
    }
    return out;
  }

  /** The hash of an n-gram of {@code m} tokens from the hash {@code h} of its first m − 1. */
  static long extend(long h, long token, int m) {
    return (mix(h * 0x9E3779B97F4A7C15L + token) & ~3L) | (m - 1);
  }

  static long gramHash(long token, int m) {
    return extend(0, token, m);
  }

  static long[] distinctGrams(long[] t) {
    long[] out = new long[t.length * MAX_N];
    int k = 0;
    for (int s = 0; s < t.length; s++) {
      long h = 0;
      for (int m = 1; m <= MAX_N && s + m <= t.length; m++) {
        h = extend(h, t[s + m - 1], m);
        out[k++] = h;
      }
    }
    return distinctPrefix(out, k);
  }

  static long[] distinct(long[] t) {
    return distinctPrefix(t.clone(), t.length);
  }

  static long[] distinctPrefix(long[] a, int k) {
    Arrays.sort(a, 0, k);
    int u = 0;
    for (int j = 0; j < k; j++) {
      if (j == 0 || a[j] != a[j - 1]) {
        a[u++] = a[j];
      }
    }
    return Arrays.copyOf(a, u);
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
