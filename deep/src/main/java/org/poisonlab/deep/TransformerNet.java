package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.data.Example;

/**
 * A Transformer-encoder text classifier ({@code transformer}; Vaswani et al., "Attention Is All You
 * Need", NeurIPS 2017, with the pre-layer-norm arrangement of Xiong et al., ICML 2020): word and
 * learned position embeddings, {@code layers} blocks of multi-head self-attention and a GELU
 * feed-forward layer, each behind a layer norm and added back to its input, a final layer norm, and
 * the maximum over the text's tokens as the representation.
 *
 * <p>A text is read in consecutive windows of {@code window} tokens (up to {@code maxTokens} in
 * all); attention runs within a window, so its cost grows linearly with the text's length, and the
 * maximum runs over every token of every window, so a trigger anywhere in a long e-mail reaches the
 * representation. Padding is masked out of attention and of the maximum, so a text's representation
 * does not depend on the texts batched with it.
 *
 * @param vocabulary learned on the training split
 * @param width model width (embeddings, attention, representation)
 * @param feedForward the feed-forward layer's inner width
 * @param layers encoder blocks
 * @param heads attention heads; divides {@code width}
 * @param window tokens per attention window (and position embeddings)
 * @param maxTokens tokens read per text; later ones are ignored
 */
record TransformerNet(
    Vocabulary vocabulary,
    int width,
    int feedForward,
    int layers,
    int heads,
    int window,
    int maxTokens)
    implements Architecture {
  /** Parameter tensors per encoder block. */
  private static final int PER_LAYER = 12;

  /** Added to the logits of masked positions: far below any real score, still finite in float. */
  private static final float MASKED = -1e4f;

  TransformerNet {
    if (width <= 0
        || feedForward <= 0
        || layers <= 0
        || heads <= 0
        || width % heads != 0
        || window <= 0
        || maxTokens < 1) {
      throw new IllegalArgumentException(
          "transformer widths, layers and window must be positive, heads must divide the width");
    }
  }

  @Override
  public String family() {
    return "transformer";
  }

  @Override
  public long[][] shapes() {
    long d = width;
    long[][] s = new long[2 + layers * PER_LAYER + 2][];
    s[0] = new long[] {vocabulary.size(), d};
    s[1] = new long[] {window, d};
    for (int l = 0; l < layers; l++) {
      int o = 2 + l * PER_LAYER;
      s[o] = new long[] {d}; // attention norm: scale
      s[o + 1] = new long[] {d}; // and shift
      s[o + 2] = new long[] {3 * d, d}; // query, key, value projections (out × in)
      s[o + 3] = new long[] {3 * d};
      s[o + 4] = new long[] {d, d}; // attention output
      s[o + 5] = new long[] {d};
      s[o + 6] = new long[] {d}; // feed-forward norm: scale
      s[o + 7] = new long[] {d}; // and shift
      s[o + 8] = new long[] {feedForward, d};
      s[o + 9] = new long[] {feedForward};
      s[o + 10] = new long[] {d, feedForward};
      s[o + 11] = new long[] {d};
    }
    s[s.length - 2] = new long[] {d}; // final norm
    s[s.length - 1] = new long[] {d};
    return s;
  }

  @Override
  public boolean isWeight(int index) {
    return shapes()[index].length >= 2;
  }

  @Override
  public float[][] initialise(SplittableRandom rng) {
    long[][] shapes = shapes();
    float[][] p = Inits.uniformFanIn(shapes, rng);
    p[0] = Inits.normal(p[0].length, 0.1, rng);
    Arrays.fill(p[0], 0, width, 0f); // padding reads as zeros
    p[1] = Inits.normal(p[1].length, 0.02, rng);
    for (int l = 0; l < layers; l++) {
      int o = 2 + l * PER_LAYER;
      Arrays.fill(p[o], 1f);
      Arrays.fill(p[o + 6], 1f);
    }
    Arrays.fill(p[shapes.length - 2], 1f);
    return p;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public NDList inputs(NDManager manager, List<Example> batch) {
    int b = batch.size();
    int[][] ids = vocabulary.ids(batch, maxTokens);
    int len = 1;
    for (int[] one : ids) {
      len = Math.max(len, one.length);
    }
    int windows = (len + window - 1) / window;
    int positions = windows * window;
    long[] x = new long[b * positions];
    float[] keys = new float[b * positions];
    float[] pool = new float[b * positions];
    for (int i = 0; i < b; i++) {
      int n = ids[i].length;
      for (int t = 0; t < n; t++) {
        x[i * positions + t] = ids[i][t];
      }
      // an empty text reads one padding token, whose embedding is zero; a window past a text's end
      // has every key masked alike, so its softmax is uniform and its positions are pooled out
      int valid = Math.max(1, n);
      for (int t = valid; t < positions; t++) {
        keys[i * positions + t] = MASKED;
        pool[i * positions + t] = MASKED;
      }
    }
    return new NDList(
        manager.create(x, new Shape(b, positions)),
        manager.create(keys, new Shape((long) b * windows, 1, 1, window)),
        manager.create(pool, new Shape(b, positions, 1)));
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
  public NDArray forwardFromRows(NDArray rows, NDList inputs, NDList p) {
    long b = rows.getShape().get(0);
    long positions = rows.getShape().get(1);
    long n = b * (positions / window);
    long d = width;
    long dh = d / heads;
    Shape normalised = new Shape(d);
    NDArray x = rows.reshape(n, window, d).add(p.get(1));
    NDArray keyMask = inputs.get(1);
    float scale = (float) (1 / Math.sqrt(dh));
    for (int l = 0; l < layers; l++) {
      int o = 2 + l * PER_LAYER;
      NDArray h = LayerNorm.layerNorm(x, normalised, p.get(o), p.get(o + 1), 1e-5f).head();
      NDArray qkv =
          Linear.linear(h, p.get(o + 2), p.get(o + 3))
              .head()
              .reshape(n, window, 3, heads, dh)
              .transpose(2, 0, 3, 1, 4);
      NDArray q = qkv.get(0);
      NDArray k = qkv.get(1);
      NDArray v = qkv.get(2);
      NDArray attention = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(keyMask).softmax(-1);
      NDArray context = attention.matMul(v).transpose(0, 2, 1, 3).reshape(n, window, d);
      x = x.add(Linear.linear(context, p.get(o + 4), p.get(o + 5)).head());
      h = LayerNorm.layerNorm(x, normalised, p.get(o + 6), p.get(o + 7), 1e-5f).head();
      h = Activation.gelu(Linear.linear(h, p.get(o + 8), p.get(o + 9)).head());
      x = x.add(Linear.linear(h, p.get(o + 10), p.get(o + 11)).head());
    }
    int last = p.size() - 2;
    x = LayerNorm.layerNorm(x, normalised, p.get(last), p.get(last + 1), 1e-5f).head();
    return x.reshape(b, positions, d).add(inputs.get(2)).max(new int[] {1});
  }

  @Override
  public int cost(Example e) {
    return vocabulary.cost(e, maxTokens);
  }

  @Override
  public void describe(ObjectNode into) {
    into.put("architecture", family());
    into.put("width", width);
    into.put("feed_forward", feedForward);
    into.put("layers", layers);
    into.put("heads", heads);
    into.put("window", window);
    into.put("max_tokens", maxTokens);
    vocabulary.describe(into);
  }
}
