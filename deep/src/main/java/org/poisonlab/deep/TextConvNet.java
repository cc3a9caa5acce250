package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Example;

/**
 * A convolutional text classifier ({@code textcnn}, after Kim, "Convolutional Neural Networks for
 * Sentence Classification", EMNLP 2014): word embeddings, one 1-D convolution over windows of
 * {@code kernel} tokens, ReLU of the maximum over positions. Max pooling reads the whole text (its
 * first {@code maxTokens} tokens) in one pass, so a trigger anywhere in a long e-mail reaches the
 * representation. Windows that reach into padding are masked out, so a text's representation does
 * not depend on the other texts of its batch.
 *
 * @param vocabulary learned on the training split
 * @param embedding embedding width
 * @param filters convolution filters (the representation's width)
 * @param kernel window width in tokens
 * @param maxTokens tokens read per text; later ones are ignored
 */
record TextConvNet(Vocabulary vocabulary, int embedding, int filters, int kernel, int maxTokens)
    implements Architecture {
  TextConvNet {
    if (embedding <= 0 || filters <= 0 || kernel <= 0 || maxTokens < kernel) {
      throw new IllegalArgumentException("textcnn widths must be positive and maxTokens ≥ kernel");
    }
  }

  @Override
  public String family() {
    return "textcnn";
  }

  @Override
  public long[][] shapes() {
    return new long[][] {{vocabulary.size(), embedding}, {filters, embedding, kernel}, {filters}};
  }

  @Override
  public boolean isWeight(int index) {
    return index < 2;
  }

  @Override
  public float[][] initialise(SplittableRandom rng) {
    float[][] p = Inits.uniformFanIn(shapes(), rng);
    p[0] = Inits.normal(p[0].length, 0.1, rng);
    // padding reads as zeros
    java.util.Arrays.fill(p[0], 0, embedding, 0f);
    return p;
  }

  @Override
  public int width() {
    return filters;
  }

  @Override
  public NDList inputs(NDManager manager, List<Example> batch) {
    int b = batch.size();
    int[][] ids = vocabulary.ids(batch, maxTokens);
    int len = kernel;
    for (int[] one : ids) {
      len = Math.max(len, one.length);
    }
    int windows = len - kernel + 1;
    long[] x = new long[b * len];
    float[] mask = new float[b * windows];
    for (int i = 0; i < b; i++) {
      for (int t = 0; t < ids[i].length; t++) {
        x[i * len + t] = ids[i][t];
      }
      int valid = Math.max(1, ids[i].length - kernel + 1);
      for (int j = valid; j < windows; j++) {
        mask[i * windows + j] = -1e4f;
      }
    }
    return new NDList(
        manager.create(x, new Shape(b, len)), manager.create(mask, new Shape(b, 1, windows)));
  }

  @Override
  public NDArray forward(NDList inputs, NDList p) {
    return forwardFromRows(Architecture.tableRows(inputs, p), inputs, p);
  }

  @Override
  public boolean readsTable() {
    return true;
  }

  @Override
  public NDArray forwardFromRows(NDArray e, NDList inputs, NDList p) {
    NDArray c =
        Conv1d.conv1d(
                e.transpose(0, 2, 1),
                p.get(1),
                p.get(2),
                new Shape(1),
                new Shape(0),
                new Shape(1),
                1)
            .singletonOrThrow();
    return Activation.relu(c.add(inputs.get(1)).max(new int[] {2}));
  }

  @Override
  public int cost(Example e) {
    return vocabulary.cost(e, maxTokens);
  }

  @Override
  public void describe(ObjectNode into) {
    into.put("architecture", family());
    into.put("embedding", embedding);
    into.put("filters", filters);
    into.put("kernel", kernel);
    into.put("max_tokens", maxTokens);
    vocabulary.describe(into);
  }
}
