package org.poisonlab.model;

import java.nio.file.Path;
import org.poisonlab.data.Dataset;

/**
 * A model family that PoisonLab can train, fine-tune, save and load by name ({@code logreg}, {@code
 * mlp}, and families added by other modules). The built-in families are listed in {@link Models};
 * another module adds one by implementing this interface and naming the class in its {@code
 * META-INF/services/org.poisonlab.model.ModelKind} file ({@link java.util.ServiceLoader}). See
 * {@code docs/contributing.md}, "Adding a model".
 */
public interface ModelKind {
  /** The name users type after {@code --model}; unique among families. */
  String name();

  /** One line for help texts. */
  String description();

  /**
   * The hyper-parameters this family uses on a kind of data when the user gives none.
   *
   * @throws org.poisonlab.io.BadInputException if the family does not handle that kind of data
   */
  TrainConfig defaults(Dataset.Kind data);

  /**
   * A trainer with these hyper-parameters.
   *
   * @param config {@code config.model()} is this family's name
   * @throws org.poisonlab.io.BadInputException if the hyper-parameters are not valid for the family
   */
  Trainer trainer(TrainConfig config);

  /**
   * Writes a model of this family atomically (temporary file, then rename).
   *
   * @param model not modified; {@code model.kind()} is this family's name
   * @throws IllegalArgumentException if the model was not made by this family
   */
  void save(Classifier model, Path file);

  /** Whether {@code file} holds a model of this family (false for any other file). */
  boolean reads(Path file);

  /**
   * Reads a model of this family.
   *
   * @throws org.poisonlab.io.BadInputException naming the file if it cannot be read or is corrupt
   */
  DifferentiableClassifier load(Path file);

  /**
   * Reads a model PoisonLab did not make, named {@code FAMILY:FILE} on the command line (a user's
   * TorchScript classifier), with what it needs beside it. This default refuses: PoisonLab's own
   * families are read by {@link #load}.
   *
   * @param companions the tokenizer and label files given with it, and the data it will read
   * @throws org.poisonlab.io.BadInputException naming the file if it cannot be read
   */
  default DifferentiableClassifier loadExternal(Path file, ModelCompanions companions) {
    throw new org.poisonlab.io.BadInputException(
        "'"
            + name()
            + ":' names no external model format; give a "
            + name()
            + " model file without the prefix");
  }
}
