package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;

/**
 * A label-free scan of a corpus larger than memory ({@code poisonlab corpus scan}): exact and
 * near-duplicates, documents injected as a trigger followed by random text (Souly et al. 2025,
 * {@link BurstFindings}) and templated injections ({@link TemplatedFindings}). Each input file is a
 * shard, scanned once in a streaming pass (two when burst candidates need their document
 * frequencies); shards run on {@code threads} threads and their results merge in input order, so
 * the outputs do not depend on the thread count.
 *
 * <p>Outputs in {@code out}: {@code summary.json}, {@code flags.jsonl} (flagged documents in input
 * order), {@code clusters.jsonl} (documents in near-duplicate clusters, with the smallest document
 * index of their cluster), and the work folder that lets a killed scan resume.
 */
public final class CorpusScan {
  private static final int BAD_SHOWN = 20;

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
    List<ShardResult> results =
        ShardJobs.run(
            threads,
            inputs.size(),
            i -> work.shardDone(i) ? work.result(i) : scanShard(i, inputs.get(i), work));
    ScanSignatures sigs = ScanSignatures.load(results, work, settings);
    NearDuplicates.Result dups =
        NearDuplicates.cluster(
            sigs.bandKeys, sigs.skip, sigs::similarity, settings.minSimilarity());
    long exact = exactDuplicates(sigs.exact);
    progress.accept(
        String.format(
            "near-duplicates: %,d clusters holding %,d documents; %,d exact duplicates",
            dups.clusters(), dups.inClusters(), exact));
    BurstFindings.Result burst =
        new BurstFindings(settings, threads).find(inputs, work, results, sigs);
    List<ScanFinding> findings = new ArrayList<>(burst.findings());
    findings.addAll(
        TemplatedFindings.find(sigs, dups.root(), settings, g -> textOf(inputs, sigs, g)));
    findings.sort(
        Comparator.comparingLong((ScanFinding f) -> -f.keys().length)
            .thenComparing(f -> f.finding().detector())
            .thenComparing(f -> f.finding().trigger()));
    progress.accept(String.format("%,d findings", findings.size()));
    List<CorpusFinding> named = writeFlags(work, results, findings, out);
    writeClusters(work, results, sigs, dups.root(), out);
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
            named,
            dups.clusters(),
            dups.inClusters(),
            exact,
            withRuns,
            burst.tested(),
            records,
            digestRecords,
            digestsChecked,
            bad,
            badShown,
            settings);
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

  private ShardResult scanShard(int shard, Path file, ScanWork work) throws IOException {
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
    return r;
  }

  private static long exactDuplicates(long[] hashes) {
    long[] sorted = hashes.clone();
    Arrays.sort(sorted);
    long dups = 0;
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        dups++;
      }
    }
    return dups;
  }

  /** A document's text, read again from its input (for naming a finding). */
  private static String textOf(List<Path> inputs, ScanSignatures sigs, int global)
      throws IOException {
    int shard = sigs.shardOf(global);
    long position = global - sigs.start[shard];
    try (DocumentStream in = CorpusReaders.open(inputs.get(shard))) {
      Document d = null;
      for (long i = 0; i <= position; i++) {
        d = in.next();
      }
      if (d == null) {
        throw new IOException(inputs.get(shard) + " changed during the scan");
      }
      return d.text();
    }
  }

  /**
   * Writes {@code flags.jsonl} in document order and returns the findings with the sources of the
   * documents they flag.
   */
  private static List<CorpusFinding> writeFlags(
      ScanWork work, List<ShardResult> results, List<ScanFinding> findings, Path out)
      throws IOException {
    Map<Long, List<Integer>> byDoc = new TreeMap<>();
    List<TreeSet<String>> sources = new ArrayList<>();
    for (int f = 0; f < findings.size(); f++) {
      sources.add(new TreeSet<>());
      for (long d : findings.get(f).keys()) {
        byDoc.computeIfAbsent(d, x -> new ArrayList<>()).add(f);
      }
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
                  String source = line.get("source").asText();
                  for (int f : fs) {
                    CorpusFinding c = findings.get(f).finding();
                    sources.get(f).add(source);
                    g.writeStartObject();
                    g.writeFieldName("doc");
                    g.writeTree(line.get("doc"));
                    g.writeStringField("source", source);
                    g.writeStringField("detector", c.detector());
                    g.writeNumberField(
                        "score", -Math.log10(Math.max(c.pValue(), Double.MIN_VALUE)));
                    g.writeNumberField("finding", f);
                    g.writeEndObject();
                    g.writeRaw('\n');
                  }
                });
          }
        });
    List<CorpusFinding> named = new ArrayList<>();
    for (int f = 0; f < findings.size(); f++) {
      CorpusFinding c = findings.get(f).finding();
      List<String> all = new ArrayList<>(sources.get(f));
      named.add(
          new CorpusFinding(
              c.detector(),
              c.trigger(),
              c.documents(),
              c.pValue(),
              List.copyOf(all.subList(0, Math.min(CorpusFinding.SOURCES_SHOWN, all.size()))),
              all.size(),
              c.documentFrequency(),
              c.statistic()));
    }
    return named;
  }

  private static void writeClusters(
      ScanWork work, List<ShardResult> results, ScanSignatures sigs, int[] root, Path out) {
    int[] size = new int[root.length];
    for (int r : root) {
      size[r]++;
    }
    AtomicFiles.write(
        out.resolve("clusters.jsonl"),
        o -> {
          try (JsonGenerator g = ScanWork.MAPPER.getFactory().createGenerator(o)) {
            g.setRootValueSeparator(null);
            forEachDocument(
                work,
                results,
                (key, line) -> {
                  int r = root[sigs.global(key)];
                  if (size[r] < 2) {
                    return;
                  }
                  g.writeStartObject();
                  g.writeFieldName("doc");
                  g.writeTree(line.get("doc"));
                  g.writeNumberField("cluster", r);
                  g.writeNumberField("cluster_size", size[r]);
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
      }
    }
  }
}
