package org.poisonlab.corpus;

import java.util.HashSet;
import java.util.Set;

/**
 * Word shingles: the set of every run of {@code n} consecutive words (maximal runs of
 * non-whitespace characters), each kept as a 64-bit FNV-1a hash of its words. The Jaccard
 * similarity of two texts is {@code |A ∩ B| / |A ∪ B|} over their shingle sets (Broder 1997, "On
 * the resemblance and containment of documents"); two texts with no shingle (fewer than {@code n}
 * words each) have similarity 1 when equal and 0 otherwise.
 */
final class Shingles {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private Shingles() {}

  /** The hashed {@code n}-word shingles of {@code text}. */
  static Set<Long> of(String text, int n) {
    String[] words = words(text);
    Set<Long> out = new HashSet<>(Math.max(16, words.length * 2));
    long[] wordHash = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      wordHash[i] = fnv(words[i]);
    }
    for (int i = 0; i + n <= words.length; i++) {
      long h = FNV_OFFSET;
      for (int j = i; j < i + n; j++) {
        h = (h ^ wordHash[j]) * FNV_PRIME;
      }
      out.add(h);
    }
    return out;
  }

  static double jaccard(String a, String b, int n) {
    Set<Long> sa = of(a, n);
    Set<Long> sb = of(b, n);
    if (sa.isEmpty() && sb.isEmpty()) {
      return a.equals(b) ? 1.0 : 0.0;
    }
    int common = 0;
    for (Long h : sa) {
      if (sb.contains(h)) {
        common++;
      }
    }
    return (double) common / (sa.size() + sb.size() - common);
  }

  static String[] words(String text) {
    String t = text.strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }

  private static long fnv(String s) {
    long h = FNV_OFFSET;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    return h;
  }
}
