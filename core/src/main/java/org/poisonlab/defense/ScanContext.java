package org.poisonlab.defense;

import java.util.function.Consumer;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * What a detector may use besides the data.
 *
 * @param seed drives every random choice (folds, projections, initialisations)
 * @param model a model trained on the suspect set, or null: detectors that need one train it
 *     themselves (with cross-validation where out-of-sample scores are needed)
 * @param progress progress messages; never null
 */
public record ScanContext(long seed, DifferentiableClassifier model, Consumer<String> progress) {
  public ScanContext {
    progress = progress == null ? m -> {} : progress;
  }
}
