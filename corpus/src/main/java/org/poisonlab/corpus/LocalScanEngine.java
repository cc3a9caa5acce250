package org.poisonlab.corpus;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.Json;

/**
 * The scan's passes on local threads, one shard a job; the work folder lets a killed scan resume at
 * its first unfinished shard. Every document's signature record is held on this machine ({@link
 * ScanSignatures}).
 */
final class LocalScanEngine implements ScanEngine {
  private final List<Path> inputs;
  private final Path out;
  private final CorpusScanSettings settings;
  private final int threads;
  private final Consumer<String> progress;
  private final ScanWork work;

  private List<ShardResult> results;
  private ScanSignatures sigs;
  private int[] root;
  private final Map<Long, long[]> templateMembers = new HashMap<>();

  LocalScanEngine(
      List<Path> inputs,
      Path out,
      CorpusScanSettings settings,
      int threads,
      Consumer<String> progress) {
    this.inputs = List.copyOf(inputs);
    this.out = out;
    this.settings = settings;
    this.threads = threads;
    this.progress = progress;
    this.work = new ScanWork(out);
  }

  @Override
  public List<ShardResult> scanShards() throws IOException {
    work.open(plan());
    results =
        ShardJobs.run(
            threads,
            inputs.size(),
            i -> work.shardDone(i) ? work.result(i) : scanShard(i, inputs.get(i)));
    sigs = ScanSignatures.load(results, work, settings);
    return results;
  }

  private String plan() throws IOException {
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

  private ShardResult scanShard(int shard, Path file) throws IOException {
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

  @Override
  public Duplicates nearDuplicates() {
    NearDuplicates.Result dups =
        NearDuplicates.cluster(
            sigs.bandKeys, sigs.skip, sigs::similarity, settings.minSimilarity());
    root = dups.root();
    return new Duplicates(dups.clusters(), dups.inClusters(), exactDuplicates(sigs.exact));
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

  @Override
  public List<BurstCandidate> burstCandidates(List<ShardResult> results) {
    List<ShardScanner.Zone> zones = new ArrayList<>();
    for (ShardResult r : results) {
      zones.addAll(r.zones());
    }
    return BurstFindings.candidates(zones, settings);
  }

  @Override
  public List<ShardScanner.DocumentFrequencies> documentFrequencies(String[] strings, int[] keep)
      throws IOException {
    Path dir =
        work.dir.resolve(
            String.format("df-%016x", Arrays.hashCode(strings) * 31L + Arrays.hashCode(keep)));
    Files.createDirectories(dir);
    return ShardJobs.run(
        threads,
        inputs.size(),
        shard -> {
          Path done = dir.resolve(String.format("shard-%05d.json", shard));
          if (Files.isRegularFile(done)) {
            return ScanWork.MAPPER.readValue(done.toFile(), ShardScanner.DocumentFrequencies.class);
          }
          ShardScanner.DocumentFrequencies r;
          Path file = inputs.get(shard);
          try (DocumentStream in =
              results.get(shard).badRecords().isEmpty()
                  ? CorpusReaders.reread(file)
                  : CorpusReaders.open(file)) {
            r = ShardScanner.documentFrequencies(shard, in, strings, keep);
          }
          AtomicFiles.writeString(done, Json.pretty(r));
          return r;
        });
  }

  @Override
  public Set<Long> hasRun(long[] keys) {
    Set<Long> out = new HashSet<>();
    for (long k : keys) {
      if (sigs.hasRun[sigs.global(k)]) {
        out.add(k);
      }
    }
    return out;
  }

  @Override
  public TemplateGroups templateGroups(int minSupport) {
    return TemplatedFindings.groups(sigs, root, minSupport, templateMembers);
  }

  @Override
  public long[] templateMembers(long group) {
    return templateMembers.get(group).clone();
  }

  @Override
  public String text(long key) throws IOException {
    int shard = (int) (key >>> 32);
    long position = key & 0xffffffffL;
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

  @Override
  public List<Set<String>> writeDocumentLines(DocumentLines lines) throws IOException {
    List<Set<String>> sources = lines.sourceSets();
    int[] size = new int[root.length];
    for (int r : root) {
      size[r]++;
    }
    // one read of the document lines feeds both files; a line is parsed only when it is written
    AtomicFiles.write(
        out.resolve("flags.jsonl"),
        flagsOut ->
            AtomicFiles.write(
                out.resolve("clusters.jsonl"),
                clustersOut -> {
                  try (JsonGenerator flags = DocumentLines.generator(flagsOut);
                      JsonGenerator clusters = DocumentLines.generator(clustersOut)) {
                    forEachDocument(
                        (key, line) -> {
                          boolean flagged = lines.flagged(key);
                          int r = root[sigs.global(key)];
                          if (!flagged && size[r] < 2) {
                            return;
                          }
                          var parsed = DocumentLines.parse(line);
                          if (flagged) {
                            lines.writeFlags(flags, key, parsed, sources);
                          }
                          if (size[r] >= 2) {
                            DocumentLines.writeCluster(clusters, parsed, r, size[r]);
                          }
                        });
                  }
                }));
    return sources;
  }

  @Override
  public void writeSummary(String json) {
    AtomicFiles.writeString(out.resolve("summary.json"), json);
  }

  private interface DocumentLine {
    void accept(long key, String line) throws IOException;
  }

  private void forEachDocument(DocumentLine action) throws IOException {
    for (int s = 0; s < results.size(); s++) {
      try (BufferedReader r = Files.newBufferedReader(work.shard(s).resolve("docs.jsonl"))) {
        String line;
        long pos = 0;
        while ((line = r.readLine()) != null) {
          action.accept(((long) s << 32) | pos, line);
          pos++;
        }
      }
    }
  }
}
