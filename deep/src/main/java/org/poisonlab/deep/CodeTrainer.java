package org.poisonlab.deep;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.poisonlab.deep.CodeLanguageModel.Config;
import org.poisonlab.deep.CodeLanguageModel.Trained;
import org.poisonlab.model.StepSize;

/**
 * The training of {@link CodeLanguageModel}: Adam steps over prepared batches (linear warm-up,
 * gradient-norm clipping, non-finite steps skipped), one batch's loss and gradients, and the order
 * in which pre-training windows and fine-tuning examples are read.
 */
final class CodeTrainer {
  /** Global gradient-norm clip for every update. */
  private static final double CLIP = 1.0;

  private final Config config;
  private final CodeTokens tokens;
  private final float[][] params;
  private final CodeForwardPass pass;

  CodeTrainer(CodeLanguageModel model) {
    this.config = model.config();
    this.tokens = model.tokens();
    this.params = model.params();
    this.pass = model.forwardPass();
  }

  /** One pass's window offsets: consecutive from a random phase, shuffled. */
  static int[] passOffsets(int streamLength, int window, SplittableRandom rng) {
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

  /** Shuffled, then cut into batches of similar lengths (sorted within 16-batch pools). */
  static List<TrainingSequence[]> lengthBatches(
      List<TrainingSequence> seqs, int batch, SplittableRandom rng) {
    List<TrainingSequence> order = new ArrayList<>(seqs);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      TrainingSequence tmp = order.get(i);
      order.set(i, order.get(j));
      order.set(j, tmp);
    }
    List<TrainingSequence[]> out = new ArrayList<>();
    int pool = batch * 16;
    for (int from = 0; from < order.size(); from += pool) {
      List<TrainingSequence> part =
          new ArrayList<>(order.subList(from, Math.min(order.size(), from + pool)));
      part.sort((a, b) -> Integer.compare(a.ids().length, b.ids().length));
      for (int i = 0; i < part.size(); i += batch) {
        out.add(part.subList(i, Math.min(part.size(), i + batch)).toArray(new TrainingSequence[0]));
      }
    }
    for (int i = out.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      TrainingSequence[] tmp = out.get(i);
      out.set(i, out.get(j));
      out.set(j, tmp);
    }
    return out;
  }

  Trained train(
      List<TrainingSequence[]> batches,
      double learningRate,
      double warmup,
      boolean decay,
      String what,
      Consumer<String> progress) {
    Consumer<String> say = progress == null ? s -> {} : progress;
    DeepRuntime.configure();
    long[][] shapes = CodeForwardPass.shapes(config, tokens.size());
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
      double lr = rate(learningRate, s, batches.size(), warmSteps, decay);
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

  /**
   * Step {@code s}'s (0-based) learning rate of {@code steps}: a linear ramp to {@code peak} over
   * the first {@code warmSteps}, then {@code peak}, or with {@code decay} the cosine fall of {@link
   * StepSize#cosine} over the remaining steps.
   */
  static double rate(double peak, int s, int steps, int warmSteps, boolean decay) {
    if (s < warmSteps) {
      return peak * (s + 1) / warmSteps;
    }
    return decay ? StepSize.cosine(peak, s - warmSteps, steps - warmSteps) : peak;
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
  private double[] gradients(
      SharedParameters shared, float[][] w, TrainingSequence[] batch, float[][] g) {
    int b = batch.length;
    int len = 0;
    for (TrainingSequence q : batch) {
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
          NDArray h =
              pass.hidden(
                  p,
                  ids,
                  CodeForwardPass.positions(manager, 1, len, null),
                  CodeForwardPass.causal(manager, len),
                  -1);
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
}
