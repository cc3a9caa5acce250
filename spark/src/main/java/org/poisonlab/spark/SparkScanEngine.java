package org.poisonlab.spark;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.poisonlab.corpus.CorpusReaders;
import org.poisonlab.corpus.Document;
import org.poisonlab.corpus.DocumentLines;
import org.poisonlab.corpus.DocumentStream;
import org.poisonlab.corpus.ScanEngine;
import org.poisonlab.corpus.ShardPasses;
import org.poisonlab.corpus.ShardResult;
import org.poisonlab.corpus.ShardScanner;
import org.poisonlab.corpus.SignatureReader;
import scala.Tuple2;

/**
 * The scan's passes as Spark jobs: one task per input file for each pass over the documents; the
 * work folder ({@code OUT/work}) on any Hadoop file system holds each shard's document lines and
 * signature records between jobs. Near-duplicate clusters: band buckets grouped by key, candidate
 * pairs verified where their signatures are stored, components by {@link Components}. Burst
 * candidates: the zones' grams and strings counted by reductions. Templated groups: the bodied
 * documents keyed by their (prefix, suffix) group, counted by reductions. Output lines are written
 * per shard by tasks and joined in shard order by the driver.
 */
final class SparkScanEngine implements ScanEngine {
  private final JavaSparkContext sc;
  private final ScanSettings settings;
  private final List<String> inputs;
  private final HadoopConf conf;
  private final String work;
  private final String out;
  private final Consumer<String> progress;
  private final int shards;

  private long[] start;

  /** Per clustered document (global index): its cluster's smallest global index and size. */
  private JavaPairRDD<Long, long[]> members;

  /** Per bodied document, keyed by its (prefix, suffix) group: its global index. */
  private JavaPairRDD<Long, Long> grouped;

  SparkScanEngine(
      JavaSparkContext sc,
      ScanSettings settings,
      List<String> inputs,
      String out,
      Consumer<String> progress) {
    this.sc = sc;
    this.settings = settings;
    this.inputs = List.copyOf(inputs);
    this.conf = new HadoopConf(sc.hadoopConfiguration());
    this.out = out;
    this.work = new Path(out, "work").toString();
    this.progress = progress;
    this.shards = inputs.size();
  }

  private JavaRDD<Integer> shardTasks() {
    List<Integer> ids = IntStream.range(0, shards).boxed().toList();
    return sc.parallelize(ids, Math.max(1, shards));
  }

  static Path shardDir(String work, int shard) {
    return new Path(work, String.format("shard-%05d", shard));
  }

  /** A stream over an input's documents, Parquet through its random-access reader. */
  static DocumentStream open(String input, HadoopConf c) throws IOException {
    Path p = new Path(input);
    if (input.endsWith(".parquet")) {
      return CorpusReaders.open(input, HadoopInputFile.fromPath(p, c.configuration()));
    }
    return CorpusReaders.open(input, c.fileSystem(p).open(p));
  }

  @Override
  public List<ShardResult> scanShards() throws IOException {
    Path w = new Path(work);
    FileSystem fs = conf.fileSystem(w);
    fs.delete(w, true);
    fs.mkdirs(w);
    List<String> in = inputs;
    HadoopConf c = conf;
    ScanSettings s = settings;
    String wk = work;
    // the shards' results without the text around their random-text runs, which stays in the work
    // folder for burstCandidates
    List<String> json = shardTasks().map(i -> scanShard(i, in.get(i), s, c, wk)).collect();
    List<ShardResult> results = new ArrayList<>();
    start = new long[shards + 1];
    for (int i = 0; i < shards; i++) {
      ShardResult r = ShardPasses.shardResult(json.get(i));
      results.add(r);
      start[i + 1] = start[i] + r.documents();
    }
    progress.accept(
        String.format(
            "scanned %,d files: %,d documents, %,d bytes",
            shards, start[shards], results.stream().mapToLong(ShardResult::bytes).sum()));
    return results;
  }

  /**
   * Scans one shard into its folder of the work folder; returns its result without its zones as
   * JSON.
   */
  private static String scanShard(
      int shard, String input, ScanSettings s, HadoopConf conf, String work) throws IOException {
    Path done = shardDir(work, shard);
    FileSystem fs = conf.fileSystem(done);
    Path temp =
        new Path(
            work, String.format(".shard-%05d-%d.tmp", shard, TaskContext.get().taskAttemptId()));
    fs.delete(temp, true);
    fs.mkdirs(temp);
    ShardResult r;
    try (DocumentStream docs = open(input, conf)) {
      r =
          ShardPasses.scan(
              shard,
              input,
              docs,
              s.settings(),
              fs.create(new Path(temp, "docs.jsonl")),
              fs.create(new Path(temp, "sig.bin")));
    }
    try (FSDataOutputStream o = fs.create(new Path(temp, "result.json"))) {
      o.write(ShardPasses.toJson(r).getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(done, true);
    if (!fs.rename(temp, done)) {
      throw new IOException("cannot rename " + temp + " to " + done);
    }
    return ShardPasses.toJson(ShardPasses.withoutZones(r));
  }

  private static ShardResult shardResult(int shard, HadoopConf c, String work) throws IOException {
    Path p = new Path(shardDir(work, shard), "result.json");
    try (InputStream in = c.fileSystem(p).open(p)) {
      return ShardPasses.shardResult(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static SignatureReader signatures(int shard, ScanSettings s, HadoopConf c, String work)
      throws IOException {
    Path sig = new Path(shardDir(work, shard), "sig.bin");
    return new SignatureReader(c.fileSystem(sig).open(sig), s.settings());
  }

  @Override
  public Duplicates nearDuplicates() throws IOException {
    SparkNearDuplicates.Result r =
        SparkNearDuplicates.run(sc, shardTasks(), shards, start, settings, conf, work);
    members = r.members();
    return r.duplicates();
  }

  /**
   * The burst candidates cut on the cluster: the zones' grams counted by documents with a
   * reduction, the frequent ones' counts broadcast, each shard's zones cut into strings where they
   * lie, the strings' distinct documents and sources counted by reductions; the driver receives the
   * documents of the strings that pass.
   */
  @Override
  public List<BurstCandidate> burstCandidates(List<ShardResult> results) {
    int partitions = sc.defaultParallelism();
    HadoopConf c = conf;
    String wk = work;
    int minSupport = settings.minSupport();
    int minSources = settings.minSources();
    List<Tuple2<Long, Long>> frequent =
        shardTasks()
            .flatMapToPair(
                i -> {
                  long[] grams = ShardPasses.zoneGrams(shardResult(i, c, wk));
                  List<Tuple2<Long, Long>> pairs = new ArrayList<>(grams.length);
                  for (long g : grams) {
                    pairs.add(new Tuple2<>(g, 1L));
                  }
                  return pairs.iterator();
                })
            .reduceByKey(Long::sum, partitions)
            .filter(g -> g._2() >= minSupport)
            .collect();
    List<Tuple2<Long, Long>> sorted = new ArrayList<>(frequent);
    sorted.sort((x, y) -> Long.compare(x._1(), y._1()));
    long[] keys = new long[sorted.size()];
    int[] counts = new int[sorted.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = sorted.get(i)._1();
      counts[i] = (int) Math.min(Integer.MAX_VALUE, sorted.get(i)._2());
    }
    Broadcast<long[]> gramKeys = sc.broadcast(keys);
    Broadcast<int[]> gramCounts = sc.broadcast(counts);
    // (string, document key, source) for every string cut from a zone
    JavaPairRDD<String, Tuple2<Long, String>> strings =
        shardTasks()
            .flatMapToPair(
                i -> {
                  long[] k = gramKeys.value();
                  int[] n = gramCounts.value();
                  List<Tuple2<String, Tuple2<Long, String>>> out = new ArrayList<>();
                  ShardPasses.candidateStrings(
                      shardResult(i, c, wk),
                      g -> {
                        int at = Arrays.binarySearch(k, g);
                        return at >= 0 ? n[at] : 0;
                      },
                      (text, doc, source) ->
                          out.add(new Tuple2<>(text, new Tuple2<>(doc, source))));
                  return out.iterator();
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<String, Long> docs =
        strings.mapToPair(t -> new Tuple2<>(t._1(), t._2()._1())).distinct(partitions);
    JavaPairRDD<String, Long> sources =
        strings
            .mapToPair(t -> new Tuple2<>(t._1(), t._2()._2()))
            .distinct(partitions)
            .mapToPair(t -> new Tuple2<>(t._1(), 1L))
            .reduceByKey(Long::sum, partitions);
    JavaPairRDD<String, Long> passing =
        docs.mapToPair(t -> new Tuple2<>(t._1(), 1L))
            .reduceByKey(Long::sum, partitions)
            .join(sources, partitions)
            .filter(t -> t._2()._1() >= minSupport && t._2()._2() >= minSources)
            .mapValues(t -> t._2());
    List<Tuple2<String, Tuple2<Long, Long>>> rows = docs.join(passing, partitions).collect();
    strings.unpersist(false);
    gramKeys.destroy();
    gramCounts.destroy();
    Map<String, List<Long>> byString = new TreeMap<>();
    Map<String, Long> sourceCounts = new HashMap<>();
    for (Tuple2<String, Tuple2<Long, Long>> r : rows) {
      byString.computeIfAbsent(r._1(), x -> new ArrayList<>()).add(r._2()._1());
      sourceCounts.put(r._1(), r._2()._2());
    }
    List<BurstCandidate> out = new ArrayList<>();
    for (Map.Entry<String, List<Long>> e : byString.entrySet()) {
      out.add(
          new BurstCandidate(
              e.getKey(),
              e.getValue().stream().mapToLong(Long::longValue).sorted().toArray(),
              (int) (long) sourceCounts.get(e.getKey())));
    }
    progress.accept(
        String.format(
            "burst candidates: %,d frequent grams in the text around random-text runs, %,d strings"
                + " tested",
            keys.length, out.size()));
    return out;
  }

  @Override
  public List<ShardScanner.DocumentFrequencies> documentFrequencies(String[] strings, int[] keep)
      throws IOException {
    Broadcast<String[]> str = sc.broadcast(strings);
    Broadcast<int[]> k = sc.broadcast(keep);
    List<String> in = inputs;
    HadoopConf c = conf;
    List<String> json =
        shardTasks()
            .map(
                i -> {
                  try (DocumentStream docs = open(in.get(i), c)) {
                    return ShardPasses.toJson(
                        ShardPasses.documentFrequencies(i, docs, str.value(), k.value()));
                  }
                })
            .collect();
    str.destroy();
    k.destroy();
    List<ShardScanner.DocumentFrequencies> out = new ArrayList<>();
    for (String j : json) {
      out.add(ShardPasses.documentFrequencies(j));
    }
    return out;
  }

  @Override
  public Set<Long> hasRun(long[] keys) {
    Broadcast<long[]> asked = sc.broadcast(keys);
    ScanSettings s = settings;
    HadoopConf c = conf;
    String wk = work;
    List<Long> found =
        shardTasks()
            .flatMap(
                shard -> {
                  long[] all = asked.value();
                  long lo = (long) shard << 32;
                  int at = Arrays.binarySearch(all, lo);
                  at = at >= 0 ? at : -at - 1;
                  List<Long> runs = new ArrayList<>();
                  if (at < all.length && all[at] >>> 32 == shard) {
                    try (SignatureReader r = signatures(shard, s, c, wk)) {
                      for (long pos = 0; at < all.length && all[at] >>> 32 == shard && r.next(); ) {
                        if (all[at] == (lo | pos)) {
                          if (r.hasRun()) {
                            runs.add(all[at]);
                          }
                          at++;
                        }
                        pos++;
                      }
                    }
                  }
                  return runs.iterator();
                })
            .collect();
    asked.destroy();
    return new HashSet<>(found);
  }

  @Override
  public TemplateGroups templateGroups(int minSupport) {
    int partitions = sc.defaultParallelism();
    long documents = start[shards];
    ScanSettings s = settings;
    HadoopConf c = conf;
    String wk = work;
    long[] st = start;
    // per bodied document: global index → prefix, suffix, source
    JavaPairRDD<Long, long[]> bodied =
        shardTasks()
            .flatMapToPair(
                i -> {
                  List<Tuple2<Long, long[]>> docs = new ArrayList<>();
                  try (SignatureReader r = signatures(i, s, c, wk)) {
                    for (long g = st[i]; r.next(); g++) {
                      if (r.prefix() != 0) {
                        docs.add(new Tuple2<>(g, new long[] {r.prefix(), r.suffix(), r.source()}));
                      }
                    }
                  }
                  return docs.iterator();
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    long m = bodied.count();
    // the cluster root of each bodied document (itself when in no cluster)
    JavaPairRDD<Long, long[]> rooted =
        bodied
            .leftOuterJoin(members, partitions)
            .mapToPair(
                d -> {
                  long[] f = d._2()._1();
                  long root = d._2()._2().isPresent() ? d._2()._2().get()[0] : d._1();
                  return new Tuple2<>(
                      SignatureReader.templateGroup(f[0], f[1], documents),
                      new long[] {d._1(), f[0], f[1], f[2], root});
                })
            .persist(StorageLevel.MEMORY_AND_DISK());
    grouped = rooted.mapValues(d -> d[0]).persist(StorageLevel.MEMORY_AND_DISK());
    // per group: documents, and the global index, prefix and suffix of its first document
    JavaPairRDD<Long, long[]> firsts =
        rooted
            .mapValues(d -> new long[] {1, d[0], d[1], d[2]})
            .reduceByKey(
                (a, b) -> {
                  long[] first = a[1] <= b[1] ? a : b;
                  return new long[] {a[0] + b[0], first[1], first[2], first[3]};
                },
                partitions)
            .filter(g -> g._2()[0] >= minSupport);
    JavaPairRDD<Long, Long> roots = distinctCount(rooted, 4, partitions);
    JavaPairRDD<Long, Long> sources = distinctCount(rooted, 3, partitions);
    JavaPairRDD<Long, Long> prefixes =
        bodied.mapToPair(d -> new Tuple2<>(d._2()[0], 1L)).reduceByKey(Long::sum, partitions);
    JavaPairRDD<Long, Long> suffixes =
        bodied.mapToPair(d -> new Tuple2<>(d._2()[1], 1L)).reduceByKey(Long::sum, partitions);
    // group key, documents, first, prefix, suffix, roots, sources → then n_a, n_b
    List<long[]> rows =
        firsts
            .join(roots, partitions)
            .join(sources, partitions)
            .mapToPair(
                g -> {
                  long[] f = g._2()._1()._1();
                  long[] row = {g._1(), f[0], f[1], f[2], f[3], g._2()._1()._2(), g._2()._2(), 0};
                  return new Tuple2<>(f[2], row);
                })
            .join(prefixes, partitions)
            .mapToPair(
                g -> {
                  long[] row = g._2()._1();
                  row[7] = g._2()._2();
                  return new Tuple2<>(row[4], row);
                })
            .join(suffixes, partitions)
            .map(
                g ->
                    new long[] {
                      g._2()._1()[0],
                      g._2()._1()[1],
                      g._2()._1()[2],
                      g._2()._1()[7],
                      g._2()._2(),
                      g._2()._1()[5],
                      g._2()._1()[6]
                    })
            .collect();
    bodied.unpersist(false);
    rooted.unpersist(false);
    List<long[]> sorted = new ArrayList<>(rows);
    sorted.sort((x, y) -> Long.compare(x[0], y[0]));
    List<TemplateGroup> groups = new ArrayList<>();
    for (long[] r : sorted) {
      groups.add(
          new TemplateGroup(r[0], (int) r[1], key(r[2]), r[3], r[4], (int) r[5], (int) r[6]));
    }
    return new TemplateGroups(m, groups);
  }

  /** Per group, the number of distinct values of field {@code field} among its documents. */
  private static JavaPairRDD<Long, Long> distinctCount(
      JavaPairRDD<Long, long[]> rooted, int field, int partitions) {
    return rooted
        .mapToPair(d -> new Tuple2<>(new Tuple2<>(d._1(), d._2()[field]), 1))
        .reduceByKey((a, b) -> a, partitions)
        .mapToPair(d -> new Tuple2<>(d._1()._1(), 1L))
        .reduceByKey(Long::sum, partitions);
  }

  @Override
  public long[] templateMembers(long group) {
    long[] global =
        grouped.filter(d -> d._1() == group).values().collect().stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    long[] keys = new long[global.length];
    for (int i = 0; i < global.length; i++) {
      keys[i] = key(global[i]);
    }
    return keys;
  }

  private long key(long global) {
    int shard = SparkNearDuplicates.shardOf(start, global);
    return ((long) shard << 32) | (global - start[shard]);
  }

  @Override
  public String text(long key) throws IOException {
    int shard = (int) (key >>> 32);
    long position = key & 0xffffffffL;
    try (DocumentStream in = open(inputs.get(shard), conf)) {
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
    if (grouped != null) {
      grouped.unpersist(false);
    }
    Broadcast<DocumentLines> shipped = sc.broadcast(lines);
    HadoopConf c = conf;
    String wk = work;
    long[] st = start;
    List<List<Set<String>>> parts =
        members
            .mapToPair(
                m -> {
                  int shard = SparkNearDuplicates.shardOf(st, m._1());
                  return new Tuple2<>(shard, new long[] {m._1() - st[shard], m._2()[0], m._2()[1]});
                })
            .partitionBy(new HashPartitioner(Math.max(1, shards)))
            .mapPartitionsWithIndex(
                (shard, it) -> {
                  Map<Long, long[]> clustered = new HashMap<>();
                  it.forEachRemaining(m -> clustered.put(m._2()[0], m._2()));
                  return List.of(writeShardLines(shard, clustered, shipped.value(), c, wk))
                      .iterator();
                },
                true)
            .collect();
    members.unpersist(false);
    shipped.destroy();
    List<Set<String>> sources = lines.sourceSets();
    for (List<Set<String>> p : parts) {
      for (int f = 0; f < p.size(); f++) {
        sources.get(f).addAll(p.get(f));
      }
    }
    join("flags");
    join("clusters");
    return sources;
  }

  /**
   * Shard {@code shard}'s output lines, in document order, into the work folder; returns the
   * sources of the documents each finding flags in this shard.
   */
  private static List<Set<String>> writeShardLines(
      int shard, Map<Long, long[]> clustered, DocumentLines lines, HadoopConf c, String work)
      throws IOException {
    List<Set<String>> sources = lines.sourceSets();
    Path docs = new Path(shardDir(work, shard), "docs.jsonl");
    FileSystem fs = c.fileSystem(docs);
    try (BufferedReader r =
            new BufferedReader(new InputStreamReader(fs.open(docs), StandardCharsets.UTF_8));
        JsonGenerator flags = DocumentLines.generator(fs.create(part(work, "flags", shard), true));
        JsonGenerator clusters =
            DocumentLines.generator(fs.create(part(work, "clusters", shard), true))) {
      String line;
      long pos = 0;
      while ((line = r.readLine()) != null) {
        long key = ((long) shard << 32) | pos;
        long[] m = clustered.get(pos);
        if (m != null || lines.flagged(key)) {
          JsonNode node = DocumentLines.parse(line);
          lines.writeFlags(flags, key, node, sources);
          if (m != null) {
            DocumentLines.writeCluster(clusters, node, m[1], m[2]);
          }
        }
        pos++;
      }
    }
    return sources;
  }

  private static Path part(String work, String name, int shard) {
    return new Path(new Path(work, "lines"), String.format("%s-%05d.jsonl", name, shard));
  }

  /** {@code OUT/name.jsonl}: the shards' parts in shard order, renamed into place when whole. */
  private void join(String name) throws IOException {
    Path target = new Path(out, name + ".jsonl");
    Path temp = new Path(out, "." + name + ".jsonl.tmp");
    FileSystem fs = conf.fileSystem(target);
    try (OutputStream o = fs.create(temp, true)) {
      for (int i = 0; i < shards; i++) {
        try (InputStream in = fs.open(part(work, name, i))) {
          in.transferTo(o);
        }
      }
    }
    replace(fs, temp, target);
  }

  @Override
  public void writeSummary(String json) throws IOException {
    Path target = new Path(out, "summary.json");
    Path temp = new Path(out, ".summary.json.tmp");
    FileSystem fs = conf.fileSystem(target);
    try (OutputStream o = fs.create(temp, true)) {
      o.write(json.getBytes(StandardCharsets.UTF_8));
    }
    replace(fs, temp, target);
  }

  private static void replace(FileSystem fs, Path temp, Path target) throws IOException {
    fs.delete(target, false);
    if (!fs.rename(temp, target)) {
      throw new IOException("cannot rename " + temp + " to " + target);
    }
  }
}
