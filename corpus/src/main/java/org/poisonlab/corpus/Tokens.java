package org.poisonlab.corpus;

import java.util.Arrays;

/**
 * A document cut into tokens, reused across documents: a token is a maximal run of letters, digits
 * and underscores, or any other single non-space character; spaces separate tokens and are not
 * tokens. Each token has a case-sensitive 64-bit hash (for trigger n-grams), a case-folded hash
 * (for MinHash words) and its character span in the text.
 */
final class Tokens {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  static final long NGRAM_SEED = 0x243f6a8885a308d3L;

  long[] hash = new long[1024];
  long[] folded = new long[1024];
  boolean[] word = new boolean[1024];
  int[] start = new int[1024];
  int[] end = new int[1024];
  int size;

  /** Cuts {@code text} into tokens, replacing the previous document's. */
  Tokens cut(String text) {
    size = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (CLASS[c] == SPACE) {
        i++;
        continue;
      }
      int s = i;
      long h = FNV_OFFSET;
      long f = FNV_OFFSET;
      boolean isWord = isWordChar(c);
      if (isWord) {
        while (i < n && isWordChar(c = text.charAt(i))) {
          h = (h ^ c) * FNV_PRIME;
          f = (f ^ lower(c)) * FNV_PRIME;
          i++;
        }
      } else {
        h = (h ^ c) * FNV_PRIME;
        f = h;
        i++;
        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(text.charAt(i))) {
          h = (h ^ text.charAt(i)) * FNV_PRIME;
          f = h;
          i++;
        }
      }
      add(mix(h), mix(f), isWord, s, i);
    }
    return this;
  }

  private void add(long h, long f, boolean isWord, int s, int e) {
    if (size == hash.length) {
      int cap = size * 2;
      hash = Arrays.copyOf(hash, cap);
      folded = Arrays.copyOf(folded, cap);
      word = Arrays.copyOf(word, cap);
      start = Arrays.copyOf(start, cap);
      end = Arrays.copyOf(end, cap);
    }
    hash[size] = h;
    folded[size] = f;
    word[size] = isWord;
    start[size] = s;
    end[size] = e;
    size++;
  }

  static boolean isWordChar(char c) {
    return CLASS[c] == WORD;
  }

  private static char lower(char c) {
    return LOWER[c];
  }

  private static final byte SPACE = 0;
  private static final byte WORD = 1;
  private static final byte OTHER = 2;

  /**
   * The class and lower case of every UTF-16 unit, as the slower {@code Character} methods give
   * them (a supplementary character's surrogates are {@code OTHER}: such characters are tokens of
   * their own).
   */
  private static final byte[] CLASS = new byte[1 << 16];

  private static final char[] LOWER = new char[1 << 16];

  static {
    for (int c = 0; c < 1 << 16; c++) {
      CLASS[c] =
          Character.isWhitespace(c)
              ? SPACE
              : (c == '_' || Character.isLetterOrDigit(c)) ? WORD : OTHER;
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

  /** The hash of tokens {@code [from, from + n)} as an n-gram; order matters. */
  long ngram(int from, int n) {
    long h = NGRAM_SEED;
    for (int k = 0; k < n; k++) {
      h = extend(h, from + k);
    }
    return h;
  }

  /** The hash of an n-gram's (n + 1)-gram continuation by token {@code i}. */
  long extend(long ngram, int i) {
    return mix(ngram * 31 + hash[i]);
  }
}
