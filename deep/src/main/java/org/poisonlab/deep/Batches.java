package org.poisonlab.deep;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.Permutations;

/** How examples are grouped into batches: by cost, so that a batch pads little. */
final class Batches {
  /** Batches sorted together when training: a pool of this many is ordered by cost. */
  static final int POOL = 50;

  private Batches() {}

  /** The positions of {@code examples} ordered by cost, ties in list order. */
  static int[] byCost(List<Example> examples, Architecture a) {
    int n = examples.size();
    int[] cost = new int[n];
    boolean flat = true;
    for (int i = 0; i < n; i++) {
      cost[i] = a.cost(examples.get(i));
      flat &= cost[i] == cost[0];
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (!flat) {
      Arrays.sort(order, Comparator.comparingInt(i -> cost[i]));
    }
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /**
   * One epoch's batches: a random permutation, cut into pools of {@link #POOL} batches, each pool
   * ordered by cost and cut into batches, then the batches in random order. Every choice is drawn
   * from {@code rng}.
   */
  static List<int[]> epoch(List<Example> examples, Architecture a, int size, SplittableRandom rng) {
    int n = examples.size();
    int[] perm = Permutations.random(n, rng);
    int[] cost = new int[n];
    for (int i = 0; i < n; i++) {
      cost[i] = a.cost(examples.get(i));
    }
    List<int[]> out = new ArrayList<>();
    int pool = size * POOL;
    for (int from = 0; from < n; from += pool) {
      int to = Math.min(n, from + pool);
      Integer[] part = new Integer[to - from];
      for (int i = from; i < to; i++) {
        part[i - from] = perm[i];
      }
      Arrays.sort(part, Comparator.comparingInt(i -> cost[i]));
      for (int b = 0; b < part.length; b += size) {
        int e = Math.min(part.length, b + size);
        int[] batch = new int[e - b];
        for (int i = b; i < e; i++) {
          batch[i - b] = part[i];
        }
        out.add(batch);
      }
    }
    int[] bo = Permutations.random(out.size(), rng);
    List<int[]> shuffled = new ArrayList<>(out.size());
    for (int i : bo) {
      shuffled.add(out.get(i));
    }
    return shuffled;
  }

  static List<Example> pick(List<Example> examples, int[] positions) {
    List<Example> out = new ArrayList<>(positions.length);
    for (int i : positions) {
      out.add(examples.get(i));
    }
    return out;
  }
}
