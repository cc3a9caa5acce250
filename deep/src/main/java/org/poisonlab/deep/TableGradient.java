package org.poisonlab.deep;

import java.util.Arrays;

/**
 * The gradient of an embedding table from the gradients of the rows a batch looked up: row {@code
 * k} receives the sum of the gradients at every position whose id is {@code k}, added in position
 * order from zero in float arithmetic. That is the order and the arithmetic of PyTorch's dense
 * embedding backward on CPU ({@code grad_weight[k] += grad[i]} for i in order), so the result has
 * the same bits, without a dense table-sized gradient being made, filled and copied out each step.
 *
 * <p>The gradient array is kept between steps: only the rows the previous batch touched are zeroed
 * before the next one is added. Not thread-safe: one training run, one instance.
 */
final class TableGradient {
  private final int width;
  private float[] gradient;
  private long[] touched = new long[0];

  /**
   * @param rows rows of the table
   * @param width entries per row
   */
  TableGradient(int rows, int width) {
    this.width = width;
    this.gradient = new float[Math.multiplyExact(rows, width)];
  }

  /**
   * The table's gradient for one batch: zero but in the rows of {@code ids}.
   *
   * @param ids the id at each position, not modified
   * @param rowGradients {@code ids.length × width}, the gradient at each position, not modified
   * @return the gradient, {@code rows × width}; valid until the next call, which reuses it
   */
  float[] of(long[] ids, float[] rowGradients) {
    if (rowGradients.length != ids.length * width) {
      throw new IllegalArgumentException(
          rowGradients.length + " row gradients for " + ids.length + " positions of " + width);
    }
    for (long k : touched) {
      Arrays.fill(gradient, (int) k * width, (int) k * width + width, 0f);
    }
    for (int i = 0; i < ids.length; i++) {
      int at = Math.toIntExact(ids[i]) * width;
      int from = i * width;
      for (int j = 0; j < width; j++) {
        gradient[at + j] += rowGradients[from + j];
      }
    }
    touched = ids;
    return gradient;
  }
}
