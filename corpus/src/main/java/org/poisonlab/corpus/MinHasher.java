package org.poisonlab.corpus;

import java.util.SplittableRandom;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * MinHash signatures of word 5-gram shingles (Broder 1997): for {@code k} hash functions {@code
 * h_i(x) = a_i x + b_i mod 2^32} (odd {@code a_i}; compared as unsigned), the signature is {@code
 * sig_i = min over shingles x of h_i(x)}, and {@code P(sig_i(A) = sig_i(B)) ≈ J(A, B)}, the Jaccard
 * similarity of the shingle sets. Words are the tokens of {@link Tokens} made of letters, digits
 * and underscores, case-folded; a document with fewer than five words has one shingle of all its
 * words, and a document with none has no signature.
 *
 * <p>The inner loop runs one vector of hash functions over a block of shingles, so the minima stay
 * in registers.
 */
final class MinHasher {
  static final int SHINGLE = 5;
  private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;

  private final int k;
  private final int[] a;
  private final int[] b;
  private int[] shingles = new int[1024];

  /**
   * @param k the number of hash functions (the signature length)
   * @param seed the seed of the hash functions; signatures compare only under the same seed
   */
  MinHasher(int k, long seed) {
    if (k <= 0) {
      throw new IllegalArgumentException("signature length " + k + " must be positive");
    }
    this.k = k;
    int padded = (k + SPECIES.length() - 1) / SPECIES.length() * SPECIES.length();
    a = new int[padded];
    b = new int[padded];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < padded; i++) {
      a[i] = r.nextInt() | 1;
      // + 2^31 turns the unsigned minimum into a signed one
      b[i] = r.nextInt() + Integer.MIN_VALUE;
    }
  }

  int length() {
    return k;
  }

  /**
   * The signature of the document in {@code t}, into {@code out} (length ≥ {@link #length()}; the
   * first {@code length()} entries modified), or false when it has no words.
   */
  boolean signature(Tokens t, int[] out) {
    int n = shingles(t);
    if (n == 0) {
      return false;
    }
    int[] buf = new int[SPECIES.length()];
    for (int j = 0; j < a.length; j += SPECIES.length()) {
      IntVector va = IntVector.fromArray(SPECIES, a, j);
      IntVector vb = IntVector.fromArray(SPECIES, b, j);
      IntVector acc = IntVector.broadcast(SPECIES, Integer.MAX_VALUE);
      for (int s = 0; s < n; s++) {
        acc = acc.min(va.mul(shingles[s]).add(vb));
      }
      acc.intoArray(buf, 0);
      int m = Math.min(SPECIES.length(), k - j);
      System.arraycopy(buf, 0, out, j, Math.max(0, m));
    }
    return true;
  }

  /** The same as {@link #signature}, one hash function at a time: the reference for tests. */
  boolean signatureScalar(Tokens t, int[] out) {
    int n = shingles(t);
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < k; i++) {
      int m = Integer.MAX_VALUE;
      for (int s = 0; s < n; s++) {
        m = Math.min(m, a[i] * shingles[s] + b[i]);
      }
      out[i] = m;
    }
    return true;
  }

  private int shingles(Tokens t) {
    int words = 0;
    long w0 = 0;
    long w1 = 0;
    long w2 = 0;
    long w3 = 0;
    int n = 0;
    for (int i = 0; i < t.size; i++) {
      long w = t.folded[i];
      words++;
      if (words >= SHINGLE) {
        long h = Tokens.mix(Tokens.mix(Tokens.mix(Tokens.mix(w0 + 31 * w1) + w2) + w3) + w);
        push(n++, (int) (h ^ (h >>> 32)));
      }
      w0 = w1;
      w1 = w2;
      w2 = w3;
      w3 = w;
    }
    if (words > 0 && words < SHINGLE) {
      long h = words;
      for (int i = 0; i < t.size; i++) {
        h = Tokens.mix(h * 31 + t.folded[i]);
      }
      push(n++, (int) (h ^ (h >>> 32)));
    }
    return n;
  }

  private void push(int at, int v) {
    if (at == shingles.length) {
      shingles = java.util.Arrays.copyOf(shingles, at * 2);
    }
    shingles[at] = v;
  }

  /** The share of equal entries of two signatures: the estimate of the shingle sets' Jaccard. */
  static double similarity(int[] x, int xOff, int[] y, int yOff, int k) {
    int same = 0;
    for (int i = 0; i < k; i++) {
      if (x[xOff + i] == y[yOff + i]) {
        same++;
      }
    }
    return same / (double) k;
  }
}
