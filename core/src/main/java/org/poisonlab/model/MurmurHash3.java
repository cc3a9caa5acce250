package org.poisonlab.model;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, 2011, public domain algorithm): blocks of four
 * little-endian bytes are mixed into the state with multiplications by {@code 0xcc9e2d51} and
 * {@code 0x1b873593} and rotations, the tail likewise, and the length folded in before the final
 * avalanche {@code fmix32}.
 */
final class MurmurHash3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private MurmurHash3() {}

  static int hash32(byte[] data, int seed) {
    return hash32(data, data.length, seed);
  }

  /** The hash of {@code data[0 .. len)}. */
  static int hash32(byte[] data, int len, int seed) {
    int h = seed;
    int blocks = len & ~3;
    for (int i = 0; i < blocks; i += 4) {
      int k =
          (data[i] & 0xff)
              | (data[i + 1] & 0xff) << 8
              | (data[i + 2] & 0xff) << 16
              | (data[i + 3] & 0xff) << 24;
      h ^= mixK(k);
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    switch (len & 3) {
      case 3:
        k ^= (data[blocks + 2] & 0xff) << 16;
        // fall through
      case 2:
        k ^= (data[blocks + 1] & 0xff) << 8;
        // fall through
      case 1:
        k ^= data[blocks] & 0xff;
        h ^= mixK(k);
        break;
      default:
        break;
    }
    h ^= len;
    return fmix(h);
  }

  private static int mixK(int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    return k * C2;
  }

  private static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
