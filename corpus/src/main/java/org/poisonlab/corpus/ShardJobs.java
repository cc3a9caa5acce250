package org.poisonlab.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one job per shard on a fixed number of threads; results in shard order. */
final class ShardJobs {
  /** A job on one shard. */
  interface Job<T> {
    T run(int shard) throws IOException;
  }

  private ShardJobs() {}

  static <T> List<T> run(int threads, int shards, Job<T> job) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, shards)));
    try {
      List<Future<T>> jobs = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        int shard = i;
        jobs.add(pool.submit(() -> job.run(shard)));
      }
      List<T> out = new ArrayList<>();
      for (Future<T> f : jobs) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("scan interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException io) {
        throw io;
      }
      if (c instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(c);
    } finally {
      pool.shutdownNow();
    }
  }
}
