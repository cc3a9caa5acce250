package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Example;

/**
 * A small convolutional network for images ({@code cnn}): each channel standardised by the training
 * split's pixel mean and standard deviation, two blocks of 3×3 convolution (padding 1), ReLU and
 * 2×2 max pooling, then a dense ReLU layer whose output is the penultimate representation. Images
 * of shape {@code [H, W]} have one channel; {@code [H, W, C]} (row-major, channels last, as
 * examples store them) have C.
 *
 * @param shape the image shape every example must have
 * @param channels1 filters of the first convolution
 * @param channels2 filters of the second convolution
 * @param dense width of the dense layer (the representation)
 * @param mean each channel's mean pixel on the training split, in [0, 1]
 * @param deviation each channel's pixel standard deviation there (1 where it is under {@link
 *     #MIN_DEVIATION}: a constant channel, up to rounding)
 */
record ConvNet(
    int[] shape, int channels1, int channels2, int dense, float[] mean, float[] deviation)
    implements Architecture {
  /** A smaller deviation is taken for a constant channel's rounding error. */
  static final double MIN_DEVIATION = 1e-6;

  ConvNet {
    shape = shape.clone();
    mean = mean.clone();
    deviation = deviation.clone();
    if (shape.length < 2 || shape.length > 3 || Arrays.stream(shape).anyMatch(d -> d <= 0)) {
      throw new IllegalArgumentException(
          "cnn reads images [H, W] or [H, W, C], not " + Arrays.toString(shape));
    }
    if (shape[0] < 4 || shape[1] < 4) {
      throw new IllegalArgumentException(
          "cnn needs images of at least 4×4, not " + Arrays.toString(shape));
    }
    if (channels1 <= 0 || channels2 <= 0 || dense <= 0) {
      throw new IllegalArgumentException("cnn widths must be positive");
    }
    int c = shape.length == 3 ? shape[2] : 1;
    if (mean.length != c || deviation.length != c) {
      throw new IllegalArgumentException(
          "cnn needs a mean and a deviation for each of " + c + " channels");
    }
  }

  /**
   * A network for images of the training split's shape, standardised by its pixel statistics (one
   * pass, in double precision).
   */
  static ConvNet of(List<Example> train, int channels1, int channels2, int dense) {
    int[] shape = train.get(0).shape();
    int c = shape.length == 3 ? shape[2] : 1;
    double[] sum = new double[c];
    double[] squares = new double[c];
    long[] count = new long[c];
    for (Example e : train) {
      Architecture.requireImage(e, shape, "the first image's shape");
      byte[] px = e.pixels();
      for (int j = 0; j < px.length; j++) {
        double v = (px[j] & 0xff) / 255.0;
        sum[j % c] += v;
        squares[j % c] += v * v;
        count[j % c]++;
      }
    }
    float[] mean = new float[c];
    float[] deviation = new float[c];
    for (int k = 0; k < c; k++) {
      double m = sum[k] / count[k];
      double sd = Math.sqrt(Math.max(0, squares[k] / count[k] - m * m));
      mean[k] = (float) m;
      deviation[k] = sd > MIN_DEVIATION ? (float) sd : 1f;
    }
    return new ConvNet(shape, channels1, channels2, dense, mean, deviation);
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] deviation() {
    return deviation.clone();
  }

  int inChannels() {
    return shape.length == 3 ? shape[2] : 1;
  }

  private int flat() {
    return channels2 * (shape[0] / 4) * (shape[1] / 4);
  }

  @Override
  public String family() {
    return "cnn";
  }

  @Override
  public long[][] shapes() {
    return new long[][] {
      {channels1, inChannels(), 3, 3}, {channels1},
      {channels2, channels1, 3, 3}, {channels2},
      {dense, flat()}, {dense}
    };
  }

  @Override
  public boolean isWeight(int index) {
    return index % 2 == 0;
  }

  @Override
  public float[][] initialise(SplittableRandom rng) {
    return Inits.uniformFanIn(shapes(), rng);
  }

  @Override
  public int width() {
    return dense;
  }

  @Override
  public NDList inputs(NDManager manager, List<Example> batch) {
    return pixelInputs(manager, batch);
  }

  @Override
  public int[] imageShape() {
    return shape.clone();
  }

  @Override
  public NDArray forward(NDList inputs, NDList p) {
    NDArray x = inputs.singletonOrThrow();
    NDManager m = x.getManager();
    Shape perChannel = new Shape(1, inChannels(), 1, 1);
    x = x.sub(m.create(mean, perChannel)).div(m.create(deviation, perChannel));
    Shape one = new Shape(1, 1);
    Shape pool = new Shape(2, 2);
    Shape none = new Shape(0, 0);
    NDArray a = Conv2d.conv2d(x, p.get(0), p.get(1), one, one, one, 1).singletonOrThrow();
    a = Pool.maxPool2d(Activation.relu(a), pool, pool, none, false);
    a = Conv2d.conv2d(a, p.get(2), p.get(3), one, one, one, 1).singletonOrThrow();
    a = Pool.maxPool2d(Activation.relu(a), pool, pool, none, false);
    a = a.reshape(new Shape(a.getShape().get(0), -1));
    return Activation.relu(Linear.linear(a, p.get(4), p.get(5)).singletonOrThrow());
  }

  @Override
  public int cost(Example e) {
    return 1;
  }

  @Override
  public void describe(ObjectNode into) {
    into.put("architecture", family());
    var s = into.putArray("shape");
    for (int d : shape) {
      s.add(d);
    }
    into.put("channels1", channels1);
    into.put("channels2", channels2);
    into.put("dense", dense);
    var mu = into.putArray("mean");
    var sd = into.putArray("deviation");
    for (int c = 0; c < mean.length; c++) {
      mu.add(mean[c]);
      sd.add(deviation[c]);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvNet c
        && Arrays.equals(shape, c.shape)
        && channels1 == c.channels1
        && channels2 == c.channels2
        && dense == c.dense
        && Arrays.equals(mean, c.mean)
        && Arrays.equals(deviation, c.deviation);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(shape) * 31 + channels1 * 7 + channels2 * 3 + dense;
  }

  @Override
  public String toString() {
    return "cnn" + Arrays.toString(shape) + "[" + channels1 + ", " + channels2 + ", " + dense + "]";
  }
}
