package org.poisonlab.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.function.LongToIntFunction;
import org.poisonlab.defense.Binomial;

/**
 * Trigger bursts (Souly et al. 2025): a string that stands just before a run of random-looking text
 * ({@link NoveltyRuns}) in many documents of many sources.
 *
 * <p>Candidates: around each run's onset the scan keeps a zone of text; a character {@value
 * #K}-gram is frequent when it occurs in the zones of {@code minSupport} documents or more, and
 * each maximal stretch of a zone covered by frequent {@value #K}-grams (spaces trimmed) is a
 * candidate string. Strings are compared as characters, so a trigger glued to the word before it is
 * found as well.
 *
 * <p>Test: a share {@code p₀} of all documents hold a run; if a string's place were unrelated to
 * runs, the documents where it stands in a zone, {@code c} of the {@code df} that contain it, would
 * follow {@code Binomial(df, p₀)} at most. The p-value is that upper tail at {@code c}, Bonferroni
 * over the strings tested (those in {@code minSupport} zones or more). A finding also needs {@code
 * c ≥ df / 2} (a trigger is planted to precede the random text; a string of ordinary structure that
 * often precedes a list also occurs without one) and documents from {@code minSources} sources.
 * Overlapping candidates of one trigger flag nearly the same documents and make one finding, named
 * by its longest string among those in at least 90 % of the group's largest zone count; it flags
 * the documents that contain one of the group's strings and hold a run.
 */
final class BurstFindings {
  static final double MIN_SHARE = 0.5;

  /**
   * Candidates whose flagged documents lie this much inside a larger one's (as a share of the
   * smaller set) are pieces of the same trigger: the trigger with a few characters of the text it
   * was glued to, or a piece of it.
   */
  static final double GROUP_OVERLAP = 0.5;

  /** The length of the character grams that find shared strings. */
  static final int K = 5;

  /**
   * The gram lengths candidates are cut with: {@link #K} finds short triggers; 8 keeps a phrase
   * whole when one of its words is common (its 8-grams reach into the next word, so they are held
   * by the trigger's documents alone).
   */
  static final int[] LENGTHS = {K, 8};

  /** The shortest candidate string: one gram and a character. */
  static final int MIN_LENGTH = K + 1;

  private final CorpusScanSettings settings;

  BurstFindings(CorpusScanSettings settings) {
    this.settings = settings;
  }

  /** The result: findings, and the number of strings tested. */
  record Result(List<ScanFinding> findings, long tested) {}

  /** A candidate string with the documents (and their sources) whose zones hold it, as found. */
  private static final class Accumulator {
    final List<Long> docs = new ArrayList<>();
    final Set<String> sources = new TreeSet<>();

    void add(long doc, String source) {
      if (docs.isEmpty() || docs.get(docs.size() - 1) != doc) {
        docs.add(doc);
        sources.add(source);
      }
    }
  }

  /** Receives a candidate string cut from the zone of document {@code doc}. */
  interface StringSink {
    void accept(String string, long doc, String source);
  }

  Result find(List<ShardResult> results, ScanEngine engine) throws IOException {
    long documents = 0;
    long withRuns = 0;
    for (ShardResult r : results) {
      documents += r.documents();
      withRuns += r.withRuns();
    }
    List<ScanEngine.BurstCandidate> tested = engine.burstCandidates(results);
    if (tested.isEmpty() || documents == 0) {
      return new Result(List.of(), tested.size());
    }
    Frequencies f = documentFrequencies(engine, tested);
    double p0 = withRuns / (double) documents;
    List<Integer> passed = new ArrayList<>();
    double[] pValues = new double[tested.size()];
    TreeSet<Long> holding = new TreeSet<>();
    for (int i = 0; i < tested.size(); i++) {
      ScanEngine.BurstCandidate c = tested.get(i);
      int k = c.docs().length;
      int n = (int) Math.min(Integer.MAX_VALUE, Math.max(f.df[i], k));
      pValues[i] = Binomial.bonferroniP(Binomial.score(k, n, p0), tested.size());
      if (pValues[i] <= settings.alpha()
          && k >= MIN_SHARE * n
          && c.sources() >= settings.minSources()) {
        passed.add(i);
        if (f.docs.get(i) != null) {
          for (long d : f.docs.get(i)) {
            holding.add(d);
          }
        }
      }
    }
    // only the documents that contain a significant string are asked whether they hold a run
    Set<Long> withRun =
        holding.isEmpty()
            ? Set.of()
            : engine.hasRun(holding.stream().mapToLong(Long::longValue).toArray());
    List<Scored> significant = new ArrayList<>();
    for (int i : passed) {
      ScanEngine.BurstCandidate c = tested.get(i);
      significant.add(new Scored(c, f.df[i], pValues[i], flaggable(c, f.docs.get(i), withRun)));
    }
    return new Result(group(significant, tested.size()), tested.size());
  }

  /**
   * The candidate strings held by the zones of at least {@code minSupport} documents from {@code
   * minSources} sources, in string order, from all the zones in memory.
   */
  static List<ScanEngine.BurstCandidate> candidates(
      List<ShardScanner.Zone> zones, CorpusScanSettings settings) {
    Map<Long, int[]> grams = new HashMap<>();
    forEachZoneGram(zones, g -> grams.computeIfAbsent(g, x -> new int[1])[0]++);
    Map<String, Accumulator> out = new TreeMap<>();
    forEachCandidateString(
        zones,
        g -> {
          int[] c = grams.get(g);
          return c != null && c[0] >= settings.minSupport() ? c[0] : 0;
        },
        (span, doc, source) -> out.computeIfAbsent(span, x -> new Accumulator()).add(doc, source));
    List<ScanEngine.BurstCandidate> tested = new ArrayList<>();
    for (Map.Entry<String, Accumulator> e : out.entrySet()) {
      Accumulator c = e.getValue();
      // a finding needs both, so a candidate without them is not worth a test
      if (c.docs.size() >= settings.minSupport() && c.sources.size() >= settings.minSources()) {
        tested.add(
            new ScanEngine.BurstCandidate(
                e.getKey(),
                c.docs.stream().mapToLong(Long::longValue).toArray(),
                c.sources.size()));
      }
    }
    return tested;
  }

  /**
   * Hands {@code action} the hashes of the distinct grams of each document's zones, documents one
   * after another: a gram is counted once per document.
   */
  static void forEachZoneGram(List<ShardScanner.Zone> zones, LongConsumer action) {
    long lastDoc = -1;
    Set<Long> seen = new HashSet<>();
    for (ShardScanner.Zone z : zones) {
      if (z.doc() != lastDoc) {
        seen.clear();
        lastDoc = z.doc();
      }
      String t = z.text();
      for (int k : LENGTHS) {
        for (int p = 0; p + k <= t.length(); p++) {
          long g = gram(t, p, k);
          if (seen.add(g)) {
            action.accept(g);
          }
        }
      }
    }
  }

  /**
   * Cuts the candidate strings of each zone: for each gram length, the maximal stretches covered by
   * frequent grams of similar counts, spaces trimmed, at least {@link #MIN_LENGTH} long.
   *
   * @param count a gram's document count when it is frequent (held by {@code minSupport} zones'
   *     documents or more), else 0
   */
  static void forEachCandidateString(
      List<ShardScanner.Zone> zones, LongToIntFunction count, StringSink sink) {
    for (ShardScanner.Zone z : zones) {
      String t = z.text();
      for (int k : LENGTHS) {
        int n = Math.max(0, t.length() - k + 1);
        int[] counts = new int[n];
        for (int p = 0; p < n; p++) {
          counts[p] = count.applyAsInt(gram(t, p, k));
        }
        for (int a = 0; a < n; ) {
          if (counts[a] == 0) {
            a++;
            continue;
          }
          int b = a + 1;
          while (b < n && counts[b] > 0 && similar(counts[b - 1], counts[b])) {
            b++;
          }
          String span = t.substring(a, b - 1 + k).strip();
          if (span.length() >= MIN_LENGTH) {
            sink.accept(span, z.doc(), z.source());
          }
          a = b;
        }
      }
    }
  }

  /**
   * Whether neighbouring grams are held by about as many zones (within a factor of two): a
   * trigger's grams are all held by its documents' zones, while a gram that joins it to the text
   * before or after is held by only some of them.
   */
  private static boolean similar(int x, int y) {
    return Math.max(x, y) <= 2 * Math.min(x, y);
  }

  private static long gram(String t, int p, int k) {
    long h = k;
    for (int i = 0; i < k; i++) {
      h = h * 0x10001L + t.charAt(p + i);
    }
    return Tokens.mix(h);
  }

  /**
   * The documents a significant string flags: those containing it that hold a run (when few enough
   * to list), else those whose zones hold it.
   */
  private static long[] flaggable(ScanEngine.BurstCandidate c, long[] holding, Set<Long> withRun) {
    if (holding == null) {
      return Arrays.stream(c.docs()).sorted().toArray();
    }
    return Arrays.stream(holding).filter(withRun::contains).sorted().toArray();
  }

  private record Scored(ScanEngine.BurstCandidate c, long df, double p, long[] flags) {}

  /**
   * One finding per set of significant strings flagging much the same documents (overlap ≥ {@link
   * #GROUP_OVERLAP} of the smaller set): the pieces of one trigger. The finding is named by its
   * longest string among those in at least 90 % of the group's largest zone count, and flags its
   * documents.
   */
  private static List<ScanFinding> group(List<Scored> significant, long tested) {
    significant.sort(
        (x, y) -> {
          int c = Integer.compare(y.flags.length, x.flags.length);
          if (c != 0) {
            return c;
          }
          c = Integer.compare(y.c.docs().length, x.c.docs().length);
          if (c != 0) {
            return c;
          }
          c = Integer.compare(y.c.text().length(), x.c.text().length());
          return c != 0 ? c : x.c.text().compareTo(y.c.text());
        });
    List<List<Scored>> groups = new ArrayList<>();
    for (Scored s : significant) {
      List<Scored> home = null;
      for (List<Scored> g : groups) {
        if (overlap(g.get(0).flags, s.flags) >= GROUP_OVERLAP) {
          home = g;
          break;
        }
      }
      if (home == null) {
        home = new ArrayList<>();
        groups.add(home);
      }
      home.add(s);
    }
    List<ScanFinding> out = new ArrayList<>();
    for (List<Scored> g : groups) {
      int most = 0;
      for (Scored s : g) {
        most = Math.max(most, s.c.docs().length);
      }
      Scored name = null;
      for (Scored s : g) {
        if (s.c.docs().length >= 0.9 * most
            && (name == null
                || s.c.text().length() > name.c.text().length()
                || (s.c.text().length() == name.c.text().length() && s.p < name.p))) {
          name = s;
        }
      }
      long[] flagged = name.flags;
      out.add(
          new ScanFinding(
              new CorpusFinding(
                  "trigger-burst",
                  name.c.text(),
                  flagged.length,
                  name.p,
                  List.of(),
                  0,
                  name.df,
                  "documents where the string stands at a run of non-repeating words, of the"
                      + " documents containing it, against the corpus share of documents with such a"
                      + " run (binomial tail, Bonferroni over "
                      + tested
                      + " strings)"),
              flagged));
    }
    return out;
  }

  /** {@code |a ∩ b| / min(|a|, |b|)} of two sorted arrays. */
  private static double overlap(long[] a, long[] b) {
    if (a.length == 0 || b.length == 0) {
      return 0;
    }
    int i = 0;
    int j = 0;
    int both = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        both++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return both / (double) Math.min(a.length, b.length);
  }

  /** Per tested string: documents containing it, and their keys where few enough to list. */
  private record Frequencies(long[] df, List<long[]> docs) {}

  private static Frequencies documentFrequencies(
      ScanEngine engine, List<ScanEngine.BurstCandidate> tested) throws IOException {
    String[] strings = new String[tested.size()];
    int[] keep = new int[tested.size()];
    for (int i = 0; i < strings.length; i++) {
      strings[i] = tested.get(i).text();
      // a finding needs df ≤ c / MIN_SHARE, so longer lists are never used
      keep[i] = (int) Math.floor(tested.get(i).docs().length / MIN_SHARE);
    }
    List<ShardScanner.DocumentFrequencies> perShard = engine.documentFrequencies(strings, keep);
    long[] df = new long[strings.length];
    List<long[]> docs = new ArrayList<>();
    for (int i = 0; i < df.length; i++) {
      long[] all = new long[0];
      for (ShardScanner.DocumentFrequencies s : perShard) {
        df[i] += s.df()[i];
        long[] part = s.docs()[i];
        if (all != null && part != null && all.length + part.length <= keep[i]) {
          long[] joined = Arrays.copyOf(all, all.length + part.length);
          System.arraycopy(part, 0, joined, all.length, part.length);
          all = joined;
        } else {
          all = null;
        }
      }
      docs.add(all);
    }
    return new Frequencies(df, docs);
  }
}
