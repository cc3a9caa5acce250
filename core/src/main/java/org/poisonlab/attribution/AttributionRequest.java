package org.poisonlab.attribution;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;

/**
 * What an attributor works from.
 *
 * @param model the model whose behaviour is explained, trained on {@code train}
 * @param train the training set, not modified
 * @param behavior inputs with the output to explain as their label; empty for self-influence
 * @param config how {@code model} was trained: methods that retrain (TRAK's ensemble, TracIn's
 *     checkpoints) use it; may be null for methods that do not
 * @param seed drives every random choice (projections, subsets, initialisations)
 * @param options method-specific settings by name (e.g. {@code damping}, {@code k}); unknown names
 *     are rejected by the method
 * @param progress one-line progress messages; never null
 */
public record AttributionRequest(
    DifferentiableClassifier model,
    Dataset train,
    List<Example> behavior,
    TrainConfig config,
    long seed,
    Map<String, String> options,
    Consumer<String> progress) {
  public AttributionRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    behavior = behavior == null ? List.of() : List.copyOf(behavior);
    options = options == null ? Map.of() : Map.copyOf(options);
    progress = progress == null ? m -> {} : progress;
  }

  /** Whether this asks for self-influence (no behaviour examples). */
  public boolean selfInfluence() {
    return behavior.isEmpty();
  }

  /** The same request with other options. */
  public AttributionRequest withOptions(Map<String, String> newOptions) {
    return new AttributionRequest(model, train, behavior, config, seed, newOptions, progress);
  }
}
