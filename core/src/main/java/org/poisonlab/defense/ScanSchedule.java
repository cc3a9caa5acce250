package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The order in which the detectors of one scan run on a few threads. What detectors share (a
 * trained model, its representations, a cross-validation; {@link Detector#shared}) runs as a step
 * of its own, once, and a detector starts only when its shared step is done, so no thread sits
 * waiting for another's result. Among ready steps the one deepest in a chain of shared steps goes
 * first (the shared computations, then the detectors that read them), and detectors that share
 * nothing fill the remaining time; ties go by submission order. Results never depend on this order:
 * a shared step only fills the cache the detector reads ({@link Memo}).
 */
final class ScanSchedule implements AutoCloseable {
  private final ThreadPoolExecutor pool;
  private final AtomicLong submitted = new AtomicLong();
  private final Map<String, Step<Void>> shared = new HashMap<>();

  /** A unit of work, started when the step before it (if any) is done. */
  final class Step<T> extends FutureTask<T> implements Comparable<Step<?>> {
    private final int depth;
    private final long order;
    private final List<Step<?>> next = new ArrayList<>();
    private boolean ran;

    private Step(Supplier<T> work, int depth) {
      super(work::get);
      this.depth = depth;
      this.order = submitted.getAndIncrement();
    }

    @Override
    public int compareTo(Step<?> o) {
      int c = Integer.compare(o.depth, depth);
      return c != 0 ? c : Long.compare(order, o.order);
    }

    @Override
    protected void done() {
      List<Step<?>> ready;
      synchronized (this) {
        ran = true;
        ready = List.copyOf(next);
      }
      ready.forEach(ScanSchedule.this::execute);
    }

    /** Starts {@code s} once this step is done (a failure here is the dependent's to report). */
    private void then(Step<?> s) {
      synchronized (this) {
        if (!ran) {
          next.add(s);
          return;
        }
      }
      execute(s);
    }
  }

  ScanSchedule(int threads) {
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new PriorityBlockingQueue<>(),
            task -> {
              Thread t = new Thread(task, "poisonlab-detector");
              t.setDaemon(true);
              return t;
            });
  }

  /** {@code work}, run after the shared steps {@code needs} names (null: none). */
  <T> Step<T> submit(Detector.Shared needs, Supplier<T> work) {
    Step<Void> before = needs == null ? null : sharedStep(needs);
    Step<T> s = new Step<>(work, before == null ? 0 : before.depth + 1);
    if (before == null) {
      execute(s);
    } else {
      before.then(s);
    }
    return s;
  }

  /**
   * Starts the threads. Steps submitted before wait in the queue, so the first to run are the first
   * in priority, not the first submitted.
   */
  void start() {
    pool.prestartAllCoreThreads();
  }

  private void execute(Step<?> s) {
    // the queue is unbounded and the core threads, once started, take from it
    pool.getQueue().add(s);
  }

  private Step<Void> sharedStep(Detector.Shared needs) {
    Step<Void> known = shared.get(needs.key());
    if (known != null) {
      return known;
    }
    Step<Void> before = needs.after() == null ? null : sharedStep(needs.after());
    Step<Void> s =
        new Step<>(
            () -> {
              needs.compute().run();
              return null;
            },
            before == null ? 1 : before.depth + 1);
    shared.put(needs.key(), s);
    if (before == null) {
      execute(s);
    } else {
      before.then(s);
    }
    return s;
  }

  /** The result of {@code s}, waiting for it; its failure rethrown as it was when unchecked. */
  static <T> T result(Step<T> s) throws InterruptedException {
    try {
      return s.get();
    } catch (ExecutionException e) {
      throw Memo.unchecked(e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
