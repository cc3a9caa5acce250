package org.poisonlab.linalg;

import java.util.Arrays;

/**
 * A dense row-major matrix of doubles: entry {@code (i, j)} is {@code values()[i * cols() + j]}.
 *
 * <p>A container, not a value: it holds the array it was given without copying, and {@link
 * #values()} returns that same array so kernels can work on it in place. Whoever makes a matrix
 * owns it; code that receives one must not modify it unless told so.
 */
public final class DenseMatrix implements Matrix {
  private final int rows;
  private final int cols;
  private final double[] values;

  /**
   * @param values row-major, length {@code rows * cols}; kept, not copied
   * @throws IllegalArgumentException if the length does not match
   */
  public DenseMatrix(int rows, int cols, double[] values) {
    if (rows < 0 || cols < 0 || (long) rows * cols != values.length) {
      throw new IllegalArgumentException(
          "a "
              + rows
              + " x "
              + cols
              + " matrix needs "
              + ((long) rows * cols)
              + " values, not "
              + values.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.values = values;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int cols() {
    return cols;
  }

  /** The backing array (not a copy). */
  public double[] values() {
    return values;
  }

  public double get(int i, int j) {
    return values[i * cols + j];
  }

  @Override
  public DenseMatrix gather(int[] index, int from, int to) {
    return new DenseMatrix(to - from, cols, gatherRows(index, from, to, null));
  }

  /**
   * Copies rows {@code index[from .. to)} one after the other into {@code out} (row-major) and
   * returns it.
   *
   * @param index not modified
   * @param out modified: its first {@code (to - from) * cols()} entries; null to allocate
   */
  public double[] gatherRows(int[] index, int from, int to, double[] out) {
    int n = to - from;
    if (out == null) {
      out = new double[n * cols];
    } else if (out.length < n * cols) {
      throw new IllegalArgumentException(
          "output holds " + out.length + " values, needs " + n * cols);
    }
    for (int r = 0; r < n; r++) {
      System.arraycopy(values, index[from + r] * cols, out, r * cols, cols);
    }
    return out;
  }

  @Override
  public double[] denseRow(int i) {
    return Arrays.copyOfRange(values, i * cols, (i + 1) * cols);
  }
}
