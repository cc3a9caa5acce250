package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import org.poisonlab.deep.CodeLanguageModel.Config;

/**
 * The forward pass of {@link CodeLanguageModel}: the layout of its parameter tensors, the
 * embeddings, the pre-layer-norm blocks (with or without the key/value cache), the final norm and
 * the output layer's logits, and the position ids and additive masks they read.
 */
final class CodeForwardPass {
  /** Parameter tensors per block. */
  static final int PER_LAYER = 12;

  /** Added to the attention logits of masked keys: far below any real score, finite in float. */
  static final float MASKED = -1e4f;

  private final Config config;

  CodeForwardPass(Config config) {
    this.config = config;
  }

  /** The shapes of the parameter tensors, in their order. */
  static long[][] shapes(Config c, int vocabulary) {
    long d = c.width();
    long[][] s = new long[2 + c.layers() * PER_LAYER + 4][];
    s[0] = new long[] {vocabulary, d};
    s[1] = new long[] {c.context(), d};
    for (int l = 0; l < c.layers(); l++) {
      int o = 2 + l * PER_LAYER;
      s[o] = new long[] {d};
      s[o + 1] = new long[] {d};
      s[o + 2] = new long[] {3 * d, d};
      s[o + 3] = new long[] {3 * d};
      s[o + 4] = new long[] {d, d};
      s[o + 5] = new long[] {d};
      s[o + 6] = new long[] {d};
      s[o + 7] = new long[] {d};
      s[o + 8] = new long[] {c.feedForward(), d};
      s[o + 9] = new long[] {c.feedForward()};
      s[o + 10] = new long[] {d, c.feedForward()};
      s[o + 11] = new long[] {d};
    }
    int n = s.length;
    s[n - 4] = new long[] {d}; // final norm
    s[n - 3] = new long[] {d};
    s[n - 2] = new long[] {vocabulary, d}; // output layer
    s[n - 1] = new long[] {vocabulary};
    return s;
  }

  /** Position ids {@code [rows, len]}: 0.. per row, shifted back by each row's left padding. */
  static NDArray positions(NDManager manager, int rows, int len, int[] leftPad) {
    long[] pos = new long[rows * len];
    for (int r = 0; r < rows; r++) {
      int pad = leftPad == null ? 0 : leftPad[r];
      for (int j = 0; j < len; j++) {
        pos[r * len + j] = Math.max(0, j - pad);
      }
    }
    return manager.create(pos, new Shape(rows, len));
  }

  /** The additive causal mask {@code [1, 1, len, len]}. */
  static NDArray causal(NDManager manager, int len) {
    float[] m = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        m[i * len + j] = MASKED;
      }
    }
    return manager.create(m, new Shape(1, 1, len, len));
  }

  /** The key mask {@code [B, 1, 1, len]}: padding keys masked. */
  static float[] keyMask(int[] pad, int len) {
    float[] m = new float[pad.length * len];
    for (int i = 0; i < pad.length; i++) {
      for (int j = 0; j < pad[i]; j++) {
        m[i * len + j] = MASKED;
      }
    }
    return m;
  }

  /**
   * The final normalised hidden states {@code [B, T, d]} (or, with {@code stopAfter} ≥ 0, the
   * residual stream after that many blocks).
   */
  NDArray hidden(NDList p, NDArray ids, NDArray pos, NDArray mask, int stopAfter) {
    long b = ids.getShape().get(0);
    long len = ids.getShape().get(1);
    NDArray x =
        Embedding.embedding(ids, p.get(0), SparseFormat.DENSE)
            .head()
            .add(Embedding.embedding(pos, p.get(1), SparseFormat.DENSE).head());
    for (int l = 0; l < config.layers(); l++) {
      if (l == stopAfter) {
        return x;
      }
      x = block(p, l, x, b, len, mask, null);
    }
    if (stopAfter == config.layers()) {
      return x;
    }
    int f = p.size() - 4;
    return LayerNorm.layerNorm(x, new Shape(config.width()), p.get(f), p.get(f + 1), 1e-5f).head();
  }

  /** Runs the blocks with the cache, then the final norm and the last position's logits. */
  NDArray finish(NDList p, NDArray x, long b, int len, NDArray mask, NDArray[][] past) {
    for (int l = 0; l < config.layers(); l++) {
      x = block(p, l, x, b, len, mask, past[l]);
    }
    int f = p.size() - 4;
    x = LayerNorm.layerNorm(x, new Shape(config.width()), p.get(f), p.get(f + 1), 1e-5f).head();
    return lastLogits(p, x, len);
  }

  /** Logits {@code [B, V]} at the last of {@code len} positions. */
  static NDArray lastLogits(NDList p, NDArray h, int len) {
    NDArray last = h.get(new NDIndex(":, {}, :", len - 1));
    return Linear.linear(last, p.get(p.size() - 2), p.get(p.size() - 1)).head();
  }

  /**
   * One block on {@code x [B, len, d]}. With {@code past} (this layer's keys and values, {@code [B,
   * H, context, dh]}, filled up to the mask's length less {@code len}), the new keys and values are
   * written after the filled part and attention reads all filled ones.
   */
  private NDArray block(
      NDList p, int l, NDArray x, long b, long len, NDArray mask, NDArray[] past) {
    long d = config.width();
    long heads = config.heads();
    long dh = d / heads;
    Shape normalised = new Shape(d);
    int o = 2 + l * PER_LAYER;
    NDArray h = LayerNorm.layerNorm(x, normalised, p.get(o), p.get(o + 1), 1e-5f).head();
    NDArray qkv =
        Linear.linear(h, p.get(o + 2), p.get(o + 3))
            .head()
            .reshape(b, len, 3, heads, dh)
            .transpose(2, 0, 3, 1, 4);
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    if (past != null) {
      // past: this layer's preallocated keys and values [B, H, context, dh], written at `at`
      int at = (int) (mask.getShape().get(3) - len);
      String range = ":, :, " + at + ":" + (at + len);
      past[0].set(new NDIndex(range), k);
      past[1].set(new NDIndex(range), v);
      String upTo = ":, :, :" + (at + len);
      k = past[0].get(new NDIndex(upTo));
      v = past[1].get(new NDIndex(upTo));
    }
    float scale = (float) (1 / Math.sqrt(dh));
    NDArray attention = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(mask).softmax(-1);
    NDArray context = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, len, d);
    x = x.add(Linear.linear(context, p.get(o + 4), p.get(o + 5)).head());
    h = LayerNorm.layerNorm(x, normalised, p.get(o + 6), p.get(o + 7), 1e-5f).head();
    h = Activation.gelu(Linear.linear(h, p.get(o + 8), p.get(o + 9)).head());
    return x.add(Linear.linear(h, p.get(o + 10), p.get(o + 11)).head());
  }
}
