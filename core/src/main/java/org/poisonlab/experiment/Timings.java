package org.poisonlab.experiment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Seconds per named step of a run, in the order the steps finished. Timings go to {@code run.json}
 * only, never to a results file, so the same seed gives the same result bytes. Not thread-safe: one
 * accumulator per thread, merged with {@link #putAll}.
 */
final class Timings {
  private final Map<String, Double> seconds = new LinkedHashMap<>();

  /** Seconds since {@code t0} (a {@link System#nanoTime} value), to two decimals. */
  static double since(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
  }

  /** Records {@code value} seconds for {@code name}, replacing an earlier value. */
  void put(String name, double value) {
    seconds.put(name, value);
  }

  /** Adds every timing of {@code other}, in its order. */
  void putAll(Timings other) {
    seconds.putAll(other.seconds);
  }

  /** Adds every entry of {@code other}, in its order. */
  void putAll(Map<String, Double> other) {
    seconds.putAll(other);
  }

  /** Runs {@code work} and records its seconds under {@code name}. */
  <T> T time(String name, Supplier<T> work) {
    long t = System.nanoTime();
    T r = work.get();
    seconds.put(name, since(t));
    return r;
  }

  /**
   * Like {@link #time(String, Supplier)}, and tells {@code progress} when the step starts and how
   * long it took.
   */
  <T> T time(String name, Consumer<String> progress, Supplier<T> work) {
    long t = System.nanoTime();
    progress.accept(name + ": start");
    T r = work.get();
    seconds.put(name, since(t));
    progress.accept(
        name + String.format(Locale.ROOT, ": done in %.1f s", (System.nanoTime() - t) / 1e9));
    return r;
  }

  /** The timings so far, as an unmodifiable view in insertion order. */
  Map<String, Double> asMap() {
    return Collections.unmodifiableMap(seconds);
  }
}
