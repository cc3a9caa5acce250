package org.poisonlab.linalg;

/**
 * A matrix of features, one row per example: dense ({@link DenseMatrix}), dense bytes with a scale
 * ({@link ByteMatrix}) or compressed sparse rows ({@link CsrMatrix}).
 */
public sealed interface Matrix permits DenseMatrix, ByteMatrix, CsrMatrix {
  int rows();

  int cols();

  /**
   * A new matrix holding rows {@code index[from .. to)} of this one, in that order.
   *
   * @param index not modified
   * @throws IndexOutOfBoundsException if an index is not a row
   */
  Matrix gather(int[] index, int from, int to);

  /** Row {@code i} as a new dense array of length {@link #cols()}. */
  double[] denseRow(int i);
}
