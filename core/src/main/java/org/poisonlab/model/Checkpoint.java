package org.poisonlab.model;

import java.util.Objects;

/**
 * The model at one point of a training run, for methods that look at the whole trajectory (TracIn).
 *
 * @param step the epoch (mini-batch optimizers, 1-based) or the L-BFGS iteration after which the
 *     parameters were taken
 * @param learningRate the step size in force before the checkpoint: for mini-batch optimizers the
 *     mean of the epoch's (cosine-decayed) step sizes; for L-BFGS, which has no fixed step size, 1
 * @param model the model with the parameters of that point (same featurizer, labels and provenance
 *     as the final model)
 */
public record Checkpoint(int step, double learningRate, DifferentiableClassifier model) {
  public Checkpoint {
    Objects.requireNonNull(model, "model");
  }
}
