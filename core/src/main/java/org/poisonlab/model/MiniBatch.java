package org.poisonlab.model;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.poisonlab.linalg.ByteMatrix;
import org.poisonlab.linalg.CsrMatrix;
import org.poisonlab.linalg.DenseMatrix;
import org.poisonlab.linalg.Matrix;

/**
 * Mini-batch training: each epoch visits the examples in a fresh random order drawn from the seed,
 * in batches of {@code batchSize}; each batch takes one optimizer step on the gradient of its mean
 * loss plus {@code l2/2 ||W||²}. The step size follows {@link StepSize#cosine}.
 */
final class MiniBatch {
  /** One optimizer step: updates {@code w} in place from gradient {@code g}. */
  interface Step {
    void update(double[] w, double[] g, double rate);
  }

  /** Sees the parameters at the end of each epoch; must not modify them. */
  interface EpochHook {
    /**
     * @param epoch 1-based
     * @param w the parameters after the epoch's last step; not to be modified or kept
     * @param meanRate the mean step size of the epoch's steps
     */
    void endOfEpoch(int epoch, double[] w, double meanRate);
  }

  private MiniBatch() {}

  static void train(
      Layers layers,
      Matrix x,
      int[] y,
      double[] w,
      TrainConfig config,
      Step step,
      SplittableRandom rng,
      Consumer<String> progress) {
    train(layers, x, y, w, config, step, rng, progress, null);
  }

  /** As above; {@code hook}, when not null, is called after every epoch. */
  static void train(
      Layers layers,
      Matrix x,
      int[] y,
      double[] w,
      TrainConfig config,
      Step step,
      SplittableRandom rng,
      Consumer<String> progress,
      EpochHook hook) {
    int n = x.rows();
    int batch = Math.min(config.batchSize(), n);
    boolean dense = !(x instanceof CsrMatrix);
    Layers.Pass ps = layers.pass(batch, dense);
    double[] grad = new double[layers.parameterCount];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    int[] yb = new int[batch];
    int stepsPerEpoch = (n + batch - 1) / batch;
    long totalSteps = (long) stepsPerEpoch * config.epochs();
    long t = 0;
    long start = System.nanoTime();
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      org.poisonlab.linalg.Permutations.shuffle(order, rng);
      double lossSum = 0;
      double rateSum = 0;
      int steps = 0;
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        int m = to - from;
        Layers.Batch b;
        if (x instanceof ByteMatrix bytes) {
          b = new Layers.Batch(bytes.gatherRows(order, from, to, ps.input), 0, null, m);
        } else if (x instanceof DenseMatrix d) {
          b = new Layers.Batch(d.gatherRows(order, from, to, ps.input), 0, null, m);
        } else {
          b = new Layers.Batch(null, 0, ((CsrMatrix) x).gather(order, from, to), m);
        }
        for (int r = 0; r < m; r++) {
          yb[r] = y[order[from + r]];
        }
        lossSum += layers.forward(w, b, ps, yb, 0);
        layers.backward(w, b, ps, yb, 0, 1.0 / m, grad);
        layers.addPenaltyGradient(w, config.l2(), grad);
        double rate = StepSize.cosine(config.learningRate(), t, totalSteps);
        step.update(w, grad, rate);
        rateSum += rate;
        steps++;
        t++;
      }
      if (hook != null) {
        hook.endOfEpoch(epoch, w, rateSum / steps);
      }
      if (progress != null) {
        progress.accept(
            String.format(
                "epoch %d/%d: mean training loss %.4f, %.2f s",
                epoch, config.epochs(), lossSum / n, (System.nanoTime() - start) / 1e9));
      }
    }
  }
}
