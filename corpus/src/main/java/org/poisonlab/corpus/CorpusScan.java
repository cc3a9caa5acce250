package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * A label-free scan of a corpus larger than memory ({@code poisonlab corpus scan}): exact and
 * near-duplicates, and documents injected as a trigger followed by random text (Souly et al. 2025).
 * Each input file is a shard, scanned once in a streaming pass (two when burst candidates need
 * their document frequencies); shards run on {@code threads} threads and their results merge in
 * input order, so the outputs do not depend on the thread count.
 *
 * <p>Outputs in {@code out}: {@code summary.json}, {@code flags.jsonl} (flagged documents in input
 * order), {@code clusters.jsonl} (documents in near-duplicate clusters, with the smallest document
 * index of their cluster), and the work folder that lets a killed scan resume.
 */
public final class CorpusScan {
  private static final int BAD_SHOWN = 20;

  /**
   * A finding's n-gram must open a run in at least this share of the documents holding it: a
   * trigger is planted to precede the random text; an n-gram of ordinary structure that often
   * precedes a list or table also occurs without one.
   */
  private static final double MIN_SHARE = 0.5;

  private final CorpusScanSettings settings;
  private final int threads;
  private final Consumer<String> progress;

  public CorpusScan(CorpusScanSettings settings, int threads, Consumer<String> progress) {
    this.settings = settings;
    this.threads = Math.max(1, threads);
    this.progress = progress == null ? s -> {} : progress;
  }

  /**
   * Scans {@code inputs} into {@code out}.
   *
   * @throws BadInputException when an input is missing or of an unknown format
   */
  public CorpusScanSummary run(List<Path> inputs, Path out) throws IOException {
    for (Path p : inputs) {
      if (!Files.isRegularFile(p)) {
        throw new BadInputException(p, 0, "no such file");
      }
    }
    ScanWork work = new ScanWork(out);
    work.open(plan(inputs));
    List<ShardResult> results = shardPass(inputs, work);
    Signatures sigs = load(work, results);
    Burst burst = burstFindings(inputs, work, results, sigs);
    Duplicates dups = duplicates(sigs);
    long documents = 0;
    long bytes = 0;
    long withRuns = 0;
    long bad = 0;
    long records = 0;
    long digestRecords = 0;
    long digestsChecked = 0;
    List<String> badShown = new ArrayList<>();
    for (ShardResult r : results) {
      records += r.read().records();
      digestRecords += r.read().digestRecords();
      digestsChecked += r.read().digestsChecked();
      documents += r.documents();
      bytes += r.bytes();
      withRuns += r.withRuns();
      bad += r.badRecords().size();
      for (BadRecord b : r.badRecords()) {
        if (badShown.size() < BAD_SHOWN) {
          badShown.add(b.describe());
        }
      }
    }
    CorpusScanSummary summary =
        new CorpusScanSummary(
            documents,
            bytes,
            burst.findings,
            dups.result.clusters(),
            dups.result.inClusters(),
            dups.exact,
            withRuns,
            burst.tested,
            records,
            digestRecords,
            digestsChecked,
            bad,
            badShown,
            settings);
    writeOutputs(work, results, burst, dups, out);
    AtomicFiles.writeString(out.resolve("summary.json"), Json.pretty(summary) + "\n");
    return summary;
  }

  private String plan(List<Path> inputs) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append(Json.pretty(settings)).append('\n');
    for (Path p : inputs) {
      b.append(p.toAbsolutePath())
          .append('\t')
          .append(Files.size(p))
          .append('\t')
          .append(Files.getLastModifiedTime(p).toMillis())
          .append('\n');
    }
    return b.toString();
  }

  private List<ShardResult> shardPass(List<Path> inputs, ScanWork work) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        if (work.shardDone(i)) {
          continue;
        }
        int shard = i;
        jobs.add(
            pool.submit(
                () -> {
                  scanShard(shard, inputs.get(shard), work);
                  return null;
                }));
      }
      await(jobs);
    } finally {
      pool.shutdownNow();
    }
    List<ShardResult> results = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      results.add(work.result(i));
    }
    return results;
  }

  private void scanShard(int shard, Path file, ScanWork work) throws IOException {
    Path temp = work.shardTemp(shard);
    MinHasher hasher = new MinHasher(settings.signatureLength(), settings.seed());
    ShardResult r;
    try (DocumentStream in = CorpusReaders.open(file);
        ScanWork.ShardWriter w = new ScanWork.ShardWriter(temp, hasher.length())) {
      r = new ShardScanner(hasher).scan(shard, file.toString(), in, w);
    }
    ScanWork.MAPPER.writeValue(temp.resolve("result.json").toFile(), r);
    work.finishShard(shard, temp);
    progress.accept(
        String.format("scanned %s: %,d documents, %,d bytes", file, r.documents(), r.bytes()));
  }

  private static void await(List<Future<?>> jobs) throws IOException {
    try {
      for (Future<?> f : jobs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("scan interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    }
  }

  /** Significant burst findings and the documents each flags. */
  private record Burst(List<CorpusFinding> findings, List<long[]> flagged, long tested) {}

  private Burst burstFindings(
      List<Path> inputs, ScanWork work, List<ShardResult> results, Signatures sigs)
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
      return new Burst(List.of(), List.of(), tested.size());
    }
    Frequencies f = documentFrequencies(inputs, work, tested);
    double p0 = withRuns / (double) documents;
    List<Scored> significant = new ArrayList<>();
    for (int i = 0; i < tested.size(); i++) {
      BurstCandidate c = tested.get(i);
      int k = c.docs.size();
      int n = (int) Math.min(Integer.MAX_VALUE, Math.max(f.df[i], k));
      double score = org.poisonlab.defense.Binomial.score(k, n, p0);
      double p = org.poisonlab.defense.Binomial.bonferroniP(score, tested.size());
      if (p <= settings.alpha()
          && k >= MIN_SHARE * n
          && c.sources.size() >= settings.minSources()) {
        significant.add(new Scored(c, f.df[i], p, flaggable(c, f.docs.get(i), sigs)));
      }
    }
    return group(significant, tested.size());
  }

  /**
   * The documents a significant n-gram flags: those holding it anywhere that have a random-text run
   * (when they were few enough to list), else those where it opens a run.
   */
  private static long[] flaggable(BurstCandidate c, List<Long> holding, Signatures sigs) {
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
   * One finding per set of significant n-grams flagging nearly the same documents (Jaccard ≥ 0.8):
   * the overlapping n-grams of one trigger. The finding is named by its longest n-gram among those
   * seen in at least 90 % of the group's largest document count.
   */
  private Burst group(List<Scored> significant, long tested) {
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
    List<CorpusFinding> findings = new ArrayList<>();
    List<long[]> flagged = new ArrayList<>();
    for (List<Scored> g : groups) {
      int most = g.get(0).c.docs.size();
      Scored name = g.get(0);
      for (Scored s : g) {
        if (s.c.docs.size() >= 0.9 * most
            && (s.c.n > name.c.n || (s.c.n == name.c.n && s.p < name.p))) {
          name = s;
        }
      }
      long[] docs = name.flags;
      flagged.add(docs);
      List<String> sources = new ArrayList<>(name.c.sources);
      findings.add(
          new CorpusFinding(
              "trigger-burst",
              name.c.surface,
              docs.length,
              name.p,
              List.copyOf(
                  sources.subList(0, Math.min(CorpusFinding.SOURCES_SHOWN, sources.size()))),
              sources.size(),
              name.df,
              "documents where the n-gram opens a run of non-repeating words, of the documents"
                  + " holding it, against the corpus share of documents with such a run"
                  + " (binomial tail, Bonferroni over "
                  + tested
                  + " n-grams)"));
    }
    return new Burst(findings, flagged, tested);
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
    long[] firsts = new long[tested.size()];
    for (int i = 0; i < hashes.length; i++) {
      firsts[i] = tested.get(i).first;
      hashes[i] = tested.get(i).hash;
      lengths[i] = tested.get(i).n;
      // a finding needs df ≤ c / MIN_SHARE, so longer lists are never used
      keep[i] = (int) Math.floor(tested.get(i).docs.size() / MIN_SHARE);
    }
    Path dir = work.dir.resolve(String.format("df-%016x", Arrays.hashCode(hashes) * 31L + 7));
    Files.createDirectories(dir);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ShardScanner.DocumentFrequencies[] perShard =
        new ShardScanner.DocumentFrequencies[inputs.size()];
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        int shard = i;
        Path done = dir.resolve(String.format("shard-%05d.json", i));
        jobs.add(
            pool.submit(
                () -> {
                  if (Files.isRegularFile(done)) {
                    perShard[shard] =
                        ScanWork.MAPPER.readValue(
                            done.toFile(), ShardScanner.DocumentFrequencies.class);
                    return null;
                  }
                  MinHasher h = new MinHasher(1, 0);
                  try (DocumentStream in = CorpusReaders.open(inputs.get(shard))) {
                    perShard[shard] =
                        new ShardScanner(h)
                            .documentFrequencies(shard, in, hashes, lengths, keep, firsts);
                  }
                  AtomicFiles.writeString(done, Json.pretty(perShard[shard]));
                  return null;
                }));
      }
      await(jobs);
    } finally {
      pool.shutdownNow();
    }
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
    progress.accept(String.format("counted %,d burst candidates in every document", df.length));
    return new Frequencies(df, docs);
  }

  /** Every document's signature record, by global index (shard order, then position). */
  private record Signatures(
      long[] start,
      MappedByteBuffer[] sig,
      int k,
      long[] exact,
      boolean[] skip,
      boolean[] hasRun,
      long[][] bandKeys) {
    int global(long key) {
      return (int) (start[(int) (key >>> 32)] + (key & 0xffffffffL));
    }

    double similarity(int x, int y) {
      int rec = ScanWork.recordBytes(k);
      int sx = shardOf(start, x);
      int sy = shardOf(start, y);
      int ax = (int) (x - start[sx]) * rec + 12;
      int ay = (int) (y - start[sy]) * rec + 12;
      int same = 0;
      for (int i = 0; i < k; i++) {
        if (sig[sx].getInt(ax + 4 * i) == sig[sy].getInt(ay + 4 * i)) {
          same++;
        }
      }
      return same / (double) k;
    }
  }

  private Signatures load(ScanWork work, List<ShardResult> results) throws IOException {
    int shards = results.size();
    long[] start = new long[shards + 1];
    for (int i = 0; i < shards; i++) {
      start[i + 1] = start[i] + results.get(i).documents();
    }
    if (start[shards] > Integer.MAX_VALUE - 8) {
      throw new BadInputException(
          "more than 2^31 documents: near-duplicate clustering on one machine stops here");
    }
    int n = (int) start[shards];
    int k = settings.signatureLength();
    int rec = ScanWork.recordBytes(k);
    MappedByteBuffer[] sig = new MappedByteBuffer[shards];
    long[][] bandKeys = new long[settings.bands()][n];
    boolean[] skip = new boolean[n];
    boolean[] hasRun = new boolean[n];
    long[] exact = new long[n];
    for (int s = 0; s < shards; s++) {
      sig[s] = work.signatures(s);
      for (int j = 0; j < results.get(s).documents(); j++) {
        int g = (int) (start[s] + j);
        int at = j * rec;
        exact[g] = sig[s].getLong(at);
        int flags = sig[s].getInt(at + 8);
        skip[g] = (flags & ScanWork.HAS_SIGNATURE) == 0;
        hasRun[g] = (flags & ScanWork.HAS_RUN) != 0;
        for (int b = 0; b < settings.bands(); b++) {
          long h = Tokens.NGRAM_SEED + b;
          for (int r = 0; r < settings.rows(); r++) {
            h = Tokens.mix(h * 31 + sig[s].getInt(at + 12 + 4 * (b * settings.rows() + r)));
          }
          bandKeys[b][g] = h;
        }
      }
    }
    return new Signatures(start, sig, k, exact, skip, hasRun, bandKeys);
  }

  /** Near-duplicate clusters and the count of exact duplicates. */
  private record Duplicates(NearDuplicates.Result result, long exact, long[] shardStart) {}

  private Duplicates duplicates(Signatures s) {
    NearDuplicates.Result r =
        NearDuplicates.cluster(s.bandKeys, s.skip, s::similarity, settings.minSimilarity());
    long[] sorted = s.exact.clone();
    Arrays.sort(sorted);
    long dups = 0;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        dups++;
      }
    }
    progress.accept(
        String.format(
            "near-duplicates: %,d clusters holding %,d documents; %,d exact duplicates",
            r.clusters(), r.inClusters(), dups));
    return new Duplicates(r, dups, s.start);
  }

  private static int shardOf(long[] start, int g) {
    int s = Arrays.binarySearch(start, g);
    if (s >= 0) {
      while (s + 1 < start.length && start[s + 1] == g) {
        s++;
      }
      return s;
    }
    return -s - 2;
  }

  private void writeOutputs(
      ScanWork work, List<ShardResult> results, Burst burst, Duplicates dups, Path out)
      throws IOException {
    Map<Long, List<Integer>> byDoc = new TreeMap<>();
    for (int f = 0; f < burst.flagged.size(); f++) {
      for (long d : burst.flagged.get(f)) {
        byDoc.computeIfAbsent(d, x -> new ArrayList<>()).add(f);
      }
    }
    int[] size = new int[dups.result.root().length];
    for (int root : dups.result.root()) {
      size[root]++;
    }
    AtomicFiles.write(
        out.resolve("flags.jsonl"),
        o -> {
          try (JsonGenerator g = ScanWork.MAPPER.getFactory().createGenerator(o)) {
            g.setRootValueSeparator(null);
            forEachDocument(
                work,
                results,
                (key, line) -> {
                  List<Integer> fs = byDoc.get(key);
                  if (fs == null) {
                    return;
                  }
                  for (int f : fs) {
                    g.writeStartObject();
                    g.writeFieldName("doc");
                    g.writeTree(line.get("doc"));
                    g.writeStringField("source", line.get("source").asText());
                    g.writeStringField("detector", burst.findings.get(f).detector());
                    g.writeNumberField("score", -Math.log10(burst.findings.get(f).pValue()));
                    g.writeNumberField("finding", f);
                    g.writeEndObject();
                    g.writeRaw('\n');
                  }
                });
          }
        });
    AtomicFiles.write(
        out.resolve("clusters.jsonl"),
        o -> {
          try (JsonGenerator g = ScanWork.MAPPER.getFactory().createGenerator(o)) {
            g.setRootValueSeparator(null);
            forEachDocument(
                work,
                results,
                (key, line) -> {
                  int global = (int) (dups.shardStart[(int) (key >>> 32)] + (key & 0xffffffffL));
                  int root = dups.result.root()[global];
                  if (size[root] < 2) {
                    return;
                  }
                  g.writeStartObject();
                  g.writeFieldName("doc");
                  g.writeTree(line.get("doc"));
                  g.writeNumberField("cluster", root);
                  g.writeNumberField("cluster_size", size[root]);
                  g.writeEndObject();
                  g.writeRaw('\n');
                });
          }
        });
  }

  private interface DocumentLine {
    void accept(long key, JsonNode line) throws IOException;
  }

  private static void forEachDocument(ScanWork work, List<ShardResult> results, DocumentLine action)
      throws IOException {
    for (int s = 0; s < results.size(); s++) {
      try (BufferedReader r = Files.newBufferedReader(work.shard(s).resolve("docs.jsonl"))) {
        String line;
        long pos = 0;
        while ((line = r.readLine()) != null) {
          action.accept(((long) s << 32) | pos, ScanWork.MAPPER.readTree(line));
          pos++;
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }
}
