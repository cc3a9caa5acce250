package org.poisonlab.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.poisonlab.defense.Binomial;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.Json;

/**
 * Trigger bursts (Souly et al. 2025): a token n-gram that opens a run of random-looking text
 * ({@link NoveltyRuns}) in many documents of many sources.
 *
 * <p>Test: a share {@code p₀} of all documents hold such a run; if an n-gram's place were unrelated
 * to runs, the documents where it opens one, {@code c} of the {@code df} that hold it, would follow
 * {@code Binomial(df, p₀)} at most. The p-value is that upper tail at {@code c}, Bonferroni over
 * the n-grams tested (those opening a run in {@code minSupport} documents or more). A finding also
 * needs {@code c ≥ df / 2} (a trigger is planted to precede the random text; an n-gram of ordinary
 * structure that often precedes a list also occurs without one) and documents from {@code
 * minSources} sources. Overlapping n-grams of one trigger flag the same documents and make one
 * finding, named by its longest n-gram; it flags the documents that hold the n-gram and a run.
 */
final class BurstFindings {
  static final double MIN_SHARE = 0.5;

  private final CorpusScanSettings settings;
  private final int threads;

  BurstFindings(CorpusScanSettings settings, int threads) {
    this.settings = settings;
    this.threads = threads;
  }

  /** The result: findings, and the number of n-grams tested. */
  record Result(List<ScanFinding> findings, long tested) {}

  Result find(List<Path> inputs, ScanWork work, List<ShardResult> results, ScanSignatures sigs)
      throws IOException {
    Map<Long, BurstCandidate> merged = new TreeMap<>();
    long documents = 0;
    long withRuns = 0;
    for (ShardResult r : results) {
      documents += r.documents();
      withRuns += r.withRuns();
      for (BurstCandidate.Stored s : r.candidates()) {
        BurstCandidate c = merged.get(s.hash());
        if (c == null) {
          merged.put(s.hash(), BurstCandidate.of(s));
        } else {
          c.merge(BurstCandidate.of(s));
        }
      }
    }
    List<BurstCandidate> tested = new ArrayList<>();
    for (BurstCandidate c : merged.values()) {
      if (c.docs.size() >= settings.minSupport()) {
        tested.add(c);
      }
    }
    if (tested.isEmpty() || documents == 0) {
      return new Result(List.of(), tested.size());
    }
    Frequencies f = documentFrequencies(inputs, work, tested);
    double p0 = withRuns / (double) documents;
    List<Scored> significant = new ArrayList<>();
    for (int i = 0; i < tested.size(); i++) {
      BurstCandidate c = tested.get(i);
      int k = c.docs.size();
      int n = (int) Math.min(Integer.MAX_VALUE, Math.max(f.df[i], k));
      double p = Binomial.bonferroniP(Binomial.score(k, n, p0), tested.size());
      if (p <= settings.alpha()
          && k >= MIN_SHARE * n
          && c.sources.size() >= settings.minSources()) {
        significant.add(new Scored(c, f.df[i], p, flaggable(c, f.docs.get(i), sigs)));
      }
    }
    return new Result(group(significant, tested.size()), tested.size());
  }

  /**
   * The documents a significant n-gram flags: those holding it anywhere that have a run (when few
   * enough to list), else those where it opens a run.
   */
  private static long[] flaggable(BurstCandidate c, List<Long> holding, ScanSignatures sigs) {
    if (holding == null) {
      return c.docs.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    return holding.stream()
        .mapToLong(Long::longValue)
        .filter(d -> sigs.hasRun[sigs.global(d)])
        .sorted()
        .toArray();
  }

  private record Scored(BurstCandidate c, long df, double p, long[] flags) {}

  /**
   * One finding per set of significant n-grams flagging nearly the same documents (overlap ≥ 0.8 of
   * the smaller set): the overlapping n-grams of one trigger. The finding is named by its longest
   * n-gram among those seen in at least 90 % of the group's largest document count.
   */
  private static List<ScanFinding> group(List<Scored> significant, long tested) {
    significant.sort(
        (x, y) -> {
          int c = Integer.compare(y.flags.length, x.flags.length);
          if (c != 0) {
            return c;
          }
          c = Integer.compare(y.c.docs.size(), x.c.docs.size());
          if (c != 0) {
            return c;
          }
          c = Integer.compare(y.c.n, x.c.n);
          return c != 0 ? c : Long.compare(x.c.hash, y.c.hash);
        });
    List<List<Scored>> groups = new ArrayList<>();
    for (Scored s : significant) {
      List<Scored> home = null;
      for (List<Scored> g : groups) {
        if (overlap(g.get(0).flags, s.flags) >= 0.8) {
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
      int most = g.get(0).c.docs.size();
      Scored name = g.get(0);
      for (Scored s : g) {
        if (s.c.docs.size() >= 0.9 * most
            && (s.c.n > name.c.n || (s.c.n == name.c.n && s.p < name.p))) {
          name = s;
        }
      }
      out.add(
          new ScanFinding(
              new CorpusFinding(
                  "trigger-burst",
                  name.c.surface,
                  name.flags.length,
                  name.p,
                  List.of(),
                  0,
                  name.df,
                  "documents where the n-gram opens a run of non-repeating words, of the documents"
                      + " holding it, against the corpus share of documents with such a run"
                      + " (binomial tail, Bonferroni over "
                      + tested
                      + " n-grams)"),
              name.flags));
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

  /** Per tested n-gram: documents holding it, and their keys where few enough to list. */
  private record Frequencies(long[] df, List<List<Long>> docs) {}

  private Frequencies documentFrequencies(
      List<Path> inputs, ScanWork work, List<BurstCandidate> tested) throws IOException {
    long[] hashes = new long[tested.size()];
    int[] lengths = new int[tested.size()];
    int[] keep = new int[tested.size()];
    long[] anchors = new long[tested.size()];
    int[] anchorAt = new int[tested.size()];
    String[] anchorTexts = new String[tested.size()];
    for (int i = 0; i < hashes.length; i++) {
      anchors[i] = tested.get(i).anchor;
      anchorAt[i] = tested.get(i).anchorAt;
      anchorTexts[i] = tested.get(i).anchorText;
      hashes[i] = tested.get(i).hash;
      lengths[i] = tested.get(i).n;
      // a finding needs df ≤ c / MIN_SHARE, so longer lists are never used
      keep[i] = (int) Math.floor(tested.get(i).docs.size() / MIN_SHARE);
    }
    Path dir = work.dir.resolve(String.format("df-%016x", Arrays.hashCode(hashes) * 31L + 7));
    Files.createDirectories(dir);
    List<ShardScanner.DocumentFrequencies> perShard =
        ShardJobs.run(
            threads,
            inputs.size(),
            shard -> {
              Path done = dir.resolve(String.format("shard-%05d.json", shard));
              if (Files.isRegularFile(done)) {
                return ScanWork.MAPPER.readValue(
                    done.toFile(), ShardScanner.DocumentFrequencies.class);
              }
              ShardScanner.DocumentFrequencies r;
              try (DocumentStream in = CorpusReaders.open(inputs.get(shard))) {
                r =
                    new ShardScanner(new MinHasher(1, 0))
                        .documentFrequencies(
                            shard, in, hashes, lengths, keep, anchors, anchorAt, anchorTexts);
              }
              AtomicFiles.writeString(done, Json.pretty(r));
              return r;
            });
    long[] df = new long[hashes.length];
    List<List<Long>> docs = new ArrayList<>();
    for (int i = 0; i < df.length; i++) {
      List<Long> all = new ArrayList<>();
      for (ShardScanner.DocumentFrequencies s : perShard) {
        df[i] += s.df()[i];
        List<Long> part = s.docs().get(i);
        if (all != null && part != null && all.size() + part.size() <= keep[i]) {
          all.addAll(part);
        } else {
          all = null;
        }
      }
      docs.add(all);
    }
    return new Frequencies(df, docs);
  }
}
