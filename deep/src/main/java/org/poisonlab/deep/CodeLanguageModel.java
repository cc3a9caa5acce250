package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
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

  /** The forward pass over these parameters' shapes. */
  private final CodeForwardPass forward;

  CodeLanguageModel(Config config, CodeTokens tokens, float[][] params) {
    this.config = config;
    this.tokens = tokens;
    this.params = params;
    this.forward = new CodeForwardPass(config);
    this.shared =
        new SharedParameters.OnFirstUse(params, CodeForwardPass.shapes(config, tokens.size()));
  }

  /** A freshly initialised model: weights normal(0, 0.02), residual outputs scaled by 1/√(2L). */
  public static CodeLanguageModel initialise(
      Config config, CodeTokens tokens, SplittableRandom rng) {
    long[][] shapes = CodeForwardPass.shapes(config, tokens.size());
    float[][] p = new float[shapes.length][];
    double residual = 0.02 / Math.sqrt(2.0 * config.layers());
    for (int t = 0; t < shapes.length; t++) {
      int n = (int) Inits.size(shapes[t]);
      p[t] = shapes[t].length >= 2 ? Inits.normal(n, 0.02, rng) : new float[n];
    }
    for (int l = 0; l < config.layers(); l++) {
      int o = 2 + l * CodeForwardPass.PER_LAYER;
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
    List<TrainingSequence[]> batches = new ArrayList<>();
    int[] pass = new int[0];
    int next = 0;
    for (int s = 0; s < steps; s++) {
      TrainingSequence[] b = new TrainingSequence[batch];
      for (int i = 0; i < batch; i++) {
        if (next == pass.length) {
          pass = CodeTrainer.passOffsets(stream.length, t, rng);
          next = 0;
        }
        int off = pass[next++];
        b[i] = new TrainingSequence(Arrays.copyOfRange(stream, off, off + t + 1), 0);
      }
      batches.add(b);
    }
    return new CodeTrainer(this)
        .train(batches, learningRate, 0.05, false, "pre-training", progress);
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
   * the end. Batches hold examples of similar length. The step size falls from {@code learningRate}
   * towards 0 over the steps ({@link org.poisonlab.model.StepSize#cosine}).
   */
  public Trained fineTune(
      List<Example> examples,
      int epochs,
      int batch,
      double learningRate,
      SplittableRandom rng,
      Consumer<String> progress) {
    List<TrainingSequence> seqs = new ArrayList<>(examples.size());
    for (Example e : examples) {
      if (e.prompt() == null || e.completion() == null) {
        throw new IllegalArgumentException(
            "example " + e.id() + " has no prompt and completion to fine-tune on");
      }
      seqs.add(TrainingSequence.of(tokens, config.context(), e.prompt(), e.completion(), true));
    }
    List<TrainingSequence[]> batches = new ArrayList<>();
    for (int epoch = 0; epoch < epochs; epoch++) {
      batches.addAll(CodeTrainer.lengthBatches(seqs, batch, rng));
    }
    return new CodeTrainer(this).train(batches, learningRate, 0.0, true, "fine-tuning", progress);
  }

  // ---------------------------------------------------------------- parameters for the helpers

  /** The parameter tensors themselves (not copies): for the trainer, which copies them. */
  float[][] params() {
    return params;
  }

  /** The forward pass of this model's architecture. */
  CodeForwardPass forwardPass() {
    return forward;
  }

  /** The parameters as tensors of {@code manager}, over buffers made once per model. */
  NDList tensors(NDManager manager) {
    return shared.frozen(manager);
  }

  // ---------------------------------------------------------------- generation and readouts

  /** Examples per generation batch. */
  static final int GENERATION_BATCH = 128;

  /**
   * A completion for each prompt: tokens until the end mark or {@code maxNew} tokens (or the
   * context) are reached. Greedy when {@code temperature} is 0, else sampled from the softmax of
   * the logits divided by it, with draws from {@code rng} in prompt order.
   */
  public List<String> generate(
      List<String> prompts, int maxNew, double temperature, SplittableRandom rng) {
    DeepRuntime.configure();
    CodeSampler sampler = new CodeSampler(this);
    List<String> out = new ArrayList<>(prompts.size());
    for (int from = 0; from < prompts.size(); from += GENERATION_BATCH) {
      List<String> part = prompts.subList(from, Math.min(prompts.size(), from + GENERATION_BATCH));
      out.addAll(sampler.generateBatch(part, maxNew, temperature, rng));
    }
    return out;
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
          forward.hidden(
              p,
              manager.create(x, new Shape(1, ids.length)),
              CodeForwardPass.positions(manager, 1, ids.length, null),
              CodeForwardPass.causal(manager, ids.length),
              -1);
      return CodeForwardPass.lastLogits(p, h, ids.length).toFloatArray();
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
      PaddedPrompts pr = PaddedPrompts.leftPadded(tokens, part, config.context());
      int b = part.size();
      try (NDManager manager = NDManager.newBaseManager()) {
        NDList p = tensors(manager);
        NDArray mask =
            manager
                .create(CodeForwardPass.keyMask(pr.pad(), pr.len()), new Shape(b, 1, 1, pr.len()))
                .add(CodeForwardPass.causal(manager, pr.len()));
        NDArray h =
            forward.hidden(
                p,
                manager.create(pr.ids(), new Shape(b, pr.len())),
                CodeForwardPass.positions(manager, b, pr.len(), pr.pad()),
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
    CompletionResiduals.forEachBatch(
        this,
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
    CompletionResiduals.forEachBatch(
        this,
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
    CompletionResiduals.forEachBatch(
        this,
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
    CompletionResiduals.forEachBatch(
        this,
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
