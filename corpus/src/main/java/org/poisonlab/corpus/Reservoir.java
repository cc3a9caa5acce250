package org.poisonlab.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} items from a stream of unknown length, in memory of
 * the sample's size (Vitter 1985, algorithm R): item {@code k} (from 0) is kept with probability
 * {@code capacity / (k + 1)}, replacing a uniformly chosen kept item. The same stream and random
 * draws give the same sample.
 */
final class Reservoir<T> {
  private final int capacity;
  private final List<T> items = new ArrayList<>();
  private long seen;

  Reservoir(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Counts one more item and returns the slot it takes ({@link #put} it there), or -1 when it is
   * not kept. Draws from {@code rng} only once the reservoir is full.
   */
  int admit(SplittableRandom rng) {
    long k = seen++;
    if (capacity == 0) {
      return -1;
    }
    if (k < capacity) {
      items.add(null);
      return (int) k;
    }
    long j = rng.nextLong(k + 1);
    return j < capacity ? (int) j : -1;
  }

  void put(int slot, T item) {
    items.set(slot, item);
  }

  /** The kept items, in slot order. */
  List<T> items() {
    return items;
  }
}
