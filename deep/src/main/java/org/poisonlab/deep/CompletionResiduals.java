package org.poisonlab.deep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.function.BiConsumer;
import org.poisonlab.data.Example;

/**
 * One batch's output-layer pieces: the final hidden states {@code h [B, T, d]}, the weighted
 * residuals {@code r = (p − y)/n [B, T, V]} (zero off the completion) and each example's loss.
 */
record CompletionResiduals(NDArray h, NDArray r, float[] loss) {
  /** The residuals of one batch of {@code examples} under {@code model}'s parameters {@code p}. */
  static CompletionResiduals of(
      CodeLanguageModel model, NDManager manager, NDList p, List<Example> examples, boolean end) {
    CodeTokens tokens = model.tokens();
    CodeForwardPass pass = model.forwardPass();
    int v = tokens.size();
    int b = examples.size();
    TrainingSequence[] seqs = new TrainingSequence[b];
    int len = 1;
    for (int i = 0; i < b; i++) {
      Example e = examples.get(i);
      seqs[i] =
          TrainingSequence.of(tokens, model.config().context(), e.prompt(), e.completion(), end);
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
        pass.hidden(
            p,
            manager.create(x, new Shape(b, len)),
            CodeForwardPass.positions(manager, 1, len, null),
            CodeForwardPass.causal(manager, len),
            -1);
    NDArray logits = Linear.linear(h, p.get(p.size() - 2), p.get(p.size() - 1)).head();
    NDArray y = manager.create(target, new Shape(b, len)).oneHot(v);
    NDArray wt = manager.create(weight, new Shape(b, len, 1));
    float[] loss = logits.logSoftmax(-1).mul(y).mul(wt).sum(new int[] {1, 2}).neg().toFloatArray();
    return new CompletionResiduals(h, logits.softmax(-1).sub(y).mul(wt), loss);
  }

  /** Calls {@code each} with the residuals of consecutive batches of {@code examples}. */
  static void forEachBatch(
      CodeLanguageModel model,
      boolean end,
      List<Example> examples,
      BiConsumer<Integer, CompletionResiduals> each) {
    DeepRuntime.configure();
    for (int from = 0; from < examples.size(); from += CodeLanguageModel.GENERATION_BATCH) {
      List<Example> part =
          examples.subList(
              from, Math.min(examples.size(), from + CodeLanguageModel.GENERATION_BATCH));
      try (NDManager manager = NDManager.newBaseManager()) {
        each.accept(from, of(model, manager, model.tensors(manager), part, end));
      }
    }
  }
}
