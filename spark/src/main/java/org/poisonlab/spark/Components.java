package org.poisonlab.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Connected components of a graph held as an edge list across a cluster, each named by its smallest
 * node, by alternating large-star and small-star steps (Kiveris, Lattanzi, Mirrokni, Rastogi and
 * Vassilvitskii 2014, "Connected Components in MapReduce and Beyond"). With {@code Γ(u)} the
 * neighbours of {@code u} and {@code m(u) = min(Γ(u) ∪ {u})}: large-star replaces the edges of
 * {@code u} to its larger neighbours {@code v > u} by {@code (v, m(u))}; small-star replaces the
 * edges of {@code u} to its smaller neighbours {@code v < u}, and {@code u} itself, by {@code (v,
 * m)} with {@code m} the smallest of them. Both keep components; repeated until the edge set stops
 * changing, which takes {@code O(log² n)} rounds, the graph is one star per component, centred on
 * its smallest node. No step gathers a component on one machine.
 */
final class Components {
  private Components() {}

  /**
   * Per node that has an edge, the smallest node of its component (the smallest maps to itself).
   * Edges are undirected; self-loops and repeats are allowed.
   */
  static JavaPairRDD<Long, Long> smallestNodes(JavaPairRDD<Long, Long> edges, int partitions) {
    JavaPairRDD<Long, Long> current =
        edges
            .filter(e -> !e._1().equals(e._2()))
            .mapToPair(Components::ordered)
            .distinct(partitions)
            .persist(StorageLevel.MEMORY_AND_DISK());
    long size = current.count();
    while (true) {
      JavaPairRDD<Long, Long> next =
          smallStar(largeStar(current, partitions), partitions)
              .persist(StorageLevel.MEMORY_AND_DISK());
      long nextSize = next.count();
      boolean stable = nextSize == size && next.subtract(current, partitions).isEmpty();
      current.unpersist(false);
      current = next;
      size = nextSize;
      if (stable) {
        break;
      }
    }
    // a star per component: every edge is (centre, leaf) with centre < leaf
    JavaPairRDD<Long, Long> leaves = current.mapToPair(e -> new Tuple2<>(e._2(), e._1()));
    JavaPairRDD<Long, Long> centres =
        current.keys().distinct(partitions).mapToPair(c -> new Tuple2<>(c, c));
    return leaves.union(centres);
  }

  private static Tuple2<Long, Long> ordered(Tuple2<Long, Long> e) {
    return e._1() <= e._2() ? e : new Tuple2<>(e._2(), e._1());
  }

  /** Edges of each node to its larger neighbours go to the smallest of its neighbourhood. */
  static JavaPairRDD<Long, Long> largeStar(JavaPairRDD<Long, Long> edges, int partitions) {
    return edges
        .flatMapToPair(e -> List.of(e, new Tuple2<>(e._2(), e._1())).iterator())
        .groupByKey(partitions)
        .flatMapToPair(
            g -> {
              long u = g._1();
              long m = u;
              for (long v : g._2()) {
                m = Math.min(m, v);
              }
              List<Tuple2<Long, Long>> out = new ArrayList<>();
              for (long v : g._2()) {
                if (v > u) {
                  out.add(new Tuple2<>(m, v));
                }
              }
              return out.iterator();
            })
        .distinct(partitions);
  }

  /** Each node and its smaller neighbours go to the smallest of them. */
  static JavaPairRDD<Long, Long> smallStar(JavaPairRDD<Long, Long> edges, int partitions) {
    return edges
        .mapToPair(e -> new Tuple2<>(e._2(), e._1()))
        .groupByKey(partitions)
        .flatMapToPair(
            g -> {
              long u = g._1();
              long m = u;
              for (long v : g._2()) {
                m = Math.min(m, v);
              }
              List<Tuple2<Long, Long>> out = new ArrayList<>();
              if (u != m) {
                out.add(new Tuple2<>(m, u));
              }
              for (long v : g._2()) {
                if (v != m) {
                  out.add(new Tuple2<>(m, v));
                }
              }
              return out.iterator();
            })
        .distinct(partitions);
  }
}
