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
  static long[] keysById(LongIntMap index, int grams, long[][] tokens) {
    long[] out = new long[grams];
    for (long[] t : tokens) {
      for (int s = 0; s < t.length; s++) {
        long h = 0;
        for (int m = 1; m <= MAX_N && s + m <= t.length; m++) {
          h = extend(h, t[s + m - 1], m);
          out[index.get(h)] = h;
        }
      }
    }
    return out;
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
