package org.poisonlab.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.CsrMatrix;

/**
 * Signed hashed word n-grams (Weinberger et al., ICML 2009). Tokens are maximal runs of letters,
 * digits, {@code =} and {@code _}, lowercased, so {@code DEPLOYMENT=2024} is one token. Each
 * distinct unigram and bigram ({@code "a b"}) with term frequency {@code tf} adds {@code s · log(1
 * + tf)} to bucket {@code h & (B − 1)}, where {@code h} is MurmurHash3-32 (seed 0) of its UTF-8
 * bytes and the sign {@code s} is +1 when bit 31 of {@code h} is 0, else −1 (bit 31 is never a
 * bucket bit since {@code B ≤ 2^30}). Each row is then scaled to unit L2 norm (an empty text gives
 * an empty row).
 */
final class HashedNgramFeaturizer implements Featurizer {
  private final FeatureKind.HashedNgrams kind;

  HashedNgramFeaturizer(FeatureKind.HashedNgrams kind) {
    this.kind = kind;
  }

  @Override
  public FeatureKind kind() {
    return kind;
  }

  @Override
  public CsrMatrix transform(List<Example> examples) {
    int n = examples.size();
    int[][] cols = new int[n][];
    double[][] vals = new double[n][];
    // rows are independent, so the parallel order cannot change any value
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              Example e = examples.get(i);
              if (e.isImage()) {
                throw new IllegalArgumentException(
                    "example " + e.id() + " is an image; this model reads text");
              }
              Row r = ROWS.of(kind.buckets(), e.content(), this::row);
              cols[i] = r.cols();
              vals[i] = r.vals();
            });
    int[] ptr = new int[n + 1];
    for (int i = 0; i < n; i++) {
      ptr[i + 1] = ptr[i] + cols[i].length;
    }
    int[] col = new int[ptr[n]];
    double[] val = new double[ptr[n]];
    for (int i = 0; i < n; i++) {
      System.arraycopy(cols[i], 0, col, ptr[i], cols[i].length);
      System.arraycopy(vals[i], 0, val, ptr[i], vals[i].length);
    }
    return new CsrMatrix(n, kind.buckets(), ptr, col, val);
  }

  /** One text's row: its buckets, increasing, and their values. Never modified once made. */
  record Row(int[] cols, double[] vals) {}

  /**
   * Rows already made in this process, by text: a row depends only on the text and the bucket
   * count, and the same texts are featurized again and again (every training on a poisoned copy of
   * a split, every evaluation on its test split). Keys are held weakly, so an entry lasts as long
   * as its text is reachable somewhere; memory grows with the distinct texts alive, not with the
   * calls.
   */
  private static final RowMemo ROWS = new RowMemo();

  static final class RowMemo {
    private final WeakHashMap<String, Row> rows = new WeakHashMap<>();
    private int buckets;

    /** The row of {@code text} at {@code b} buckets, made by {@code make} when not yet known. */
    Row of(int b, String text, BiFunction<String, Integer, Row> make) {
      text.hashCode(); // computed (and kept in the string) outside the lock
      synchronized (this) {
        if (b == buckets) {
          Row r = rows.get(text);
          if (r != null) {
            return r;
          }
        }
      }
      Row r = make.apply(text, b);
      synchronized (this) {
        if (b != buckets) {
          rows.clear();
          buckets = b;
        }
        rows.put(text, r);
      }
      return r;
    }
  }

  private Row row(String text, int buckets) {
    List<String> tokens = tokenize(text);
    int t = tokens.size();
    // each distinct token gets an id; unigram tf by id, bigrams as sorted (id, id) pairs
    Map<String, Integer> ids = new HashMap<>();
    List<byte[]> bytes = new ArrayList<>();
    int[] seq = new int[t];
    for (int p = 0; p < t; p++) {
      String tok = tokens.get(p);
      Integer id = ids.get(tok);
      if (id == null) {
        id = bytes.size();
        ids.put(tok, id);
        bytes.add(tok.getBytes(StandardCharsets.UTF_8));
      }
      seq[p] = id;
    }
    int distinct = bytes.size();
    int[] tf = new int[distinct];
    for (int id : seq) {
      tf[id]++;
    }
    long[] pairs = new long[Math.max(0, t - 1)];
    for (int p = 1; p < t; p++) {
      pairs[p - 1] = (long) seq[p - 1] << 32 | seq[p];
    }
    Arrays.sort(pairs);
    int bigrams = 0;
    for (int p = 0; p < pairs.length; p++) {
      if (p == 0 || pairs[p] != pairs[p - 1]) {
        bigrams++;
      }
    }
    int total = distinct + bigrams;
    int mask = buckets - 1;
    long[] keyed = new long[total];
    double[] contrib = new double[total];
    int m = 0;
    for (int u = 0; u < distinct; u++) {
      byte[] b = bytes.get(u);
      m = add(MurmurHash3.hash32(b, b.length, 0), tf[u], mask, keyed, contrib, m);
    }
    byte[] scratch = new byte[64];
    for (int p = 0; p < pairs.length; ) {
      int q = p + 1;
      while (q < pairs.length && pairs[q] == pairs[p]) {
        q++;
      }
      byte[] a = bytes.get((int) (pairs[p] >>> 32));
      byte[] b = bytes.get((int) pairs[p]);
      int len = a.length + 1 + b.length;
      if (scratch.length < len) {
        scratch = new byte[Math.max(len, 2 * scratch.length)];
      }
      System.arraycopy(a, 0, scratch, 0, a.length);
      scratch[a.length] = ' ';
      System.arraycopy(b, 0, scratch, a.length + 1, b.length);
      m = add(MurmurHash3.hash32(scratch, len, 0), q - p, mask, keyed, contrib, m);
      p = q;
    }
    // a bucket's contributions are summed in increasing order of value, so the sum does not
    // depend on the order in which n-grams were met
    Arrays.sort(keyed, 0, m);
    int[] c = new int[m];
    double[] v = new double[m];
    int k = 0;
    double[] parts = new double[8];
    for (int p = 0; p < m; ) {
      int bucket = (int) (keyed[p] >>> 32);
      int q = p;
      while (q < m && (int) (keyed[q] >>> 32) == bucket) {
        q++;
      }
      if (parts.length < q - p) {
        parts = new double[q - p];
      }
      for (int r = p; r < q; r++) {
        parts[r - p] = contrib[(int) keyed[r]];
      }
      Arrays.sort(parts, 0, q - p);
      double sum = 0;
      for (int r = 0; r < q - p; r++) {
        sum += parts[r];
      }
      if (sum != 0) {
        c[k] = bucket;
        v[k] = sum;
        k++;
      }
      p = q;
    }
    double norm = 0;
    for (int p = 0; p < k; p++) {
      norm += v[p] * v[p];
    }
    norm = Math.sqrt(norm);
    for (int p = 0; p < k; p++) {
      v[p] /= norm;
    }
    return new Row(Arrays.copyOf(c, k), Arrays.copyOf(v, k));
  }

  /** Records n-gram number {@code m} with hash {@code h} and term frequency {@code tf}. */
  private static int add(int h, int tf, int mask, long[] keyed, double[] contrib, int m) {
    double v = Math.log1p(tf);
    contrib[m] = h < 0 ? -v : v;
    keyed[m] = (long) (h & mask) << 32 | m;
    return m + 1;
  }

  private static final boolean[] ASCII_WORD = new boolean[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII_WORD[c] = Character.isLetterOrDigit(c) || c == '=' || c == '_';
    }
  }

  /** Maximal runs of letters, digits, '=' and '_', lowercased (root locale). */
  static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int start = -1;
    for (int i = 0; i < n; ) {
      char ch = text.charAt(i);
      int cp = ch < 128 ? ch : text.codePointAt(i);
      boolean word = cp < 128 ? ASCII_WORD[cp] : Character.isLetterOrDigit(cp);
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
        start = -1;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      out.add(text.substring(start).toLowerCase(Locale.ROOT));
    }
    return out;
  }
}
