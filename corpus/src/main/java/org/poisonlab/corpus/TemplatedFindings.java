package org.poisonlab.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  /** The share of a prefix's (and a suffix's) documents that must carry the pair. */
  static final double MIN_SHARE = 0.5;

  private TemplatedFindings() {}

  /**
   * The key of a (prefix, suffix) group in a corpus of {@code documents} documents: a hash of the
   * pair with its low bits (those that hold a document index) cleared.
   */
  static long groupKey(long prefix, long suffix, long documents) {
    return Tokens.mix(prefix * 31 + suffix) & NearDuplicates.bucketMask(documents);
  }

  /** The findings among the engine's (prefix, suffix) groups. */
  static List<ScanFinding> find(ScanEngine engine, CorpusScanSettings settings) throws IOException {
    ScanEngine.TemplateGroups all = engine.templateGroups(settings.minSupport());
    List<ScanEngine.TemplateGroup> groups = all.groups();
    List<ScanFinding> out = new ArrayList<>();
    for (ScanEngine.TemplateGroup g : groups) {
      long na = g.prefixDocuments();
      long nb = g.suffixDocuments();
      double score =
          Binomial.score(
              g.documents(), (int) Math.min(Integer.MAX_VALUE, na), nb / (double) all.bodied());
      double p = Binomial.bonferroniP(score, groups.size());
      if (p > settings.alpha()
          || g.documents() < MIN_SHARE * Math.max(na, nb)
          || g.clusters() < 0.8 * g.documents()
          || g.sources() < settings.minSources()
          || 2 * g.sources() < g.documents()) {
        continue;
      }
      out.add(
          new ScanFinding(
              new CorpusFinding(
                  "templated",
                  name(engine.text(g.first())),
                  g.documents(),
                  p,
                  List.of(),
                  g.sources(),
                  na,
                  "documents that begin and end with these words, against independent beginnings"
                      + " and endings (binomial tail, Bonferroni over "
                      + groups.size()
                      + " pairs)"),
              engine.templateMembers(g.group())));
    }
    return out;
  }

  /**
   * The groups of at least {@code minSupport} documents of a corpus held on one machine, in order
   * of their key; {@code members} (modified) receives each group's document keys, ascending.
   */
  static ScanEngine.TemplateGroups groups(
      ScanSignatures s, int[] clusterRoot, int minSupport, Map<Long, long[]> members) {
    int n = s.documents();
    long high = NearDuplicates.bucketMask(n);
    long low = ~high;
    long[] packed = new long[n];
    long[] prefixes = new long[n];
    long[] suffixes = new long[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (s.prefix[i] != 0) {
        packed[m] = groupKey(s.prefix[i], s.suffix[i], n) | i;
        prefixes[m] = s.prefix[i];
        suffixes[m] = s.suffix[i];
        m++;
      }
    }
    Arrays.sort(packed, 0, m);
    Arrays.sort(prefixes, 0, m);
    Arrays.sort(suffixes, 0, m);
    List<ScanEngine.TemplateGroup> groups = new ArrayList<>();
    for (int a = 0; a < m; ) {
      int b = a + 1;
      while (b < m && (packed[b] & high) == (packed[a] & high)) {
        b++;
      }
      if (b - a >= minSupport) {
        int[] g = new int[b - a];
        for (int i = a; i < b; i++) {
          g[i - a] = (int) (packed[i] & low);
        }
        int first = g[0];
        Set<Integer> roots = new HashSet<>();
        Set<Long> sources = new HashSet<>();
        long[] keys = new long[g.length];
        for (int i = 0; i < g.length; i++) {
          roots.add(clusterRoot[g[i]]);
          sources.add(s.source[g[i]]);
          keys[i] = s.key(g[i]);
        }
        Arrays.sort(keys);
        long key = packed[a] & high;
        members.put(key, keys);
        groups.add(
            new ScanEngine.TemplateGroup(
                key,
                g.length,
                s.key(first),
                count(prefixes, m, s.prefix[first]),
                count(suffixes, m, s.suffix[first]),
                roots.size(),
                sources.size()));
      }
      a = b;
    }
    return new ScanEngine.TemplateGroups(m, groups);
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
