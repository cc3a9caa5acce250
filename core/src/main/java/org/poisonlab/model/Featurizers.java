package org.poisonlab.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/** Factory of {@link Featurizer}s. */
public final class Featurizers {
  private Featurizers() {}

  /** The featurizer computing {@code kind}. */
  public static Featurizer of(FeatureKind kind) {
    if (kind instanceof FeatureKind.HashedNgrams h) {
      return new HashedNgramFeaturizer(h);
    }
    if (kind instanceof FeatureKind.Pixels px) {
      return new PixelFeaturizer(px);
    }
    throw new IllegalArgumentException(
        "a learned representation (" + kind + ") is made by its model, not rebuilt");
  }

  /**
   * The featurizer a model trained on {@code data} uses: hashed n-grams with {@code textBuckets}
   * buckets for text, pixels of the first example's shape for images.
   *
   * @param data not modified; must not be empty
   * @throws IllegalArgumentException if {@code data} is empty or {@code textBuckets} is not a power
   *     of two in [2, 2^30]
   */
  public static Featurizer forData(Dataset data, int textBuckets) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException(data.name() + ": no examples to size features from");
    }
    if (data.kind() == Dataset.Kind.TEXT) {
      return of(new FeatureKind.HashedNgrams(textBuckets));
    }
    List<Integer> shape = new ArrayList<>();
    for (int d : data.get(0).shape()) {
      shape.add(d);
    }
    return of(new FeatureKind.Pixels(shape));
  }

  /**
   * The tokens of hashed text features: maximal runs of letters, digits, '=' and '_', lowercased.
   */
  public static List<String> tokens(String text) {
    return HashedNgramFeaturizer.tokenize(text);
  }

  static String describe(Example e) {
    return e.isImage()
        ? "image " + e.id() + " of shape " + Arrays.toString(e.shape())
        : "text " + e.id();
  }
}
