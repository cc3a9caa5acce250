package org.poisonlab.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What an external model (a user's TorchScript file) needs beside it: its tokenizer for text, the
 * order of its output classes, and the labels of the data it is about to read, from which that
 * order is taken when no label file is given (sorted label strings).
 *
 * @param tokenizer a Hugging Face {@code tokenizer.json}, or null
 * @param labels a file of class names, one a line, in the order of the model's outputs, or null
 * @param dataLabels the labels of the data the command reads (used when {@code labels} is null)
 * @param imageShape the shape of the data's images, or empty for text
 */
public record ModelCompanions(
    Path tokenizer, Path labels, List<String> dataLabels, List<Integer> imageShape) {
  public ModelCompanions {
    dataLabels = dataLabels == null ? List.of() : List.copyOf(dataLabels);
    imageShape = imageShape == null ? List.of() : List.copyOf(imageShape);
  }

  /**
   * The companions given on a command line, with what {@code data} (not modified) tells: its labels
   * and, for images, their shape.
   */
  public static ModelCompanions of(Path tokenizer, Path labels, org.poisonlab.data.Dataset data) {
    List<Integer> shape = new java.util.ArrayList<>();
    if (!data.isEmpty() && data.kind() == org.poisonlab.data.Dataset.Kind.IMAGE) {
      for (int d : data.get(0).shape()) {
        shape.add(d);
      }
    }
    return new ModelCompanions(tokenizer, labels, data.labels(), shape);
  }
}
