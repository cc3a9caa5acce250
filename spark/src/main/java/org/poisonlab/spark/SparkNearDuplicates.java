package org.poisonlab.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.poisonlab.corpus.ScanEngine;
import org.poisonlab.corpus.SignatureReader;
import scala.Tuple2;

/**
 * The near-duplicate stage of {@link SparkScanEngine}: the local scan's clustering (band buckets, a
 * star and a chain per bucket, signature agreement, components named by their smallest index) with
 * no single-node step.
 */
final class SparkNearDuplicates {
  private SparkNearDuplicates() {}

  /** The counts for the summary, and each clustered document's (root, cluster size) by index. */
  record Result(ScanEngine.Duplicates duplicates, JavaPairRDD<Long, long[]> members) {}

  /**
   * Exact duplicates counted by a reduction; band buckets grouped, candidate pairs made as the
   * local clustering makes them, verified where the signatures lie, and joined into components.
   */
  static Result run(
      JavaSparkContext sc,
      JavaRDD<Integer> shardTasks,
      int shards,
      long[] start,
      ScanSettings s,
      HadoopConf c,
      String wk)
      throws IOException {
    long documents = start[shards];
    int partitions = sc.defaultParallelism();
    long[] st = start;

    long exactDuplicates =
        shardTasks
            .flatMapToPair(
                i -> {
                  List<Tuple2<Long, Long>> hashes = new ArrayList<>();
                  try (SignatureReader r = SparkScanEngine.signatures(i, s, c, wk)) {
                    while (r.next()) {
                      hashes.add(new Tuple2<>(r.exactHash(), 1L));
                    }
                  }
                  return hashes.iterator();
                })
            .reduceByKey(Long::sum, partitions)
            .values()
            .map(n -> n - 1)
            .fold(0L, Long::sum);

    JavaPairRDD<Tuple2<Integer, Long>, Long> buckets =
        shardTasks.flatMapToPair(
            i -> {
              List<Tuple2<Tuple2<Integer, Long>, Long>> keys = new ArrayList<>();
              try (SignatureReader r = SparkScanEngine.signatures(i, s, c, wk)) {
                long g = st[i];
                while (r.next()) {
                  if (r.hasSignature()) {
                    for (int b = 0; b < s.bands(); b++) {
                      long bucket = SignatureReader.bucket(r.bandKey(b), documents);
                      keys.add(new Tuple2<>(new Tuple2<>(b, bucket), g));
                    }
                  }
                  g++;
                }
              }
              return keys.iterator();
            });
    JavaPairRDD<Long, Long> candidates =
        buckets
            .groupByKey(partitions)
            .flatMapToPair(b -> candidatePairs(b._2()).iterator())
            .distinct(partitions);
    JavaPairRDD<Long, Long> edges =
        verified(candidates, shards, s, c, wk, st).persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<Long, Long> roots = Components.smallestNodes(edges, partitions);
    JavaPairRDD<Long, Long> sizes =
        roots.mapToPair(r -> new Tuple2<>(r._2(), 1L)).reduceByKey(Long::sum, partitions);
    JavaPairRDD<Long, long[]> members =
        roots
            .mapToPair(r -> new Tuple2<>(r._2(), r._1()))
            .join(sizes, partitions)
            .mapToPair(m -> new Tuple2<>(m._2()._1(), new long[] {m._1(), m._2()._2()}))
            .persist(StorageLevel.MEMORY_AND_DISK());
    long clustered = members.count();
    long clusters = sizes.count();
    edges.unpersist(false);
    if (clusters > Integer.MAX_VALUE) {
      throw new IOException(clusters + " near-duplicate clusters: more than a summary counts");
    }
    return new Result(
        new ScanEngine.Duplicates((int) clusters, clustered, exactDuplicates), members);
  }

  /**
   * A bucket's candidate pairs, as the local clustering makes them: in order of global index, the
   * first member with each other, and each member with the one before.
   */
  static List<Tuple2<Long, Long>> candidatePairs(Iterable<Long> bucket) {
    List<Long> ids = new ArrayList<>();
    bucket.forEach(ids::add);
    List<Tuple2<Long, Long>> pairs = new ArrayList<>();
    if (ids.size() < 2) {
      return pairs;
    }
    long[] sorted = ids.stream().mapToLong(Long::longValue).sorted().toArray();
    for (int k = 1; k < sorted.length; k++) {
      pairs.add(new Tuple2<>(sorted[0], sorted[k]));
      if (k > 1) {
        pairs.add(new Tuple2<>(sorted[k - 1], sorted[k]));
      }
    }
    return pairs;
  }

  /**
   * The candidate pairs whose signatures agree enough. Each pair visits the shard of its first
   * document, then of its second, and picks up their signatures where they are stored, so
   * signatures travel only with candidate pairs.
   */
  private static JavaPairRDD<Long, Long> verified(
      JavaPairRDD<Long, Long> candidates,
      int shards,
      ScanSettings s,
      HadoopConf c,
      String wk,
      long[] st) {
    HashPartitioner byShard = new HashPartitioner(Math.max(1, shards));
    double min = s.minSimilarity();
    JavaRDD<Tuple2<Tuple2<Long, Long>, int[]>> withFirst =
        candidates
            .mapToPair(p -> new Tuple2<>(shardOf(st, p._1()), p))
            .partitionBy(byShard)
            .mapPartitionsWithIndex(
                (shard, it) -> {
                  List<Tuple2<Long, Long>> pairs = new ArrayList<>();
                  it.forEachRemaining(p -> pairs.add(p._2()));
                  pairs.sort((x, y) -> Long.compare(x._1(), y._1()));
                  List<Tuple2<Tuple2<Long, Long>, int[]>> found = new ArrayList<>();
                  forSignatures(
                      shard,
                      pairs,
                      p -> p._1() - st[shard],
                      (p, sig) -> found.add(new Tuple2<>(p, sig.clone())),
                      s,
                      c,
                      wk);
                  return found.iterator();
                },
                true);
    return withFirst
        .mapToPair(p -> new Tuple2<>(shardOf(st, p._1()._2()), p))
        .partitionBy(byShard)
        .mapPartitionsWithIndex(
            (shard, it) -> {
              List<Tuple2<Tuple2<Long, Long>, int[]>> pairs = new ArrayList<>();
              it.forEachRemaining(p -> pairs.add(p._2()));
              pairs.sort((x, y) -> Long.compare(x._1()._2(), y._1()._2()));
              List<Tuple2<Long, Long>> kept = new ArrayList<>();
              forSignatures(
                  shard,
                  pairs,
                  p -> p._1()._2() - st[shard],
                  (p, sig) -> {
                    if (SignatureReader.similarity(p._2(), sig) >= min) {
                      kept.add(p._1());
                    }
                  },
                  s,
                  c,
                  wk);
              return kept.iterator();
            },
            true)
        .mapToPair(p -> p);
  }

  /**
   * Walks shard {@code shard}'s signature records once, handing each request (sorted by position)
   * the signature of the document at its position; the array is reused between calls.
   */
  private static <T> void forSignatures(
      int shard,
      List<T> requests,
      ToLongFunction<T> position,
      BiConsumer<T, int[]> action,
      ScanSettings s,
      HadoopConf c,
      String work)
      throws IOException {
    if (requests.isEmpty()) {
      return;
    }
    try (SignatureReader r = SparkScanEngine.signatures(shard, s, c, work)) {
      int at = 0;
      for (long pos = 0; at < requests.size() && r.next(); pos++) {
        while (at < requests.size() && position.applyAsLong(requests.get(at)) == pos) {
          action.accept(requests.get(at), r.signature());
          at++;
        }
      }
      if (at < requests.size()) {
        throw new IOException(
            "shard "
                + shard
                + " has no signature record at "
                + position.applyAsLong(requests.get(at)));
      }
    }
  }

  /** The shard holding global document index {@code global}, given each shard's first index. */
  static int shardOf(long[] start, long global) {
    int s = Arrays.binarySearch(start, global);
    if (s >= 0) {
      while (s + 1 < start.length && start[s + 1] == global) {
        s++;
      }
      return s;
    }
    return -s - 2;
  }
}
