package org.poisonlab.linalg;

import java.util.Arrays;

/**
 * A sparse matrix in compressed sparse row form: the entries of row {@code i} sit at positions
 * {@code rowPtr()[i] .. rowPtr()[i+1]} of {@link #colIndex()} (strictly increasing within a row)
 * and {@link #values()}.
 *
 * <p>A container, like {@link DenseMatrix}: arrays are kept and returned without copying, and must
 * not be modified by code that did not make them.
 */
public final class CsrMatrix implements Matrix {
  private final int rows;
  private final int cols;
  private final int[] rowPtr;
  private final int[] colIndex;
  private final double[] values;

  /**
   * @param rowPtr length {@code rows + 1}, non-decreasing, from 0 to the number of entries; kept
   * @param colIndex column of each entry, each in [0, cols); kept
   * @param values value of each entry; kept
   * @throws IllegalArgumentException if the arrays are inconsistent
   */
  public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIndex, double[] values) {
    if (rowPtr.length != rows + 1
        || rowPtr[0] != 0
        || rowPtr[rows] != colIndex.length
        || colIndex.length != values.length) {
      throw new IllegalArgumentException(
          "inconsistent CSR arrays: rows "
              + rows
              + ", rowPtr "
              + rowPtr.length
              + " entries, "
              + colIndex.length
              + " columns, "
              + values.length
              + " values");
    }
    for (int i = 0; i < rows; i++) {
      if (rowPtr[i] > rowPtr[i + 1]) {
        throw new IllegalArgumentException("rowPtr decreases at row " + i);
      }
      for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
        int c = colIndex[p];
        if (c < 0 || c >= cols || (p > rowPtr[i] && colIndex[p - 1] >= c)) {
          throw new IllegalArgumentException(
              "row " + i + ": column " + c + " out of order or out of [0, " + cols + ")");
        }
      }
    }
    this.rows = rows;
    this.cols = cols;
    this.rowPtr = rowPtr;
    this.colIndex = colIndex;
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

  /** Number of stored entries. */
  public int nonZeros() {
    return values.length;
  }

  /** The backing row pointers (not a copy). */
  public int[] rowPtr() {
    return rowPtr;
  }

  /** The backing column indices (not a copy). */
  public int[] colIndex() {
    return colIndex;
  }

  /** The backing values (not a copy). */
  public double[] values() {
    return values;
  }

  @Override
  public CsrMatrix gather(int[] index, int from, int to) {
    int n = to - from;
    int[] ptr = new int[n + 1];
    for (int r = 0; r < n; r++) {
      int i = index[from + r];
      ptr[r + 1] = ptr[r] + rowPtr[i + 1] - rowPtr[i];
    }
    int[] c = new int[ptr[n]];
    double[] v = new double[ptr[n]];
    for (int r = 0; r < n; r++) {
      int i = index[from + r];
      int len = rowPtr[i + 1] - rowPtr[i];
      System.arraycopy(colIndex, rowPtr[i], c, ptr[r], len);
      System.arraycopy(values, rowPtr[i], v, ptr[r], len);
    }
    return new CsrMatrix(n, cols, ptr, c, v);
  }

  /**
   * The transpose, in CSR: row {@code j} holds column {@code j}'s entries in increasing order of
   * their row here. A product with it sums each column's terms in the order a scatter over these
   * rows would ({@code Matrices.multiplyTransA}), and can be split over columns.
   */
  public CsrMatrix transpose() {
    int[] ptr = new int[cols + 1];
    for (int q = 0; q < rowPtr[rows]; q++) {
      ptr[colIndex[q] + 1]++;
    }
    for (int j = 0; j < cols; j++) {
      ptr[j + 1] += ptr[j];
    }
    int[] next = Arrays.copyOf(ptr, cols);
    int[] c = new int[rowPtr[rows]];
    double[] v = new double[rowPtr[rows]];
    for (int i = 0; i < rows; i++) {
      for (int q = rowPtr[i]; q < rowPtr[i + 1]; q++) {
        int at = next[colIndex[q]]++;
        c[at] = i;
        v[at] = values[q];
      }
    }
    return new CsrMatrix(cols, rows, ptr, c, v);
  }

  @Override
  public double[] denseRow(int i) {
    double[] out = new double[cols];
    for (int p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
      out[colIndex[p]] = values[p];
    }
    return out;
  }

  @Override
  public String toString() {
    return "CsrMatrix["
        + rows
        + " x "
        + cols
        + ", "
        + values.length
        + " entries, first row "
        + Arrays.toString(Arrays.copyOfRange(colIndex, 0, Math.min(5, rowPtr[Math.min(1, rows)])))
        + "...]";
  }
}
