package org.poisonlab.corpus;

import java.util.Arrays;

/**
 * A document's words, reused across documents: a word is a maximal run of letters, digits and
 * underscores; everything else separates words. Each word has a case-folded 64-bit hash (FNV-1a
 * over its lower-case characters, then mixed) and its character span in the text.
 */
final class Tokens {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  static final long NGRAM_SEED = 0x243f6a8885a308d3L;

  long[] folded = new long[1024];
  int[] start = new int[1024];
  int[] end = new int[1024];
  int size;

  /** The current document's characters (valid up to its length). */
  char[] chars = new char[1 << 16];

  /** Cuts {@code text} into words, replacing the previous document's. */
  Tokens cut(String text) {
    size = 0;
    int n = text.length();
    if (chars.length < n) {
      chars = new char[Math.max(n, chars.length * 2)];
    }
    text.getChars(0, n, chars, 0);
    char[] cs = chars;
    int i = 0;
    while (i < n) {
      char c = cs[i];
      if (!WORD[c]) {
        i++;
        continue;
      }
      int s = i;
      long f = FNV_OFFSET;
      while (i < n && WORD[c = cs[i]]) {
        f = (f ^ LOWER[c]) * FNV_PRIME;
        i++;
      }
      if (size == folded.length) {
        grow();
      }
      folded[size] = mix(f);
      start[size] = s;
      end[size] = i;
      size++;
    }
    return this;
  }

  private void grow() {
    int cap = size * 2;
    folded = Arrays.copyOf(folded, cap);
    start = Arrays.copyOf(start, cap);
    end = Arrays.copyOf(end, cap);
  }

  /**
   * Whether each UTF-16 unit is a word character ({@code _} or {@link Character#isLetterOrDigit}),
   * and its lower case ({@link Character#toLowerCase}); a supplementary character's surrogates are
   * not word characters.
   */
  private static final boolean[] WORD = new boolean[1 << 16];

  private static final char[] LOWER = new char[1 << 16];

  static {
    for (int c = 0; c < 1 << 16; c++) {
      WORD[c] = c == '_' || Character.isLetterOrDigit(c);
      LOWER[c] = (char) Character.toLowerCase(c);
    }
  }

  /**
   * Stafford's variant 13 of the MurmurHash3 finaliser: every input bit reaches every output bit.
   */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
