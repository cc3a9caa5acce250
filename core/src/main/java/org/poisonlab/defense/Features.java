package org.poisonlab.defense;

import org.poisonlab.data.Dataset;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * The rows of a scanned set under a built-in network's featurizer, made once per scan: the
 * cross-validation, the representation model and the text kNN projection read the same hashed
 * n-grams or pixels.
 */
final class Features {
  private static final Memo<String, Trainers.Featurized> RECENT = new Memo<>(2);

  private Features() {}

  /** {@link Trainers#featurize} of {@code data} under {@code config}, shared while it is recent. */
  static Trainers.Featurized of(Dataset data, TrainConfig config) {
    return RECENT.get(
        data.contentHash() + "/" + config.textBuckets(), () -> Trainers.featurize(data, config));
  }
}
