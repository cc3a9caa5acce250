package org.poisonlab.model;

import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.Matrix;

/**
 * Turns examples into rows of a feature matrix. Implementations are immutable, deterministic (the
 * same example always gives the same row) and safe to share between threads; get them from {@link
 * Featurizers}.
 */
public interface Featurizer {
  /** What this featurizer computes; enough to rebuild it with {@link Featurizers#of}. */
  FeatureKind kind();

  /** The number of columns of the matrices this featurizer makes. */
  default int dimension() {
    return kind().dimension();
  }

  /**
   * One row per example, in order: a {@link org.poisonlab.linalg.CsrMatrix} for text, a {@link
   * org.poisonlab.linalg.ByteMatrix} (pixel bytes over 255) for images. The matrix is new and
   * belongs to the caller.
   *
   * @param examples not modified
   * @throws IllegalArgumentException if an example is not of this featurizer's kind or shape; the
   *     message names the example's id
   */
  Matrix transform(List<Example> examples);
}
