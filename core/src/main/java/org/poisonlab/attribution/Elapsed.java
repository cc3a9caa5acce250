package org.poisonlab.attribution;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * How long a step of an attribution took, told to its progress. Timings are for people and never go
 * into an {@link Attribution}'s diagnostics, so the same inputs and seed give the same trace file
 * bytes.
 */
final class Elapsed {
  private Elapsed() {}

  /** Seconds since {@code start}, a {@link System#nanoTime} value. */
  static double since(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Tells {@code progress} "{@code step} in S.SS s", S the seconds since {@code start} (a {@link
   * System#nanoTime} value), and returns S.
   */
  static double tell(Consumer<String> progress, String step, long start) {
    double seconds = since(start);
    progress.accept(String.format(Locale.ROOT, "%s in %.2f s", step, seconds));
    return seconds;
  }
}
