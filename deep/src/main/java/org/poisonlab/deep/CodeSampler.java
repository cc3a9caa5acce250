package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.deep.CodeLanguageModel.Config;

/**
 * Batched generation for {@link CodeLanguageModel}: left-padded prompts run once through the
 * blocks, then one token at a time with the key/value cache, each token greedy or sampled at a
 * temperature.
 */
final class CodeSampler {
  private final CodeLanguageModel model;
  private final Config config;
  private final CodeTokens tokens;
  private final CodeForwardPass pass;

  CodeSampler(CodeLanguageModel model) {
    this.model = model;
    this.config = model.config();
    this.tokens = model.tokens();
    this.pass = model.forwardPass();
  }

  /** Completions of one batch of prompts, as {@link CodeLanguageModel#generate} describes. */
  List<String> generateBatch(
      List<String> prompts, int maxNew, double temperature, SplittableRandom rng) {
    int b = prompts.size();
    int ctx = config.context();
    PaddedPrompts pr = PaddedPrompts.leftPadded(tokens, prompts, ctx - 1);
    int len = pr.len();
    int budget = Math.min(maxNew, ctx - len);
    int[][] made = new int[b][Math.max(0, budget)];
    int[] count = new int[b];
    boolean[] done = new boolean[b];
    long heads = config.heads();
    long dh = config.width() / heads;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList p = model.tensors(manager);
      float[] keys = new float[b * ctx];
      for (int i = 0; i < b; i++) {
        Arrays.fill(keys, i * ctx, i * ctx + pr.pad()[i], CodeForwardPass.MASKED);
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
                            CodeForwardPass.positions(step, b, len, pr.pad()),
                            p.get(1),
                            SparseFormat.DENSE)
                        .head());
        NDArray mask =
            allKeys.get(new NDIndex(":, :, :, :" + len)).add(CodeForwardPass.causal(step, len));
        logits = pass.finish(p, x, b, len, mask, past);
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
          NDArray next2 =
              pass.finish(p, x, b, 1, allKeys.get(new NDIndex(":, :, :, :" + filled)), past);
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
}
