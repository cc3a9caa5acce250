package org.poisonlab.model;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.DenseMatrix;

/** Pixels scaled to [0, 1]: value {@code p / 255}, row-major, one row per image. */
final class PixelFeaturizer implements Featurizer {
  private static final double[] SCALE = new double[256];

  static {
    for (int p = 0; p < 256; p++) {
      SCALE[p] = p / 255.0;
    }
  }

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
  public DenseMatrix transform(List<Example> examples) {
    int n = examples.size();
    double[] out = new double[n * dim];
    for (int i = 0; i < n; i++) {
      Example e = examples.get(i);
      if (!e.isImage()) {
        throw new IllegalArgumentException("example " + e.id() + " is text; this model reads images of shape " + kind.shape());
      }
      if (e.pixelCount() != dim || !java.util.Arrays.equals(e.shape(), shape)) {
        throw new IllegalArgumentException(Featurizers.describe(e) + " does not match the model's image shape " + kind.shape());
      }
      int base = i * dim;
      for (int j = 0; j < dim; j++) {
        out[base + j] = SCALE[e.pixel(j)];
      }
    }
    return new DenseMatrix(n, dim, out);
  }
}
