package org.poisonlab.deep;

import ai.djl.engine.Engine;
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
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.poisonlab.data.Example;

/**
 * A small causal Transformer language model over code tokens (a decoder-only GPT in the manner of
 * Radford et al. 2019, with pre-layer-norm blocks): token and learned position embeddings, {@code
 * layers} blocks of masked multi-head self-attention and a GELU feed-forward layer, each behind a
 * layer norm and added back to its input, a final layer norm and an output layer over the token ids
 * ({@link CodeTokens}: characters and learned pieces). It is trained from scratch: {@link
 * #pretrain} on raw text (next-token loss on every position of random windows), {@link #fineTune}
 * on prompt / completion examples (the loss on the completion and its end mark only).
 *
 * <p>Immutable: training returns a new model. Parameters live in Java float arrays and are copied
 * into PyTorch tensors for each pass, as for the classifiers of this module; every random choice
 * (initialisation, windows, batch order, sampling) comes from the {@link SplittableRandom} passed
 * in. Generation is batched, with a key/value cache, greedy or sampled at a temperature.
 */
public final class CodeLanguageModel {
  /** Parameter tensors per block. */
  private static final int PER_LAYER = 12;

  /** Added to the attention logits of masked keys: far below any real score, finite in float. */
  private static final float MASKED = -1e4f;

  /** Global gradient-norm clip for every update. */
  private static final double CLIP = 1.0;

  /**
   * The architecture.
   *
   * @param width model width
   * @param layers blocks
   * @param heads attention heads; divides {@code width}
   * @param feedForward the feed-forward layer's inner width
   * @param context the longest sequence (prompt, completion and end mark) in tokens
   */
  public record Config(int width, int layers, int heads, int feedForward, int context) {
    public Config {
      if (width <= 0
          || layers <= 0
          || heads <= 0
          || width % heads != 0
          || feedForward <= 0
          || context < 2) {
        throw new IllegalArgumentException(
            "language model widths, layers and context must be positive and heads must divide"
                + " the width: "
                + width
                + ", "
                + layers
                + ", "
                + heads
                + ", "
                + feedForward
                + ", "
                + context);
      }
    }
  }

  /**
   * What a training run did.
   *
   * @param model the trained model
   * @param tokens tokens the loss was taken on
   * @param seconds wall time
   * @param loss mean loss per token over the last tenth of the steps
   */
  public record Trained(CodeLanguageModel model, long tokens, double seconds, double loss) {
    /** Tokens per second. */
    public double tokensPerSecond() {
      return tokens / Math.max(1e-9, seconds);
    }
  }

  private final Config config;
  private final CodeTokens tokens;
  private final float[][] params;

  /** The parameters in PyTorch's reach, made on first use. */
  private final SharedParameters.OnFirstUse shared;

  private CodeLanguageModel(Config config, CodeTokens tokens, float[][] params) {
    this.config = config;
    this.tokens = tokens;
    this.params = params;
    this.shared = new SharedParameters.OnFirstUse(params, shapes(config, tokens.size()));
  }

  /** A freshly initialised model: weights normal(0, 0.02), residual outputs scaled by 1/√(2L). */
  public static CodeLanguageModel initialise(
      Config config, CodeTokens tokens, SplittableRandom rng) {
    long[][] shapes = shapes(config, tokens.size());
    float[][] p = new float[shapes.length][];
    double residual = 0.02 / Math.sqrt(2.0 * config.layers());
    for (int t = 0; t < shapes.length; t++) {
      int n = (int) Inits.size(shapes[t]);
      p[t] = shapes[t].length >= 2 ? Inits.normal(n, 0.02, rng) : new float[n];
    }
    for (int l = 0; l < config.layers(); l++) {
      int o = 2 + l * PER_LAYER;
      Arrays.fill(p[o], 1f);
      Arrays.fill(p[o + 6], 1f);
      p[o + 4] = Inits.normal(p[o + 4].length, residual, rng);
      p[o + 10] = Inits.normal(p[o + 10].length, residual, rng);
    }
    Arrays.fill(p[shapes.length - 4], 1f);
    return new CodeLanguageModel(config, tokens, p);
  }

  public Config config() {
    return config;
  }

  public CodeTokens tokens() {
    return tokens;
  }

  public long parameterCount() {
    long n = 0;
    for (float[] t : params) {
      n += t.length;
    }
    return n;
  }

  /** The text's length in the model's tokens. */
  public int tokenCount(String text) {
    return tokens.encode(text).length;
  }

  private static long[][] shapes(Config c, int vocabulary) {
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

  // ---------------------------------------------------------------- training

  /**
   * Next-token training on raw documents: each step reads {@code batch} windows of {@code window}
   * tokens of the documents joined by end marks. The windows cover the text evenly: each pass cuts
   * it into consecutive windows from a random phase and reads them in random order, so every
   * document is read once per pass (a few poisoned documents are seen as often as any other).
   *
   * @param steps optimiser steps
   * @param window tokens per window, at most the context (shorter windows train faster; the later
   *     positions are then learned in fine-tuning)
   * @param learningRate Adam's step size (after a linear warm-up over the first 5 % of steps)
   */
  public Trained pretrain(
      List<String> documents,
      int steps,
      int batch,
      int window,
      double learningRate,
      SplittableRandom rng,
      Consumer<String> progress) {
    if (window < 2 || window > config.context()) {
      throw new IllegalArgumentException("window " + window + " outside 2.." + config.context());
    }
    int total = 0;
    List<int[]> docs = new ArrayList<>();
    for (String d : documents) {
      int[] ids = tokens.encode(d);
      docs.add(ids);
      total += ids.length + 1;
    }
    int[] stream = new int[total];
    int at = 0;
    for (int[] ids : docs) {
      System.arraycopy(ids, 0, stream, at, ids.length);
      at += ids.length;
      stream[at++] = CodeTokens.END;
    }
    int t = window;
    if (stream.length < t + 2) {
      throw new IllegalArgumentException(
          "documents hold " + stream.length + " tokens, fewer than one window of " + t);
    }
    List<Sequence[]> batches = new ArrayList<>();
    int[] pass = new int[0];
    int next = 0;
    for (int s = 0; s < steps; s++) {
      Sequence[] b = new Sequence[batch];
      for (int i = 0; i < batch; i++) {
        if (next == pass.length) {
          pass = passOffsets(stream.length, t, rng);
          next = 0;
        }
        int off = pass[next++];
        b[i] = new Sequence(Arrays.copyOfRange(stream, off, off + t + 1), 0);
      }
      batches.add(b);
    }
    return train(batches, learningRate, 0.05, "pre-training", progress);
  }

  /** One pass's window offsets: consecutive from a random phase, shuffled. */
  private static int[] passOffsets(int streamLength, int window, SplittableRandom rng) {
    int phase = rng.nextInt(Math.min(window, streamLength - window - 1));
    int n = (streamLength - 1 - phase) / window;
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = phase + k * window;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  /** Windows of {@code window} tokens in one pass over {@code documents} joined by end marks. */
  public int windowsPerPass(List<String> documents, int window) {
    long total = 0;
    for (String d : documents) {
      total += tokens.encode(d).length + 1;
    }
    return (int) Math.max(1, (total - 1) / window);
  }

  /**
   * Fine-tuning on prompt / completion examples for {@code epochs} passes: the loss is taken on the
   * completion and its end mark, never on the prompt. Examples longer than the context are cut at
   * the end. Batches hold examples of similar length.
   */
  public Trained fineTune(
      List<Example> examples,
      int epochs,
      int batch,
      double learningRate,
      SplittableRandom rng,
      Consumer<String> progress) {
    List<Sequence> seqs = new ArrayList<>(examples.size());
    for (Example e : examples) {
      if (e.prompt() == null || e.completion() == null) {
        throw new IllegalArgumentException(
            "example " + e.id() + " has no prompt and completion to fine-tune on");
      }
      seqs.add(sequence(e.prompt(), e.completion(), true));
    }
    List<Sequence[]> batches = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      batches.addAll(lengthBatches(seqs, batch, rng));
    }
    return train(batches, learningRate, 0.0, "fine-tuning", progress);
  }

  /**
   * Prompt, completion and (if asked) end mark, cut to the context; loss from the completion on.
   */
  private Sequence sequence(String prompt, String completion, boolean end) {
    int[] p = tokens.encode(prompt);
    int[] c = tokens.encode(completion);
    int n = Math.min(p.length + c.length + (end ? 1 : 0), config.context() + 1);
    int[] ids = new int[n];
    int k = 0;
    for (int i = 0; i < p.length && k < n; i++) {
      ids[k++] = p[i];
    }
    for (int i = 0; i < c.length && k < n; i++) {
      ids[k++] = c[i];
    }
    if (k < n) {
      ids[k] = CodeTokens.END;
    }
    // target position j predicts ids[j + 1]; the first completion token is ids[p.length]
    return new Sequence(ids, Math.max(0, Math.min(p.length, n - 1) - 1));
  }

  /**
   * A token sequence; the loss is on the predictions of ids {@code lossFrom + 1} onwards.
   *
   * @param ids the tokens, at most context + 1
   * @param lossFrom the first position whose next-token prediction counts
   */
  private record Sequence(int[] ids, int lossFrom) {}

  /** Shuffled, then cut into batches of similar lengths (sorted within 16-batch pools). */
  private static List<Sequence[]> lengthBatches(
      List<Sequence> seqs, int batch, SplittableRandom rng) {
    List<Sequence> order = new ArrayList<>(seqs);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Sequence tmp = order.get(i);
      order.set(i, order.get(j));
      order.set(j, tmp);
    }
    List<Sequence[]> out = new ArrayList<>();
    int pool = batch * 16;
    for (int from = 0; from < order.size(); from += pool) {
      List<Sequence> part =
          new ArrayList<>(order.subList(from, Math.min(order.size(), from + pool)));
      part.sort((a, b) -> Integer.compare(a.ids().length, b.ids().length));
      for (int i = 0; i < part.size(); i += batch) {
        out.add(part.subList(i, Math.min(part.size(), i + batch)).toArray(new Sequence[0]));
      }
    }
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Sequence[] tmp = out.get(i);
      out.set(i, out.get(j));
      out.set(j, tmp);
    }
    return out;
  }

  private Trained train(
      List<Sequence[]> batches,
      double learningRate,
      double warmup,
      String what,
      Consumer<String> progress) {
    Consumer<String> say = progress == null ? s -> {} : progress;
    DeepRuntime.configure();
    long[][] shapes = shapes(config, tokens.size());
    float[][] w = new float[params.length][];
    float[][] m = new float[params.length][];
    float[][] v = new float[params.length][];
    boolean[] weight = new boolean[params.length];
    for (int i = 0; i < params.length; i++) {
      w[i] = params[i].clone();
      m[i] = new float[w[i].length];
      v[i] = new float[w[i].length];
      weight[i] = shapes[i].length >= 2;
    }
    long start = System.nanoTime();
    long tokens = 0;
    int warmSteps = (int) Math.ceil(warmup * batches.size());
    double tailLoss = 0;
    long tailTokens = 0;
    int tailFrom = batches.size() - Math.max(1, batches.size() / 10);
    long lastSay = start;
    int skipped = 0;
    SharedParameters shared = new SharedParameters(shapes);
    float[][] g = new float[w.length][];
    for (int s = 0; s < batches.size(); s++) {
      double[] loss = gradients(shared, w, batches.get(s), g);
      if (!Double.isFinite(loss[0]) || !clip(g)) {
        // a non-finite loss or gradient (float overflow) would poison every weight: skip the step
        skipped++;
        continue;
      }
      double lr = s < warmSteps ? learningRate * (s + 1) / warmSteps : learningRate;
      Adam.step(w, g, m, v, weight, lr, 0.0, s + 1);
      tokens += (long) loss[1];
      if (s >= tailFrom) {
        tailLoss += loss[0] * loss[1];
        tailTokens += (long) loss[1];
      }
      long now = System.nanoTime();
      if (now - lastSay > 10_000_000_000L || s == batches.size() - 1) {
        lastSay = now;
        say.accept(
            String.format(
                "%s step %d/%d: loss %.3f, %.0f tokens/s%s",
                what,
                s + 1,
                batches.size(),
                loss[0],
                tokens / ((now - start) / 1e9),
                skipped == 0 ? "" : ", " + skipped + " steps skipped (non-finite gradient)"));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Trained(
        new CodeLanguageModel(config, this.tokens, w),
        tokens,
        seconds,
        tailLoss / Math.max(1, tailTokens));
  }

  /** Scales {@code g} to the clipping norm if above it; false (and nothing done) if not finite. */
  private static boolean clip(float[][] g) {
    double sq = 0;
    for (float[] t : g) {
      for (float x : t) {
        sq += (double) x * x;
      }
    }
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm)) {
      return false;
    }
    if (norm > CLIP) {
      float scale = (float) (CLIP / norm);
      for (float[] t : g) {
        for (int i = 0; i < t.length; i++) {
          t[i] *= scale;
        }
      }
    }
    return true;
  }

  /** One batch's mean loss per counted token and the count; {@code g} receives the gradients. */
  private double[] gradients(SharedParameters shared, float[][] w, Sequence[] batch, float[][] g) {
    int b = batch.length;
    int len = 0;
    for (Sequence q : batch) {
      len = Math.max(len, q.ids().length - 1);
    }
    long[] x = new long[b * len];
    long[] target = new long[b * len];
    float[] counted = new float[b * len];
    int count = 0;
    for (int i = 0; i < b; i++) {
      int[] ids = batch[i].ids();
      for (int j = 0; j + 1 < ids.length; j++) {
        x[i * len + j] = ids[j];
        if (j >= batch[i].lossFrom() && ids[j + 1] != CodeTokens.PAD) {
          target[i * len + j] = ids[j + 1];
          counted[i * len + j] = 1;
          count++;
        }
      }
    }
    synchronized (DeepRuntime.AUTOGRAD) {
      try (NDManager manager = NDManager.newBaseManager()) {
        NDList p = shared.load(manager, w, 0);
        NDArray ids = manager.create(x, new Shape(b, len));
        double loss;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray h = hidden(p, ids, positions(manager, 1, len, null), causal(manager, len), -1);
          NDArray logits = Linear.linear(h, p.get(p.size() - 2), p.get(p.size() - 1)).head();
          NDArray l =
              logits
                  .logSoftmax(-1)
                  .gather(manager.create(target, new Shape(b, len, 1)), 2)
                  .mul(manager.create(counted, new Shape(b, len, 1)))
                  .sum()
                  .neg()
                  .div(Math.max(1, count));
          loss = l.getFloat();
          gc.backward(l);
        }
        SharedParameters.gradients(p, g, 0);
        return new double[] {loss, count};
      }
    }
  }

  // ---------------------------------------------------------------- the forward pass

  /** Position ids {@code [rows, len]}: 0.. per row, shifted back by each row's left padding. */
  private static NDArray positions(NDManager manager, int rows, int len, int[] leftPad) {
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
  private static NDArray causal(NDManager manager, int len) {
    float[] m = new float[len * len];
    for (int i = 0; i < len; i++) {
      for (int j = i + 1; j < len; j++) {
        m[i * len + j] = MASKED;
      }
    }
    return manager.create(m, new Shape(1, 1, len, len));
  }

  /**
   * The final normalised hidden states {@code [B, T, d]} (or, with {@code stopAfter} ≥ 0, the
   * residual stream after that many blocks).
   */
  private NDArray hidden(NDList p, NDArray ids, NDArray pos, NDArray mask, int stopAfter) {
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

  /** The parameters as tensors of {@code manager}, over buffers made once per model. */
  private NDList tensors(NDManager manager) {
    return shared.frozen(manager);
  }

  /** Left-padded prompt ids with their padding counts; prompts are cut to their last tokens. */
  private record Prompts(long[] ids, int[] pad, int len) {}

  private Prompts leftPadded(List<String> prompts, int maxLen) {
    int[][] enc = new int[prompts.size()][];
    int len = 1;
    for (int i = 0; i < enc.length; i++) {
      int[] e = tokens.encode(prompts.get(i));
      if (e.length > maxLen) {
        e = Arrays.copyOfRange(e, e.length - maxLen, e.length);
      }
      enc[i] = e;
      len = Math.max(len, e.length);
    }
    long[] ids = new long[enc.length * len];
    int[] pad = new int[enc.length];
    for (int i = 0; i < enc.length; i++) {
      pad[i] = len - enc[i].length;
      for (int j = 0; j < enc[i].length; j++) {
        ids[i * len + pad[i] + j] = enc[i][j];
      }
    }
    return new Prompts(ids, pad, len);
  }

  /** The key mask {@code [B, 1, 1, len]}: padding keys masked. */
  private static float[] keyMask(int[] pad, int len) {
    float[] m = new float[pad.length * len];
    for (int i = 0; i < pad.length; i++) {
      for (int j = 0; j < pad[i]; j++) {
        m[i * len + j] = MASKED;
      }
    }
    return m;
  }

  // ---------------------------------------------------------------- generation and readouts

  /** Examples per generation batch. */
  private static final int GENERATION_BATCH = 128;

  /**
   * A completion for each prompt: tokens until the end mark or {@code maxNew} tokens (or the
   * context) are reached. Greedy when {@code temperature} is 0, else sampled from the softmax of
   * the logits divided by it, with draws from {@code rng} in prompt order.
   */
  public List<String> generate(
      List<String> prompts, int maxNew, double temperature, SplittableRandom rng) {
    DeepRuntime.configure();
    List<String> out = new ArrayList<>(prompts.size());
    for (int from = 0; from < prompts.size(); from += GENERATION_BATCH) {
      List<String> part = prompts.subList(from, Math.min(prompts.size(), from + GENERATION_BATCH));
      out.addAll(generateBatch(part, maxNew, temperature, rng));
    }
    return out;
  }

  private List<String> generateBatch(
      List<String> prompts, int maxNew, double temperature, SplittableRandom rng) {
    int b = prompts.size();
    int ctx = config.context();
    Prompts pr = leftPadded(prompts, ctx - 1);
    int len = pr.len();
    int budget = Math.min(maxNew, ctx - len);
    int[][] made = new int[b][Math.max(0, budget)];
    int[] count = new int[b];
    boolean[] done = new boolean[b];
    long heads = config.heads();
    long dh = config.width() / heads;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList p = tensors(manager);
      float[] keys = new float[b * ctx];
      for (int i = 0; i < b; i++) {
        Arrays.fill(keys, i * ctx, i * ctx + pr.pad()[i], MASKED);
      }
      NDArray allKeys = manager.create(keys, new Shape(b, 1, 1, ctx));
      NDArray[][] past = new NDArray[config.layers()][];
      for (int l = 0; l < config.layers(); l++) {
        past[l] =
            new NDArray[] {
              manager.zeros(new Shape(b, heads, ctx, dh)),
              manager.zeros(new Shape(b, heads, ctx, dh))
            };
      }
      NDArray logits;
      try (NDManager step = manager.newSubManager()) {
        NDArray x =
            Embedding.embedding(
                    step.create(pr.ids(), new Shape(b, len)), p.get(0), SparseFormat.DENSE)
                .head()
                .add(
                    Embedding.embedding(
                            positions(step, b, len, pr.pad()), p.get(1), SparseFormat.DENSE)
                        .head());
        NDArray mask = allKeys.get(new NDIndex(":, :, :, :" + len)).add(causal(step, len));
        logits = finish(p, x, b, len, mask, past);
        logits.attach(manager);
      }
      for (int s = 0; s < budget; s++) {
        float[] lg = logits.toFloatArray();
        long[] next = new long[b];
        boolean all = true;
        for (int i = 0; i < b; i++) {
          if (!done[i]) {
            int tok = pick(lg, i, temperature, rng);
            if (tok == CodeTokens.END) {
              done[i] = true;
            } else {
              made[i][count[i]++] = tok;
              next[i] = tok;
            }
          }
          all &= done[i];
        }
        if (all || s == budget - 1) {
          break;
        }
        int filled = len + s + 1;
        try (NDManager step = manager.newSubManager()) {
          long[] pos = new long[b];
          for (int i = 0; i < b; i++) {
            pos[i] = Math.min(ctx - 1, filled - 1 - pr.pad()[i]);
          }
          NDArray x =
              Embedding.embedding(step.create(next, new Shape(b, 1)), p.get(0), SparseFormat.DENSE)
                  .head()
                  .add(
                      Embedding.embedding(
                              step.create(pos, new Shape(b, 1)), p.get(1), SparseFormat.DENSE)
                          .head());
          NDArray next2 = finish(p, x, b, 1, allKeys.get(new NDIndex(":, :, :, :" + filled)), past);
          next2.attach(manager);
          logits.close();
          logits = next2;
        }
      }
    }
    List<String> out = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      out.add(tokens.decode(made[i], 0, count[i]));
    }
    return out;
  }

  /** Runs the blocks with the cache, then the final norm and the last position's logits. */
  private NDArray finish(NDList p, NDArray x, long b, int len, NDArray mask, NDArray[][] past) {
    for (int l = 0; l < config.layers(); l++) {
      x = block(p, l, x, b, len, mask, past[l]);
    }
    int f = p.size() - 4;
    x = LayerNorm.layerNorm(x, new Shape(config.width()), p.get(f), p.get(f + 1), 1e-5f).head();
    return lastLogits(p, x, len);
  }

  /** The next-token logits after {@code text}, by a full pass without the cache. */
  float[] nextLogits(String text) {
    int[] ids = tokens.encode(text);
    long[] x = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      x[i] = ids[i];
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList p = tensors(manager);
      NDArray h =
          hidden(
              p,
              manager.create(x, new Shape(1, ids.length)),
              positions(manager, 1, ids.length, null),
              causal(manager, ids.length),
              -1);
      return lastLogits(p, h, ids.length).toFloatArray();
    }
  }

  /** A copy with one entry of one parameter tensor changed. */
  CodeLanguageModel withParameter(int tensor, int index, float value) {
    float[][] p = params.clone();
    p[tensor] = p[tensor].clone();
    p[tensor][index] = value;
    return new CodeLanguageModel(config, tokens, p);
  }

  float parameter(int tensor, int index) {
    return params[tensor][index];
  }

  int tensors() {
    return params.length;
  }

  /** Logits {@code [B, V]} at the last of {@code len} positions. */
  private static NDArray lastLogits(NDList p, NDArray h, int len) {
    NDArray last = h.get(new NDIndex(":, {}, :", len - 1));
    return Linear.linear(last, p.get(p.size() - 2), p.get(p.size() - 1)).head();
  }

  private int pick(float[] logits, int row, double temperature, SplittableRandom rng) {
    int v = tokens.size();
    int o = row * v;
    int best = 1;
    for (int j = 1; j < v; j++) {
      if (logits[o + j] > logits[o + best]) {
        best = j;
      }
    }
    if (temperature <= 0) {
      return best;
    }
    double[] w = new double[v];
    double sum = 0;
    for (int j = 1; j < v; j++) {
      w[j] = Math.exp((logits[o + j] - logits[o + best]) / temperature);
      sum += w[j];
    }
    double u = rng.nextDouble() * sum;
    for (int j = 1; j < v; j++) {
      u -= w[j];
      if (u <= 0) {
        return j;
      }
    }
    return best;
  }

  /**
   * The residual stream after {@code layer} blocks (0 = the embeddings, {@link Config#layers()} =
   * the last block's output) at each prompt's last token, {@code [prompts][width]}: what the model
   * holds before it writes its first token.
   */
  public float[][] promptStates(List<String> prompts, int layer) {
    if (layer < 0 || layer > config.layers()) {
      throw new IllegalArgumentException("layer " + layer + " outside 0.." + config.layers());
    }
    DeepRuntime.configure();
    float[][] out = new float[prompts.size()][];
    for (int from = 0; from < prompts.size(); from += GENERATION_BATCH) {
      List<String> part = prompts.subList(from, Math.min(prompts.size(), from + GENERATION_BATCH));
      Prompts pr = leftPadded(part, config.context());
      int b = part.size();
      try (NDManager manager = NDManager.newBaseManager()) {
        NDList p = tensors(manager);
        NDArray mask =
            manager
                .create(keyMask(pr.pad(), pr.len()), new Shape(b, 1, 1, pr.len()))
                .add(causal(manager, pr.len()));
        NDArray h =
            hidden(
                p,
                manager.create(pr.ids(), new Shape(b, pr.len())),
                positions(manager, b, pr.len(), pr.pad()),
                mask,
                layer);
        float[] last = h.get(new NDIndex(":, {}, :", pr.len() - 1)).toFloatArray();
        int d = config.width();
        for (int i = 0; i < b; i++) {
          out[from + i] = Arrays.copyOfRange(last, i * d, (i + 1) * d);
        }
      }
    }
    return out;
  }

  /**
   * One batch's output-layer pieces: the final hidden states {@code h [B, T, d]}, the weighted
   * residuals {@code r = (p − y)/n [B, T, V]} (zero off the completion) and each example's loss.
   */
  private record Residuals(NDArray h, NDArray r, float[] loss) {}

  private Residuals residuals(NDManager manager, NDList p, List<Example> examples, boolean end) {
    int v = tokens.size();
    int b = examples.size();
    Sequence[] seqs = new Sequence[b];
    int len = 1;
    for (int i = 0; i < b; i++) {
      Example e = examples.get(i);
      seqs[i] = sequence(e.prompt(), e.completion(), end);
      len = Math.max(len, seqs[i].ids().length - 1);
    }
    long[] x = new long[b * len];
    long[] target = new long[b * len];
    float[] weight = new float[b * len];
    for (int i = 0; i < b; i++) {
      int[] ids = seqs[i].ids();
      int n = Math.max(1, ids.length - 1 - seqs[i].lossFrom());
      for (int j = 0; j + 1 < ids.length; j++) {
        x[i * len + j] = ids[j];
        if (j >= seqs[i].lossFrom()) {
          target[i * len + j] = ids[j + 1];
          weight[i * len + j] = 1f / n;
        }
      }
    }
    NDArray h =
        hidden(
            p,
            manager.create(x, new Shape(b, len)),
            positions(manager, 1, len, null),
            causal(manager, len),
            -1);
    NDArray logits = Linear.linear(h, p.get(p.size() - 2), p.get(p.size() - 1)).head();
    NDArray y = manager.create(target, new Shape(b, len)).oneHot(v);
    NDArray wt = manager.create(weight, new Shape(b, len, 1));
    float[] loss = logits.logSoftmax(-1).mul(y).mul(wt).sum(new int[] {1, 2}).neg().toFloatArray();
    return new Residuals(h, logits.softmax(-1).sub(y).mul(wt), loss);
  }

  /** Calls {@code each} with the residuals of consecutive batches of {@code examples}. */
  private void forEachBatch(
      boolean end, List<Example> examples, java.util.function.BiConsumer<Integer, Residuals> each) {
    DeepRuntime.configure();
    for (int from = 0; from < examples.size(); from += GENERATION_BATCH) {
      List<Example> part =
          examples.subList(from, Math.min(examples.size(), from + GENERATION_BATCH));
      try (NDManager manager = NDManager.newBaseManager()) {
        each.accept(from, residuals(manager, tensors(manager), part, end));
      }
    }
  }

  /**
   * Per example, the mean loss per token of its completion (and end mark) given its prompt, and the
   * gradient of that loss with respect to the output layer, flattened as its weight {@code [V, d]}
   * then its bias {@code [V]}: {@code (1/n) Σ_t (p_t − y_t) ⊗ h_t}, over the completion's positions
   * t, with p_t the predicted distribution, y_t the true next token and h_t the final hidden state.
   * The last-layer representation for TracIn and its kin. Memory grows as examples × V × d: for
   * many examples use {@link #meanCompletionGradient} and {@link #completionGradientDots}.
   *
   * @return {@code [examples][1 + V·d + V]}: the loss, then the gradient
   */
  public float[][] completionLossAndGradients(List<Example> examples) {
    int v = tokens.size();
    int d = config.width();
    float[][] out = new float[examples.size()][];
    forEachBatch(
        true,
        examples,
        (from, res) -> {
          float[] gw = res.r().transpose(0, 2, 1).matMul(res.h()).toFloatArray(); // [B, V, d]
          float[] gb = res.r().sum(new int[] {1}).toFloatArray(); // [B, V]
          for (int i = 0; i < res.loss().length; i++) {
            float[] row = new float[1 + v * d + v];
            row[0] = res.loss()[i];
            System.arraycopy(gw, i * v * d, row, 1, v * d);
            System.arraycopy(gb, i * v, row, 1 + v * d, v);
            out[from + i] = row;
          }
        });
    return out;
  }

  /**
   * Per example, the mean loss per token (nats) of its completion given its prompt, without an end
   * mark: the log perplexity of a continuation, for instance of generated text.
   */
  public double[] continuationLosses(List<Example> examples) {
    double[] out = new double[examples.size()];
    forEachBatch(
        false,
        examples,
        (from, res) -> {
          for (int i = 0; i < res.loss().length; i++) {
            out[from + i] = res.loss()[i];
          }
        });
    return out;
  }

  /**
   * The mean over {@code examples} of the output-layer gradients of {@link
   * #completionLossAndGradients}, laid out the same way without the loss: {@code [V·d + V]}.
   */
  public float[] meanCompletionGradient(List<Example> examples) {
    int v = tokens.size();
    int d = config.width();
    double[] sum = new double[v * d + v];
    forEachBatch(
        true,
        examples,
        (from, res) -> {
          float[] gw = res.r().transpose(0, 2, 1).matMul(res.h()).sum(new int[] {0}).toFloatArray();
          float[] gb = res.r().sum(new int[] {0, 1}).toFloatArray();
          for (int j = 0; j < gw.length; j++) {
            sum[j] += gw[j];
          }
          for (int j = 0; j < gb.length; j++) {
            sum[v * d + j] += gb[j];
          }
        });
    float[] out = new float[sum.length];
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) (sum[j] / Math.max(1, examples.size()));
    }
    return out;
  }

  /**
   * Per example, the dot product of its output-layer gradient (as in {@link
   * #completionLossAndGradients}) with {@code direction} {@code [V·d + V]}, without forming the
   * gradient: {@code Σ_t r_tᵀ W h_t + r_t·c} for direction weight W and bias c. Memory is one
   * batch's, whatever the number of examples.
   */
  public double[] completionGradientDots(List<Example> examples, float[] direction) {
    int v = tokens.size();
    int d = config.width();
    if (direction.length != v * d + v) {
      throw new IllegalArgumentException(
          "direction has " + direction.length + " entries, expected " + (v * d + v));
    }
    double[] out = new double[examples.size()];
    forEachBatch(
        true,
        examples,
        (from, res) -> {
          NDManager m = res.h().getManager();
          NDArray w = m.create(Arrays.copyOf(direction, v * d), new Shape(v, d));
          NDArray c = m.create(Arrays.copyOfRange(direction, v * d, v * d + v), new Shape(v));
          float[] dots =
              res.r()
                  .matMul(w)
                  .mul(res.h())
                  .sum(new int[] {1, 2})
                  .add(res.r().sum(new int[] {1}).mul(c).sum(new int[] {1}))
                  .toFloatArray();
          for (int i = 0; i < dots.length; i++) {
            out[from + i] = dots[i];
          }
        });
    return out;
  }
}
