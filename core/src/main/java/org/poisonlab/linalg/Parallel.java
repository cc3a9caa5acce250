package org.poisonlab.linalg;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * Runs a fixed number of parts of a job on a shared pool of daemon threads, the caller taking part
 * 0. Parts must write disjoint outputs; which thread runs a part never changes a result.
 */
final class Parallel {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private static final ForkJoinPool POOL =
      new ForkJoinPool(
          Math.max(1, CORES),
          pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setDaemon(true);
            t.setName("poisonlab-linalg-" + t.getPoolIndex());
            return t;
          },
          null,
          false);

  private Parallel() {}

  /** {@code threads} as asked, 0 meaning every core; at least 1. */
  static int threads(int threads) {
    return threads <= 0 ? CORES : threads;
  }

  /** Runs {@code body} for part 0..parts-1 and returns when all are done. */
  static void run(int parts, IntConsumer body) {
    if (parts <= 1) {
      body.accept(0);
      return;
    }
    @SuppressWarnings("unchecked")
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
    for (int p = 1; p < parts; p++) {
      final int part = p;
      tasks[p - 1] = POOL.submit(() -> body.accept(part));
    }
    RuntimeException failure = null;
    try {
      body.accept(0);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (ForkJoinTask<?> t : tasks) {
      try {
        t.join();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Start of part {@code p} of {@code parts} over [0, n), in multiples of {@code grain}. */
  static int split(int n, int parts, int p, int grain) {
    if (p >= parts) {
      return n;
    }
    long units = (n + (long) grain - 1) / grain;
    long start = units * p / parts * grain;
    return (int) Math.min(n, start);
  }
}
