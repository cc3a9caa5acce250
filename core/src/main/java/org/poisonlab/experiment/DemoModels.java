package org.poisonlab.experiment;

import org.poisonlab.data.Dataset;
import org.poisonlab.model.TrainConfig;

/**
 * The model families the demo's rows train: {@code text} on every SpamAssassin row, {@code image}
 * on every Fashion-MNIST row. Null keeps the defaults: logistic regression for text, logistic
 * regression for image label flipping and the one-hidden-layer MLP for the image backdoors.
 *
 * @param text a family that reads text ({@code logreg}, {@code mlp}, {@code textcnn}, {@code
 *     transformer}), or null
 * @param image a family that reads images ({@code logreg}, {@code mlp}, {@code cnn}), or null
 */
public record DemoModels(String text, String image) {
  /** The defaults. */
  public static final DemoModels DEFAULT = new DemoModels(null, null);

  /**
   * @throws org.poisonlab.io.BadInputException naming the family if it is unknown or reads the
   *     other kind of data
   */
  public DemoModels {
    if (text != null) {
      TrainConfig.defaults(text, Dataset.Kind.TEXT);
    }
    if (image != null) {
      TrainConfig.defaults(image, Dataset.Kind.IMAGE);
    }
  }

  String textModel() {
    return text == null ? "logreg" : text;
  }

  String imageLabelFlipModel() {
    return image == null ? "logreg" : image;
  }

  String imageBackdoorModel() {
    return image == null ? "mlp" : image;
  }

  /**
   * Whether every image row trains a built-in family ({@code logreg}, {@code mlp}: Java's own
   * kernels, no PyTorch), so work on PyTorch can run beside them without changing their results.
   */
  public boolean imageRowsBuiltIn() {
    return image == null || image.equals("logreg") || image.equals("mlp");
  }
}
