package org.poisonlab.model;

import java.util.List;

/** The closed set of ways PoisonLab turns examples into feature vectors. */
public sealed interface FeatureKind {
  /** The length of the feature vector. */
  int dimension();

  /**
   * Text as signed hashed word unigrams and bigrams (the hashing trick of Weinberger et al.,
   * "Feature hashing for large scale multitask learning", ICML 2009).
   *
   * @param buckets number of hash buckets, a power of two in [2, 2^30]
   */
  record HashedNgrams(int buckets) implements FeatureKind {
    public HashedNgrams {
      if (buckets < 2 || buckets > (1 << 30) || Integer.bitCount(buckets) != 1) {
        throw new IllegalArgumentException(
            "hash buckets must be a power of two in [2, 2^30], not " + buckets);
      }
    }

    @Override
    public int dimension() {
      return buckets;
    }
  }

  /**
   * Images as their pixels scaled to [0, 1], row-major.
   *
   * @param shape the image shape every example must have, e.g. [28, 28]
   */
  record Pixels(List<Integer> shape) implements FeatureKind {
    public Pixels {
      shape = List.copyOf(shape);
      if (shape.isEmpty() || shape.stream().anyMatch(d -> d <= 0)) {
        throw new IllegalArgumentException("bad image shape " + shape);
      }
    }

    @Override
    public int dimension() {
      long n = 1;
      for (int d : shape) {
        n *= d;
      }
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("image shape " + shape + " is too large");
      }
      return (int) n;
    }
  }

  /**
   * A representation learned by a deep model (its penultimate layer): made by the model itself,
   * never rebuilt from this description alone.
   *
   * @param model the model family that makes it
   * @param dimension its width
   */
  record Learned(String model, int dimension) implements FeatureKind {
    public Learned {
      java.util.Objects.requireNonNull(model, "model");
      if (dimension <= 0) {
        throw new IllegalArgumentException(
            "representation width must be positive, not " + dimension);
      }
    }
  }
}
