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
 * A small convolutional network for images ({@code cnn}): two blocks of 3×3 convolution (padding
 * 1), ReLU and 2×2 max pooling, then a dense ReLU layer whose output is the penultimate
 * representation. Images of shape {@code [H, W]} have one channel; {@code [H, W, C]} (row-major,
 * channels last, as examples store them) have C.
 *
 * @param shape the image shape every example must have
 * @param channels1 filters of the first convolution
 * @param channels2 filters of the second convolution
 * @param dense width of the dense layer (the representation)
 */
record ConvNet(int[] shape, int channels1, int channels2, int dense) implements Architecture {
  ConvNet {
    shape = shape.clone();
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
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConvNet c
        && Arrays.equals(shape, c.shape)
        && channels1 == c.channels1
        && channels2 == c.channels2
        && dense == c.dense;
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
