package org.poisonlab.defense;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * The few most recent results of a deterministic computation, by key: the detectors of one scan,
 * which may run side by side, share a cross-validation, a trained model or its representations, and
 * a caller asking for a result another thread is computing waits for it instead of repeating it. A
 * computation that throws is not kept.
 *
 * @param <K> the key; its {@code equals} decides what is the same computation
 * @param <V> the result, shared by every caller (read only)
 */
final class Memo<K, V> {
  private final Map<K, FutureTask<V>> recent;

  /**
   * @param kept how many results to keep (least recently used dropped first)
   */
  Memo(int kept) {
    this.recent =
        new LinkedHashMap<>(2 * kept, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, FutureTask<V>> eldest) {
            return size() > kept;
          }
        };
  }

  /** The kept result of {@code key}, or {@code compute}'s, made on this thread and kept. */
  V get(K key, Supplier<V> compute) {
    FutureTask<V> task;
    boolean mine = false;
    synchronized (recent) {
      task = recent.get(key);
      if (task == null) {
        task = new FutureTask<>(compute::get);
        recent.put(key, task);
        mine = true;
      }
    }
    if (mine) {
      task.run();
    }
    try {
      return task.get();
    } catch (ExecutionException e) {
      synchronized (recent) {
        recent.remove(key, task);
      }
      throw unchecked(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a shared result", e);
    }
  }

  /** The cause of a failed task, thrown as it was when unchecked, else wrapped. */
  static RuntimeException unchecked(ExecutionException e) {
    Throwable cause = e.getCause();
    if (cause instanceof RuntimeException r) {
      return r;
    }
    if (cause instanceof Error err) {
      throw err;
    }
    return new IllegalStateException(cause);
  }
}
