package org.poisonlab.defense;

import java.util.function.Consumer;
import org.poisonlab.data.Dataset;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * What a detector may use besides the data.
 *
 * @param seed drives every random choice (folds, projections, initialisations)
 * @param model a model trained on the suspect set, or null: detectors that need one train it
 *     themselves (with cross-validation where out-of-sample scores are needed)
 * @param progress progress messages; never null
 * @param reference clean data of the same kind and labels (a held-out split the user trusts), or
 *     null: the filters test their flag counts against its natural error level; without it they
 *     report label-noise candidates only
 */
public record ScanContext(
    long seed, DifferentiableClassifier model, Consumer<String> progress, Dataset reference) {
  public ScanContext {
    progress = progress == null ? m -> {} : progress;
  }

  /** A context without a clean reference. */
  public ScanContext(long seed, DifferentiableClassifier model, Consumer<String> progress) {
    this(seed, model, progress, null);
  }
}
