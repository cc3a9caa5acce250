package org.poisonlab.data;

import java.util.Arrays;

/**
 * An array of unsigned bytes read from an IDX file (the format of MNIST and Fashion-MNIST): its
 * dimensions, outermost first, and its values in row-major order.
 *
 * <p>Immutable: the constructor copies both arrays and the accessors return copies. {@link
 * #item(int)} and {@link #value(int)} read without copying the whole array.
 *
 * @param dims the dimensions; {@code dims[0]} is the number of items
 * @param data the values, {@code product(dims)} bytes, each read as 0..255
 */
public record IdxArray(int[] dims, byte[] data) {
  /**
   * @throws IllegalArgumentException if {@code dims} is empty, has a negative entry, or its product
   *     is not {@code data.length}
   */
  public IdxArray {
    dims = dims.clone();
    data = data.clone();
    if (dims.length == 0) {
      throw new IllegalArgumentException("an IDX array has at least one dimension");
    }
    long n = 1;
    for (int d : dims) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "dimensions " + Arrays.toString(dims) + " hold " + n + " values, not " + data.length);
    }
  }

  /** A copy of the dimensions. */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** A copy of the values. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The number of items, {@code dims()[0]}. */
  public int count() {
    return dims[0];
  }

  /** Values per item: the product of all dimensions but the first (1 for a 1-D array). */
  public int itemSize() {
    int s = 1;
    for (int i = 1; i < dims.length; i++) {
      s *= dims[i];
    }
    return s;
  }

  /**
   * A copy of item {@code i}'s values.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= i < count()}
   */
  public byte[] item(int i) {
    int size = itemSize();
    if (i < 0 || i >= count()) {
      throw new IndexOutOfBoundsException("item " + i + " of " + count());
    }
    return Arrays.copyOfRange(data, i * size, (i + 1) * size);
  }

  /** Value at flat position {@code i}, as 0..255. */
  public int value(int i) {
    return data[i] & 0xFF;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxArray a && Arrays.equals(dims, a.dims) && Arrays.equals(data, a.data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IdxArray" + Arrays.toString(dims);
  }
}
