package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Example;

/**
 * The body of a deep classifier: everything from raw examples to the penultimate representation.
 * The softmax layer on top is common to every architecture ({@link DeepClassifier}). An
 * architecture knows the shapes of its parameters, how to initialise them, how to turn examples
 * into input tensors, and its forward pass; the parameters themselves live in {@link Body}.
 * Implementations are immutable.
 */
sealed interface Architecture permits ConvNet, TextConvNet, TransformerNet, TorchScriptNet {
  /** The family name users type after {@code --model}. */
  String family();

  /** The shapes of the body's parameter tensors, in the order {@link #forward} takes them. */
  long[][] shapes();

  /** Whether parameter {@code index} is a weight (L2-penalised) rather than a bias. */
  boolean isWeight(int index);

  /**
   * Fresh parameters: weights uniform in ±1/√fan-in (PyTorch's default for convolutions and linear
   * layers), embeddings normal with standard deviation 0.1, biases zero.
   */
  float[][] initialise(SplittableRandom rng);

  /** The width of the penultimate representation. */
  int width();

  /**
   * The input tensors of a batch of examples.
   *
   * @throws IllegalArgumentException naming the example if it is of the wrong kind or shape
   */
  NDList inputs(NDManager manager, List<Example> batch);

  /**
   * The penultimate representation, {@code [batch, width()]}, of inputs made by {@link #inputs}.
   * Results belong to the inputs' manager.
   */
  NDArray forward(NDList inputs, NDList params);

  /**
   * Whether the first body parameter is an embedding table whose rows are looked up by the ids of
   * input 0 and read nowhere else. Training then looks the rows up itself and adds their gradients
   * into the table's row by row (see {@link TableGradient}), instead of PyTorch building a dense
   * gradient of the whole table every step.
   */
  default boolean readsTable() {
    return false;
  }

  /**
   * The forward pass from the table rows of input 0's ids, {@code [batch, len, d]}: the same result
   * as {@link #forward}. Architectures that {@link #readsTable} only.
   */
  default NDArray forwardFromRows(NDArray rows, NDList inputs, NDList params) {
    throw new UnsupportedOperationException(family() + " reads no embedding table");
  }

  /** The rows of table {@code params[0]} that input 0's ids pick, {@code [batch, len, d]}. */
  static NDArray tableRows(NDList inputs, NDList params) {
    return Embedding.embedding(inputs.get(0), params.get(0), SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * A cost of each example in units that grow with its forward pass's time (token count for text, 1
   * for images): batches group examples of similar cost so that little padding is computed.
   */
  int cost(Example e);

  /** The settings and data-derived state (shape, vocabulary) that rebuild this architecture. */
  void describe(ObjectNode into);

  /**
   * The image shape an image architecture reads ({@code [H, W]} or {@code [H, W, C]}); null for
   * text.
   */
  default int[] imageShape() {
    return null;
  }

  /**
   * Checks that an example is an image of this shape.
   *
   * @param what what the shape is, for the message
   * @throws IllegalArgumentException naming the example, if not
   */
  static void requireImage(Example e, int[] shape, String what) {
    if (!e.isImage() || !Arrays.equals(e.shape(), shape)) {
      throw new IllegalArgumentException(
          (e.isImage()
                  ? "image " + e.id() + " of shape " + Arrays.toString(e.shape())
                  : "text " + e.id())
              + " does not match "
              + what
              + " "
              + Arrays.toString(shape));
    }
  }

  /**
   * The input tensor {@code [N, C, H, W]} of a batch of images, pixels scaled to [0, 1]: image
   * architectures only.
   *
   * @throws IllegalArgumentException naming an example that is text or of another shape
   */
  default NDList pixelInputs(NDManager manager, List<Example> batch) {
    int[] shape = imageShape();
    int d = 1;
    for (int s : shape) {
      d *= s;
    }
    float[] x = new float[batch.size() * d];
    for (int i = 0; i < batch.size(); i++) {
      Example e = batch.get(i);
      requireImage(e, shape, "the model's image shape");
      byte[] px = e.pixels();
      for (int j = 0; j < d; j++) {
        x[i * d + j] = (px[j] & 0xff) / 255f;
      }
    }
    return new NDList(fromRows(manager.create(x, new Shape(batch.size(), d))));
  }

  /**
   * The input tensor of pixel rows {@code [n, pixels]} scaled to [0, 1], laid out as examples store
   * them (channels last): image architectures only.
   */
  default NDArray fromRows(NDArray rows) {
    int[] shape = imageShape();
    if (shape == null) {
      throw new UnsupportedOperationException(family() + " models do not read pixels");
    }
    int c = shape.length == 3 ? shape[2] : 1;
    long n = rows.getShape().get(0);
    return rows.reshape(new Shape(n, shape[0], shape[1], c)).transpose(0, 3, 1, 2);
  }
}
