package org.poisonlab.model;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.ByteMatrix;

/**
 * Pixels scaled to [0, 1]: value {@code p / 255}, row-major, one row per image, held as a {@link
 * ByteMatrix} of the raw bytes with divisor 255.
 */
final class PixelFeaturizer implements Featurizer {
  private final FeatureKind.Pixels kind;
  private final int[] shape;
  private final int dim;

  PixelFeaturizer(FeatureKind.Pixels kind) {
    this.kind = kind;
    this.shape = kind.shape().stream().mapToInt(Integer::intValue).toArray();
    this.dim = kind.dimension();
  }

  @Override
  public FeatureKind kind() {
    return kind;
  }

  @Override
  public int dimension() {
    return dim;
  }

  @Override
  public ByteMatrix transform(List<Example> examples) {
    int n = examples.size();
    byte[] out = new byte[n * dim];
    for (int i = 0; i < n; i++) {
      Example e = examples.get(i);
      if (!e.isImage()) {
        throw new IllegalArgumentException(
            "example " + e.id() + " is text; this model reads images of shape " + kind.shape());
      }
      if (e.pixelCount() != dim || !java.util.Arrays.equals(e.shape(), shape)) {
        throw new IllegalArgumentException(
            Featurizers.describe(e) + " does not match the model's image shape " + kind.shape());
      }
      int base = i * dim;
      for (int j = 0; j < dim; j++) {
        out[base + j] = (byte) e.pixel(j);
      }
    }
    return new ByteMatrix(n, dim, out, 255.0);
  }
}
