package org.poisonlab.defense;

import java.util.Arrays;

/** An open-addressing map from {@code long} keys to non-negative {@code int} values; no boxing. */
final class LongIntMap {
  private long[] keys;
  private int[] values;
  private boolean hasZero;
  private int zeroValue;
  private int size;
  // the slots holding a key, so that clearing a large, mostly empty table costs its size only
  private int[] filled;

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    values = new int[cap];
    filled = new int[cap / 2 + 1];
  }

  int size() {
    return size;
  }

  /** The value of {@code key}, or -1. */
  int get(long key) {
    if (key == 0) {
      return hasZero ? zeroValue : -1;
    }
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        return -1;
      }
    }
  }

  /** The value of {@code key}; if absent, stores {@code value} and returns -1. */
  int putIfAbsent(long key, int value) {
    if (key == 0) {
      if (hasZero) {
        return zeroValue;
      }
      hasZero = true;
      zeroValue = value;
      size++;
      return -1;
    }
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (true) {
      long k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        break;
      }
      i = (i + 1) & mask;
    }
    keys[i] = key;
    values[i] = value;
    filled[size - (hasZero ? 1 : 0)] = i;
    size++;
    if (size * 2L > keys.length) {
      grow();
    }
    return -1;
  }

  void clear() {
    int stored = size - (hasZero ? 1 : 0);
    if (stored * 8L < keys.length) {
      for (int j = 0; j < stored; j++) {
        keys[filled[j]] = 0;
      }
    } else {
      Arrays.fill(keys, 0);
    }
    hasZero = false;
    size = 0;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    filled = new int[keys.length / 2 + 1];
    int mask = keys.length - 1;
    int stored = 0;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != 0) {
        int i = slot(k, mask);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
        filled[stored++] = i;
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
