package org.poisonlab.model;

import java.util.List;
import java.util.Map;

/**
 * What made a model: the hash of its training data, the seed, the hyper-parameters, the software
 * and machine, and the provenance of the model it was fine-tuned from (if any), recursively.
 *
 * @param dataHash {@link org.poisonlab.data.Dataset#contentHash()} of the training set
 * @param dataName the training set's name
 * @param examples number of training examples
 * @param seed the seed that drove every random choice of the training
 * @param config the hyper-parameters
 * @param environment software versions and machine: {@code poisonlab}, {@code java}, {@code os},
 *     {@code cores}, {@code vector.bits}; kept sorted by key
 * @param init provenance of the model this one was fine-tuned from, or an empty list
 */
public record ModelProvenance(
    String dataHash,
    String dataName,
    int examples,
    long seed,
    TrainConfig config,
    Map<String, String> environment,
    List<ModelProvenance> init) {
  public ModelProvenance {
    // sorted by key: Map.copyOf's iteration order changes from one JVM to the next, and a model
    // file written from it would not be the same bytes for the same seed
    environment = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(environment));
    init = List.copyOf(init);
  }

  /**
   * The provenance of a model trained now on {@code train}, on this machine and build.
   *
   * @param parent the provenance of the model fine-tuned from, or null
   */
  public static ModelProvenance of(
      org.poisonlab.data.Dataset train, long seed, TrainConfig config, ModelProvenance parent) {
    return new ModelProvenance(
        train.contentHash(),
        train.name(),
        train.size(),
        seed,
        config,
        Environment.describe(),
        parent == null ? List.of() : List.of(parent));
  }
}
