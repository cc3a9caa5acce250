package org.poisonlab.model;

import java.util.List;
import java.util.function.Consumer;
import org.poisonlab.data.Dataset;

/**
 * Trains models of one family with fixed hyper-parameters: from scratch, or fine-tuned from a model
 * of the same family. Obtained from {@link Models#trainer(TrainConfig)}; implementations are
 * immutable and may be shared between threads.
 *
 * <p>Contract: the result depends only on the data, the hyper-parameters, the start model and the
 * seed. Two calls with the same arguments give the same model (bit-identical parameters where the
 * family's engine allows; a family that cannot promise this says so in its documentation).
 */
public interface Trainer {
  /** The family this trainer makes, as named on the command line. */
  String model();

  /**
   * Trains a model on {@code train}, from scratch when {@code init} is null, else starting from
   * {@code init} (its parameters, featurizer and labels; provenance lists init as the parent).
   *
   * @param train not modified
   * @param init null, or a model of this trainer's family to fine-tune
   * @param progress receives one-line progress messages; may be null
   * @throws org.poisonlab.io.BadInputException if the training set is empty, has one class (without
   *     init), has a label init does not know, or holds examples of the wrong kind, or if init is
   *     of another family
   */
  DifferentiableClassifier train(
      Dataset train, long seed, Classifier init, Consumer<String> progress);

  /**
   * Trains as {@link #train} does and also keeps the model at checkpoints along the way (at least
   * the final one, last). Memory grows with checkpoints × parameters.
   *
   * @throws org.poisonlab.io.BadInputException as {@link #train}
   */
  List<Checkpoint> trainWithCheckpoints(
      Dataset train, long seed, Classifier init, Consumer<String> progress);
}
