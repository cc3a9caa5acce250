package org.poisonlab.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.poisonlab.defense.Binomial;

/**
 * Templated injection: many documents that share their first and last {@link
 * DocumentFeatures#EDGE_WORDS} words with different bodies between, spread thinly over many sources
 * (spam with a fixed header and footer, written into many sites).
 *
 * <p>Test: among the {@code N} documents long enough to have a body, {@code n_a} start with prefix
 * {@code a} and {@code n_b} end with suffix {@code b}; if beginnings and endings were independent,
 * the {@code k} documents with both would follow {@code Binomial(n_a, n_b / N)}. The p-value is its
 * upper tail at {@code k}, Bonferroni over the pairs tested ({@code k ≥ minSupport}). A finding
 * also needs the pair to hold at least half of the prefix's and of the suffix's documents (a header
 * and footer written together, where a file type's usual opening meets many endings), varied bodies
 * (at least 80 % of the {@code k} in different near-duplicate clusters: copies are the
 * deduplicator's business), documents from at least {@code minSources} sources, and a thin spread
 * (at least one source per two documents): a project's own generated files share a header and a
 * footer too, but they sit in that project.
 */
final class TemplatedFindings {
  /** The text of a document by global index, read again for a finding's name. */
  interface Texts {
    String of(int global) throws IOException;
  }

  /** The share of a prefix's (and a suffix's) documents that must carry the pair. */
  static final double MIN_SHARE = 0.5;

  private TemplatedFindings() {}

  static List<ScanFinding> find(
      ScanSignatures s, int[] clusterRoot, CorpusScanSettings settings, Texts texts)
      throws IOException {
    int n = s.documents();
    int bits = 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1));
    long low = (1L << bits) - 1;
    long[] packed = new long[n];
    long[] prefixes = new long[n];
    long[] suffixes = new long[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (s.prefix[i] != 0) {
        packed[m] = (Tokens.mix(s.prefix[i] * 31 + s.suffix[i]) & ~low) | i;
        prefixes[m] = s.prefix[i];
        suffixes[m] = s.suffix[i];
        m++;
      }
    }
    Arrays.sort(packed, 0, m);
    Arrays.sort(prefixes, 0, m);
    Arrays.sort(suffixes, 0, m);
    List<int[]> groups = new ArrayList<>();
    for (int a = 0; a < m; ) {
      int b = a + 1;
      while (b < m && (packed[b] & ~low) == (packed[a] & ~low)) {
        b++;
      }
      if (b - a >= settings.minSupport()) {
        int[] g = new int[b - a];
        for (int i = a; i < b; i++) {
          g[i - a] = (int) (packed[i] & low);
        }
        groups.add(g);
      }
      a = b;
    }
    List<ScanFinding> out = new ArrayList<>();
    for (int[] g : groups) {
      int first = g[0];
      long na = count(prefixes, m, s.prefix[first]);
      long nb = count(suffixes, m, s.suffix[first]);
      double score =
          Binomial.score(g.length, (int) Math.min(Integer.MAX_VALUE, na), nb / (double) m);
      double p = Binomial.bonferroniP(score, groups.size());
      Set<Integer> roots = new HashSet<>();
      Set<Long> sources = new HashSet<>();
      for (int d : g) {
        roots.add(clusterRoot[d]);
        sources.add(s.source[d]);
      }
      if (p > settings.alpha()
          || g.length < MIN_SHARE * Math.max(na, nb)
          || roots.size() < 0.8 * g.length
          || sources.size() < settings.minSources()
          || 2 * sources.size() < g.length) {
        continue;
      }
      long[] keys = new long[g.length];
      for (int i = 0; i < g.length; i++) {
        keys[i] = s.key(g[i]);
      }
      Arrays.sort(keys);
      out.add(
          new ScanFinding(
              new CorpusFinding(
                  "templated",
                  name(texts.of(first)),
                  g.length,
                  p,
                  List.of(),
                  sources.size(),
                  na,
                  "documents that begin and end with these words, against independent beginnings"
                      + " and endings (binomial tail, Bonferroni over "
                      + groups.size()
                      + " pairs)"),
              keys));
    }
    return out;
  }

  private static long count(long[] sorted, int m, long v) {
    return bound(sorted, m, v, true) - bound(sorted, m, v, false);
  }

  /** The first index whose value is above {@code v} (or, when not {@code above}, at least it). */
  private static int bound(long[] a, int m, long v, boolean above) {
    int lo = 0;
    int hi = m;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (above ? a[mid] <= v : a[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** "first words … last words" of a document. */
  static String name(String text) {
    Tokens t = new Tokens().cut(text);
    int w = t.size;
    int e = DocumentFeatures.EDGE_WORDS;
    String head = text.substring(t.start[0], t.end[e - 1]);
    String tail = text.substring(t.start[w - e], t.end[w - 1]);
    return head.replaceAll("\\s+", " ") + " … " + tail.replaceAll("\\s+", " ");
  }
}
