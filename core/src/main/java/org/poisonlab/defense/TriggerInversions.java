package org.poisonlab.defense;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.poisonlab.data.Example;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.FeatureKind;

/** Trigger inversion on trained image models, and what can be done with a recovered trigger. */
public final class TriggerInversions {
  private TriggerInversions() {}

  /**
   * Neural Cleanse (Wang et al., IEEE S&amp;P 2019): for every label of {@code model}, the smallest
   * mask and pattern found that send the other inputs to it, with the anomaly index of each mask's
   * L1 norm and the flagged labels. Deterministic for a given seed (the input gradients do not
   * depend on the number of threads).
   *
   * @param model an image model over pixels (its featurizer reads pixels / 255); not modified
   * @param inputs the inputs to optimise on, e.g. a sample of the training set; not modified
   * @param seed drives the starting masks and the batch order
   * @throws IllegalArgumentException if the model does not read images, an input does not have its
   *     shape, a label is not the model's, or the list is empty
   * @throws UnsupportedOperationException if the model gives no input gradients
   */
  public static TriggerInversion neuralCleanse(
      DifferentiableClassifier model, List<Example> inputs, NeuralCleanseConfig config, long seed) {
    if (!(model.inputFeaturizer().kind() instanceof FeatureKind.Pixels px)) {
      throw new IllegalArgumentException(
          "trigger inversion needs an image model; this one reads "
              + model.inputFeaturizer().kind());
    }
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("trigger inversion needs at least one input");
    }
    int[] shape = px.shape().stream().mapToInt(Integer::intValue).toArray();
    return new NeuralCleanse(model, config)
        .invert(pixels(inputs, shape), model.labelIndices(inputs), shape, seed);
  }

  /**
   * The anomaly index of each value: {@code |l − median| / (1.4826 · MAD)}, the consistency
   * constant making the MAD estimate a normal standard deviation; a zero MAD is floored at {@code
   * 1e-9 · max(1, |median|)}.
   *
   * @param norms not modified; not empty
   * @throws IllegalArgumentException if {@code norms} is empty
   */
  public static double[] anomalyIndices(double[] norms) {
    return NeuralCleanse.anomalyIndices(norms);
  }

  /**
   * The anomaly index of each norm on {@code scale}: as {@link #anomalyIndices(double[])} of the
   * norms themselves ({@code LINEAR}) or of their natural logarithms ({@code LOG}, norms floored at
   * 1e-12).
   *
   * @param norms not modified; not empty
   * @throws IllegalArgumentException if {@code norms} is empty
   * @throws NullPointerException if {@code scale} is null
   */
  public static double[] anomalyIndices(double[] norms, NeuralCleanseConfig.AnomalyScale scale) {
    return NeuralCleanse.anomalyIndices(norms, java.util.Objects.requireNonNull(scale, "scale"));
  }

  /**
   * How far each example is from carrying {@code trigger}: the mask-weighted mean absolute
   * difference {@code Σ_j m_j |x_j − p_j| / Σ_j m_j}, pixels scaled to [0, 1]; 0 when the image
   * shows the pattern exactly wherever the mask is on, 1 at most. NaN for an all-zero mask.
   *
   * @param examples not modified; images with as many pixels as the mask
   * @throws IllegalArgumentException if an example has another number of pixels
   */
  public static double[] matchDistances(TriggerInversion.Trigger trigger, List<Example> examples) {
    double[] m = trigger.mask();
    double[] p = trigger.pattern();
    double total = 0;
    for (double v : m) {
      total += v;
    }
    double sum = total;
    double[] out = new double[examples.size()];
    java.util.stream.IntStream.range(0, out.length)
        .parallel()
        .forEach(
            i -> {
              Example e = examples.get(i);
              if (e.pixelCount() != m.length) {
                throw new IllegalArgumentException(
                    "example " + e.id() + " has " + e.pixelCount() + " pixels, not " + m.length);
              }
              double s = 0;
              for (int j = 0; j < m.length; j++) {
                s += m[j] * Math.abs(e.pixel(j) / 255.0 - p[j]);
              }
              out[i] = s / sum;
            });
    return out;
  }

  /**
   * {@code values} as rows of the last dimension of {@code shape} (for a 28 × 28 image, 28 rows of
   * 28), each value rounded to 4 decimals: a JSON-friendly picture.
   *
   * @throws IllegalArgumentException if the sizes disagree
   */
  public static double[][] grid(double[] values, int[] shape) {
    int w = shape[shape.length - 1];
    if (values.length % w != 0) {
      throw new IllegalArgumentException(
          values.length + " values do not fill rows of " + w + " (shape " + Arrays.toString(shape));
    }
    double[][] out = new double[values.length / w][w];
    for (int i = 0; i < values.length; i++) {
      out[i / w][i % w] = Math.round(values[i] * 1e4) / 1e4;
    }
    return out;
  }

  /**
   * Writes {@code values} (in [0, 1], clipped) as a binary greyscale PGM image ({@code P5}, 8 bit)
   * of the last two dimensions of {@code shape}, atomically.
   *
   * @param values not modified
   * @throws java.io.UncheckedIOException if writing fails
   */
  public static void writePgm(Path file, double[] values, int[] shape) {
    int w = shape[shape.length - 1];
    int h = values.length / w;
    byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[w * h];
    for (int i = 0; i < body.length; i++) {
      double v = Math.max(0, Math.min(1, values[i]));
      body[i] = (byte) Math.round(v * 255);
    }
    AtomicFiles.write(
        file,
        out -> {
          out.write(header);
          out.write(body);
        });
  }

  /** Row-major pixels / 255 of images of {@code shape}. */
  static double[] pixels(List<Example> xs, int[] shape) {
    int d = 1;
    for (int s : shape) {
      d *= s;
    }
    double[] x = new double[xs.size() * d];
    for (int i = 0; i < xs.size(); i++) {
      Example e = xs.get(i);
      if (!e.isImage() || !Arrays.equals(e.shape(), shape)) {
        throw new IllegalArgumentException(
            "example " + e.id() + " is not an image of shape " + Arrays.toString(shape));
      }
      for (int j = 0; j < d; j++) {
        x[i * d + j] = e.pixel(j) / 255.0;
      }
    }
    return x;
  }
}
