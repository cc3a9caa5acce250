package org.poisonlab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The distributed components against a serial union-find on the same edges. */
class SparkComponentsTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(SparkCorpusScan.conf("local[2]"));
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  @Test
  void componentsOfRandomGraphsMatchUnionFind() {
    qt().withFixedSeed(20_240_601L)
        .withExamples(12)
        .forAll(integers().between(1, 120), integers().between(0, 160), longs().all())
        .checkAssert(
            (nodes, edges, seed) -> {
              SplittableRandom r = new SplittableRandom(seed);
              // node ids spread out, as global document indices are
              long[] id = new long[nodes];
              for (int i = 0; i < nodes; i++) {
                id[i] = (long) i * 1_000 + r.nextInt(1_000);
              }
              List<Tuple2<Long, Long>> list = new ArrayList<>();
              for (int e = 0; e < edges; e++) {
                list.add(new Tuple2<>(id[r.nextInt(nodes)], id[r.nextInt(nodes)]));
              }
              assertSameComponents(list, "nodes " + nodes + ", edges " + edges + ", seed " + seed);
            });
  }

  @Test
  void aLongPathInShuffledOrderIsOneComponent() {
    SplittableRandom r = new SplittableRandom(7);
    int n = 600;
    long[] order = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    List<Tuple2<Long, Long>> list = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      list.add(new Tuple2<>(order[i - 1], order[i]));
    }
    assertSameComponents(list, "path of " + n + ", shuffle seed 7");
  }

  private static void assertSameComponents(List<Tuple2<Long, Long>> edges, String why) {
    Map<Long, Long> expected = unionFind(edges);
    Map<Long, Long> actual =
        new HashMap<>(Components.smallestNodes(sc.parallelizePairs(edges, 3), 3).collectAsMap());
    assertEquals(expected, actual, why);
  }

  /** The serial twin: per node with an edge other than a self-loop, its component's smallest. */
  private static Map<Long, Long> unionFind(List<Tuple2<Long, Long>> edges) {
    Map<Long, Long> parent = new HashMap<>();
    for (Tuple2<Long, Long> e : edges) {
      if (e._1().equals(e._2())) {
        continue;
      }
      long a = find(parent, e._1());
      long b = find(parent, e._2());
      parent.put(Math.max(a, b), Math.min(a, b));
    }
    Map<Long, Long> root = new HashMap<>();
    for (long x : parent.keySet()) {
      root.put(x, find(parent, x));
    }
    return root;
  }

  private static long find(Map<Long, Long> parent, long x) {
    parent.putIfAbsent(x, x);
    while (parent.get(x) != x) {
      x = parent.get(x);
    }
    return x;
  }
}
