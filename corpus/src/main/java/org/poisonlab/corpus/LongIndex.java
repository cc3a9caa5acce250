package org.poisonlab.corpus;

import java.util.Arrays;

/** A fixed set of 64-bit keys, each with its position in the given order; open addressing. */
final class LongIndex {
  private final long[] keys;
  private final int[] values;
  private final boolean[] used;
  private final int mask;

  LongIndex(long[] in) {
    int cap = Integer.highestOneBit(Math.max(4, in.length * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    used = new boolean[cap];
    mask = cap - 1;
    Arrays.fill(values, -1);
    for (int i = 0; i < in.length; i++) {
      int p = slot(in[i]);
      while (used[p] && keys[p] != in[i]) {
        p = (p + 1) & mask;
      }
      if (!used[p]) {
        used[p] = true;
        keys[p] = in[i];
        values[p] = i;
      }
    }
  }

  /** The key's position, or -1. */
  int get(long key) {
    int p = slot(key);
    while (used[p]) {
      if (keys[p] == key) {
        return values[p];
      }
      p = (p + 1) & mask;
    }
    return -1;
  }

  private int slot(long key) {
    return (int) (key ^ (key >>> 29)) & mask;
  }
}
