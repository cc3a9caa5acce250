package org.poisonlab.cli;

import java.nio.file.Path;
import org.poisonlab.data.Dataset;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.ModelCompanions;
import org.poisonlab.model.Models;
import picocli.CommandLine.Option;

/**
 * {@code --tokenizer} and {@code --labels}: what a user's own model ({@code --model
 * torchscript:FILE}) needs beside it; a model PoisonLab made carries both.
 */
final class ModelCompanionOptions {
  @Option(
      names = "--tokenizer",
      paramLabel = "tokenizer.json",
      description = "With --model torchscript:FILE for text: its Hugging Face tokenizer.")
  Path tokenizer;

  @Option(
      names = "--labels",
      paramLabel = "FILE",
      description =
          "With --model torchscript:FILE: its class names, one a line, in the order of its outputs"
              + " (default: the data's labels, sorted).")
  Path labels;

  /**
   * The model {@code spec} names, its labels and image shape told by {@code data} when needed
   * (null: a model PoisonLab made, which needs no data to load).
   */
  DifferentiableClassifier load(String spec, Dataset data) {
    return Models.load(
        spec,
        data == null
            ? new ModelCompanions(tokenizer, labels, null, null)
            : ModelCompanions.of(tokenizer, labels, data));
  }

  /** Whether {@code spec} names a model of another framework, which needs the data to load. */
  static boolean external(String spec) {
    return Models.isExternal(spec);
  }
}
