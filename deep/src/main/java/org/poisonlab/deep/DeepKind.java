package org.poisonlab.deep;

import java.nio.file.Path;
import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.ModelKind;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainer;

/**
 * The deep families, registered with {@link org.poisonlab.model.Models} through {@code
 * META-INF/services/org.poisonlab.model.ModelKind}: one subclass per family, each naming its
 * architecture and its defaults. {@link TrainConfig#hidden()} gives the architecture's widths.
 */
public abstract class DeepKind implements ModelKind {
  DeepKind() {}

  /** The kind of data this family reads. */
  abstract Dataset.Kind data();

  /** The architecture of a fresh model for {@code train} with these widths. */
  abstract Architecture architecture(Dataset train, int[] widths);

  /** How many widths {@link TrainConfig#hidden()} must give. */
  abstract int widths();

  @Override
  public TrainConfig defaults(Dataset.Kind kind) {
    if (kind != data()) {
      throw new BadInputException(
          "model '"
              + name()
              + "' reads "
              + data().name().toLowerCase()
              + ", not "
              + kind.name().toLowerCase());
    }
    return defaults();
  }

  abstract TrainConfig defaults();

  /** This optimizer with these widths, epochs, batch size and learning rate; no L2; all cores. */
  static TrainConfig miniBatch(
      String model, String optimizer, int[] widths, int epochs, int batch, double rate) {
    return new TrainConfig(
        model, optimizer, widths, epochs, batch, rate, 0, 100, TrainConfig.DEFAULT_TEXT_BUCKETS, 0);
  }

  @Override
  public Trainer trainer(TrainConfig config) {
    if (!List.of("adam", "sgd", "nesterov").contains(config.optimizer())) {
      throw new BadInputException(
          "model '" + name() + "' trains with adam, sgd or nesterov, not " + config.optimizer());
    }
    int[] widths = config.hidden().length == 0 ? defaults().hidden() : config.hidden();
    if (widths.length != widths()) {
      throw new BadInputException(
          "model '" + name() + "' takes " + widths() + " widths (--widths), not " + widths.length);
    }
    if (config.epochs() <= 0
        || config.batchSize() <= 0
        || !(config.learningRate() > 0)
        || config.l2() < 0) {
      throw new BadInputException(
          "model '"
              + name()
              + "' needs positive epochs, batch size and learning rate and a non-negative l2");
    }
    TrainConfig used = config.withHidden(widths);
    return new DeepTrainer(
        used,
        train -> {
          if (train.kind() != data()) {
            throw new IllegalArgumentException(
                "model '"
                    + name()
                    + "' reads "
                    + data().name().toLowerCase()
                    + ", not "
                    + train.kind().name().toLowerCase());
          }
          return architecture(train, widths);
        });
  }

  @Override
  public void save(Classifier model, Path file) {
    if (!(model instanceof DeepClassifier d) || !d.kind().equals(name())) {
      throw new IllegalArgumentException("not a " + name() + " model: " + model.kind());
    }
    DeepFiles.save(d, file);
  }

  @Override
  public boolean reads(Path file) {
    if (!DeepFiles.reads(file)) {
      return false;
    }
    String kind = DeepFiles.kindOf(file);
    // a damaged deep model file (no readable kind): the first family reports it when loading
    return kind == null || kind.equals(name());
  }

  @Override
  public DifferentiableClassifier load(Path file) {
    return DeepFiles.load(file);
  }

  /** {@code cnn}: a small convolutional network for images. */
  public static final class Cnn extends DeepKind {
    @Override
    public String name() {
      return "cnn";
    }

    @Override
    public String description() {
      return "convolutional network for images (PyTorch): two 3x3 conv + pool blocks, a dense layer";
    }

    @Override
    Dataset.Kind data() {
      return Dataset.Kind.IMAGE;
    }

    @Override
    int widths() {
      return 3;
    }

    @Override
    TrainConfig defaults() {
      return miniBatch("cnn", "nesterov", new int[] {32, 64, 128}, 6, 64, 0.05);
    }

    @Override
    Architecture architecture(Dataset train, int[] w) {
      return ConvNet.of(train.examples(), w[0], w[1], w[2]);
    }
  }

  /**
   * The word-level text families: a vocabulary learned on the training split, the first {@link
   * #MAX_TOKENS} tokens of a text, two widths.
   */
  abstract static class TextKind extends DeepKind {
    /** Words kept in the vocabulary learned on the training split. */
    static final int VOCABULARY = 30_000;

    /** Tokens read per text: all of 97 % of SpamAssassin's training e-mails. */
    static final int MAX_TOKENS = 2048;

    @Override
    Dataset.Kind data() {
      return Dataset.Kind.TEXT;
    }

    @Override
    int widths() {
      return 2;
    }
  }

  /** {@code textcnn}: a convolutional text classifier over learned word embeddings. */
  public static final class TextCnn extends TextKind {
    /** Convolution window, in tokens. */
    static final int KERNEL = 3;

    @Override
    public String name() {
      return "textcnn";
    }

    @Override
    public String description() {
      return "convolutional text classifier (PyTorch): word embeddings, 3-token convolution, max over the text";
    }

    @Override
    TrainConfig defaults() {
      return miniBatch("textcnn", "adam", new int[] {64, 128}, 4, 32, 2e-3);
    }

    @Override
    Architecture architecture(Dataset train, int[] w) {
      return new TextConvNet(
          Vocabulary.learn(train.examples(), VOCABULARY), w[0], w[1], KERNEL, MAX_TOKENS);
    }
  }

  /**
   * {@code transformer}: a Transformer-encoder text classifier over learned word embeddings, read
   * in windows of {@link #WINDOW} tokens.
   */
  public static final class Transformer extends TextKind {
    /** Encoder blocks. */
    static final int LAYERS = 2;

    /** Attention heads. */
    static final int HEADS = 4;

    /** Tokens per attention window. */
    static final int WINDOW = 128;

    @Override
    public String name() {
      return "transformer";
    }

    @Override
    public String description() {
      return "Transformer-encoder text classifier (PyTorch): word embeddings, 2 pre-norm blocks of"
          + " 4-head attention over 128-token windows, max over the text";
    }

    @Override
    TrainConfig defaults() {
      return miniBatch("transformer", "adam", new int[] {64, 128}, 6, 32, 2e-3);
    }

    @Override
    Architecture architecture(Dataset train, int[] w) {
      if (w[0] % HEADS != 0) {
        throw new BadInputException(
            "model 'transformer' needs a width divisible by its " + HEADS + " heads, not " + w[0]);
      }
      return new TransformerNet(
          Vocabulary.learn(train.examples(), VOCABULARY),
          w[0],
          w[1],
          LAYERS,
          HEADS,
          WINDOW,
          MAX_TOKENS);
    }
  }
}
