package org.poisonlab.linalg;

import java.util.Objects;

/**
 * A dense row-major matrix whose entries are unsigned bytes times a fixed scale: entry {@code (i,
 * j)} is {@code (bytes()[i * cols() + j] & 0xFF) / divisor()}, computed as that one division. It
 * holds images at an eighth of the memory of doubles; kernels read it through {@link #rowsInto} and
 * {@link #gatherRows}, which write doubles into a caller's buffer.
 *
 * <p>A container like {@link DenseMatrix}: the array is kept without copying.
 */
public final class ByteMatrix implements Matrix {
  private final int rows;
  private final int cols;
  private final byte[] bytes;
  private final double divisor;
  private final double[] table = new double[256];

  /**
   * @param bytes row-major, length {@code rows * cols}; kept, not copied
   * @param divisor each entry is its unsigned byte divided by this (255 for pixels in [0, 1])
   * @throws IllegalArgumentException if the length does not match or the divisor is not positive
   */
  public ByteMatrix(int rows, int cols, byte[] bytes, double divisor) {
    if (rows < 0 || cols < 0 || (long) rows * cols != bytes.length) {
      throw new IllegalArgumentException(
          "a "
              + rows
              + " x "
              + cols
              + " matrix needs "
              + ((long) rows * cols)
              + " bytes, not "
              + bytes.length);
    }
    if (!(divisor > 0) || Double.isInfinite(divisor)) {
      throw new IllegalArgumentException("divisor must be positive and finite, not " + divisor);
    }
    this.rows = rows;
    this.cols = cols;
    this.bytes = bytes;
    this.divisor = divisor;
    for (int b = 0; b < 256; b++) {
      table[b] = b / divisor;
    }
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /** The backing bytes (not a copy). */
  public byte[] bytes() {
    return bytes;
  }

  public double divisor() {
    return divisor;
  }

  public double get(int i, int j) {
    return table[bytes[i * cols + j] & 0xFF];
  }

  /**
   * Rows {@code from .. to} as doubles, row-major, into {@code out} (returned).
   *
   * @param out modified: its first {@code (to - from) * cols()} entries; null to allocate
   */
  public double[] rowsInto(int from, int to, double[] out) {
    Objects.checkFromToIndex(from, to, rows);
    int n = (to - from) * cols;
    if (out == null) {
      out = new double[n];
    } else if (out.length < n) {
      throw new IllegalArgumentException("output holds " + out.length + " values, needs " + n);
    }
    convert(from * cols, out, 0, n);
    return out;
  }

  /**
   * Rows {@code index[from .. to)} as doubles, one after the other, into {@code out} (returned).
   *
   * @param index not modified
   * @param out modified: its first {@code (to - from) * cols()} entries; null to allocate
   */
  public double[] gatherRows(int[] index, int from, int to, double[] out) {
    int n = (to - from) * cols;
    if (out == null) {
      out = new double[n];
    } else if (out.length < n) {
      throw new IllegalArgumentException("output holds " + out.length + " values, needs " + n);
    }
    for (int r = from; r < to; r++) {
      int i = index[r];
      Objects.checkIndex(i, rows);
      convert(i * cols, out, (r - from) * cols, cols);
    }
    return out;
  }

  private void convert(int src, double[] out, int dst, int n) {
    double[] t = table;
    byte[] b = bytes;
    for (int j = 0; j < n; j++) {
      out[dst + j] = t[b[src + j] & 0xFF];
    }
  }

  /** The whole matrix as doubles. */
  public DenseMatrix toDense() {
    return new DenseMatrix(rows, cols, rowsInto(0, rows, null));
  }

  @Override
  public ByteMatrix gather(int[] index, int from, int to) {
    byte[] out = new byte[(to - from) * cols];
    for (int r = from; r < to; r++) {
      System.arraycopy(bytes, index[r] * cols, out, (r - from) * cols, cols);
    }
    return new ByteMatrix(to - from, cols, out, divisor);
  }

  @Override
  public double[] denseRow(int i) {
    return rowsInto(i, i + 1, null);
  }
}
