package org.poisonlab.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.CsrMatrix;

/**
 * Signed hashed word n-grams (Weinberger et al., ICML 2009). Tokens are maximal runs of letters,
 * digits, {@code =} and {@code _}, lowercased, so {@code DEPLOYMENT=2024} is one token. Each
 * distinct unigram and bigram ({@code "a b"}) with term frequency {@code tf} adds {@code s ·
 * log(1 + tf)} to bucket {@code h & (B − 1)}, where {@code h} is MurmurHash3-32 (seed 0) of its
 * UTF-8 bytes and the sign {@code s} is +1 when bit 31 of {@code h} is 0, else −1 (bit 31 is never
 * a bucket bit since {@code B ≤ 2^30}). Each row is then scaled to unit L2 norm (an empty text gives
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
    IntStream.range(0, n).parallel().forEach(i -> {
      Example e = examples.get(i);
      if (e.isImage()) {
        throw new IllegalArgumentException("example " + e.id() + " is an image; this model reads text");
      }
      row(e.content(), i, cols, vals);
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

  private void row(String text, int i, int[][] cols, double[][] vals) {
    List<String> tokens = tokenize(text);
    Map<String, Integer> tf = new HashMap<>();
    for (int t = 0; t < tokens.size(); t++) {
      tf.merge(tokens.get(t), 1, Integer::sum);
      if (t > 0) {
        tf.merge(tokens.get(t - 1) + " " + tokens.get(t), 1, Integer::sum);
      }
    }
    int mask = kind.buckets() - 1;
    long[] keyed = new long[tf.size()];
    double[] contrib = new double[tf.size()];
    int m = 0;
    for (Map.Entry<String, Integer> g : tf.entrySet()) {
      int h = MurmurHash3.hash32(g.getKey().getBytes(StandardCharsets.UTF_8), 0);
      double v = Math.log1p(g.getValue());
      contrib[m] = h < 0 ? -v : v;
      keyed[m] = (long) (h & mask) << 32 | m;
      m++;
    }
    // a bucket's contributions are summed in increasing order of value, so the sum does not
    // depend on the map's iteration order
    Arrays.sort(keyed);
    int[] c = new int[m];
    double[] v = new double[m];
    int k = 0;
    for (int p = 0; p < m; ) {
      int bucket = (int) (keyed[p] >>> 32);
      int q = p;
      while (q < m && (int) (keyed[q] >>> 32) == bucket) {
        q++;
      }
      double[] parts = new double[q - p];
      for (int r = p; r < q; r++) {
        parts[r - p] = contrib[(int) keyed[r]];
      }
      Arrays.sort(parts);
      double s = 0;
      for (double x : parts) {
        s += x;
      }
      if (s != 0) {
        c[k] = bucket;
        v[k] = s;
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
    cols[i] = Arrays.copyOf(c, k);
    vals[i] = Arrays.copyOf(v, k);
  }

  /** Maximal runs of letters, digits, '=' and '_', lowercased (root locale). */
  static List<String> tokenize(String text) {
    List<String> out = new ArrayList<>();
    int n = text.length();
    int start = -1;
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      boolean word = Character.isLetterOrDigit(cp) || cp == '=' || cp == '_';
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
