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
import java.util.function.Function;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.ModelProvenance;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainer;

/**
 * Trains a deep family by mini-batch Adam (or plain SGD, {@code optimizer sgd}, or {@link Nesterov}
 * momentum on a cosine step size, {@code optimizer nesterov}) on the mean cross-entropy plus {@code
 * l2/2 ||W||²}. PyTorch computes each batch's forward and backward pass; the parameters, the Adam
 * moments, the shuffling and the initialisation live in Java and come from the seed, so a run is
 * repeatable: on one machine and thread count, the same seed gives the same parameters bit for bit
 * for cnn and textcnn; the transformer's reruns were bit-identical in all but one pair measured
 * (docs/methods/deep-models.md).
 */
final class DeepTrainer implements Trainer {

  private final TrainConfig config;
  private final Function<Dataset, Architecture> architecture;

  DeepTrainer(TrainConfig config, Function<Dataset, Architecture> architecture) {
    this.config = config;
    this.architecture = architecture;
  }

  @Override
  public String model() {
    return config.model();
  }

  @Override
  public DifferentiableClassifier train(
      Dataset train, long seed, Classifier init, Consumer<String> progress) {
    List<Checkpoint> cs = run(train, seed, init, progress, false);
    return cs.get(cs.size() - 1).model();
  }

  @Override
  public List<Checkpoint> trainWithCheckpoints(
      Dataset train, long seed, Classifier init, Consumer<String> progress) {
    return run(train, seed, init, progress, true);
  }

  private List<Checkpoint> run(
      Dataset train, long seed, Classifier init, Consumer<String> progress, boolean keep) {
    Consumer<String> say = progress == null ? s -> {} : progress;
    if (train.isEmpty()) {
      throw new BadInputException(train.name() + ": the training set is empty");
    }
    DeepClassifier base = null;
    List<String> labels;
    Architecture arch;
    SplittableRandom rng = new SplittableRandom(seed);
    if (init != null) {
      if (!(init instanceof DeepClassifier d) || !d.kind().equals(config.model())) {
        throw new BadInputException(
            "cannot fine-tune a "
                + init.kind()
                + " model with the "
                + config.model()
                + " configuration");
      }
      base = d;
      labels = d.labels();
      for (String label : train.labels()) {
        if (!labels.contains(label)) {
          throw new BadInputException(
              train.name()
                  + ": label '"
                  + label
                  + "' is not one of the labels of the model fine-tuned from "
                  + labels);
        }
      }
      arch = d.body().architecture();
    } else {
      labels = train.labels();
      if (labels.size() < 2) {
        throw new BadInputException(
            train.name() + ": training needs at least two labels, found " + labels);
      }
      try {
        arch = architecture.apply(train);
      } catch (IllegalArgumentException e) {
        throw new BadInputException(train.name() + ": " + e.getMessage());
      }
    }
    int k = labels.size();
    int width = arch.width();
    float[][] body;
    float[][] head;
    if (base != null) {
      body = copy(base.body().view());
      double[] hp = base.parameters();
      head = new float[][] {new float[k * width], new float[k]};
      for (int i = 0; i < k * width; i++) {
        head[0][i] = (float) hp[i];
      }
      for (int c = 0; c < k; c++) {
        head[1][c] = (float) hp[k * width + c];
      }
    } else {
      body = arch.initialise(rng);
      head = Inits.uniformFanIn(new long[][] {{k, width}, {k}}, rng);
    }
    int[] y = new int[train.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.indexOf(train.get(i).label());
    }
    // body tensors, then the head's weight and bias
    int tensors = body.length + 2;
    float[][] w = new float[tensors][];
    System.arraycopy(body, 0, w, 0, body.length);
    w[body.length] = head[0];
    w[body.length + 1] = head[1];
    long[][] shapes = new long[tensors][];
    System.arraycopy(arch.shapes(), 0, shapes, 0, body.length);
    shapes[body.length] = new long[] {k, width};
    shapes[body.length + 1] = new long[] {k};
    boolean[] weight = new boolean[tensors];
    for (int t = 0; t < body.length; t++) {
      weight[t] = arch.isWeight(t);
    }
    weight[body.length] = true;
    float[][] m = new float[tensors][];
    float[][] v = new float[tensors][];
    for (int t = 0; t < tensors; t++) {
      m[t] = new float[w[t].length];
      v[t] = new float[w[t].length];
    }
    ModelProvenance provenance =
        ModelProvenance.of(train, seed, config, base == null ? null : base.provenance());
    List<Checkpoint> out = new ArrayList<>();
    long start = System.nanoTime();
    DeepRuntime.configure();
    int step = 0;
    List<Example> xs = train.examples();
    SharedParameters shared = new SharedParameters(shapes);
    float[][] g = new float[tensors][];
    TableGradient table =
        arch.readsTable() ? new TableGradient((int) shapes[0][0], (int) shapes[0][1]) : null;
    long steps = 0;
    for (int epoch = 1; epoch <= config.epochs(); epoch++) {
      double lossSum = 0;
      double rateSum = 0;
      List<int[]> batches = Batches.epoch(xs, arch, config.batchSize(), rng);
      if (epoch == 1) {
        steps = (long) config.epochs() * batches.size();
      }
      for (int[] batch : batches) {
        step++;
        lossSum += batch.length * gradients(arch, shared, table, w, xs, y, batch, k, g);
        double rate = config.learningRate();
        switch (config.optimizer()) {
          case "sgd" -> sgd(w, g, weight);
          case "nesterov" -> {
            rate = Nesterov.rate(config.learningRate(), Math.min(step - 1, steps), steps);
            Nesterov.step(w, g, m, weight, rate, config.l2());
          }
          default -> Adam.step(w, g, m, v, weight, config.learningRate(), config.l2(), step);
        }
        rateSum += rate;
      }
      say.accept(
          String.format(
              "%s epoch %d/%d: mean loss %.4f (%.1f s)",
              config.model(),
              epoch,
              config.epochs(),
              lossSum / xs.size(),
              (System.nanoTime() - start) / 1e9));
      if (keep || epoch == config.epochs()) {
        // TracIn weighs each checkpoint by its step size: a falling one by the epoch's mean
        out.add(
            new Checkpoint(
                epoch,
                config.optimizer().equals("nesterov")
                    ? rateSum / batches.size()
                    : config.learningRate(),
                model(arch, w, body.length, labels, provenance)));
      }
    }
    if (out.isEmpty()) {
      out.add(
          new Checkpoint(
              0, config.learningRate(), model(arch, w, body.length, labels, provenance)));
    }
    return List.copyOf(out);
  }

  private DeepClassifier model(
      Architecture arch, float[][] w, int bodyTensors, List<String> labels, ModelProvenance prov) {
    float[][] body = new float[bodyTensors][];
    System.arraycopy(w, 0, body, 0, bodyTensors);
    float[] hw = w[bodyTensors];
    float[] hb = w[bodyTensors + 1];
    double[] head = new double[hw.length + hb.length];
    for (int i = 0; i < hw.length; i++) {
      head[i] = hw[i];
    }
    for (int i = 0; i < hb.length; i++) {
      head[hw.length + i] = hb[i];
    }
    return new DeepClassifier(new Body(arch, body), labels, head, config.l2(), prov);
  }

  /** One batch's mean loss; {@code g} receives the gradient of each tensor. */
  private static double gradients(
      Architecture arch,
      SharedParameters shared,
      TableGradient table,
      float[][] w,
      List<Example> xs,
      int[] y,
      int[] batch,
      int k,
      float[][] g) {
    int b = batch.length;
    float[] onehot = new float[b * k];
    for (int i = 0; i < b; i++) {
      onehot[i * k + y[batch[i]]] = 1;
    }
    synchronized (DeepRuntime.AUTOGRAD) {
      try (NDManager manager = NDManager.newBaseManager()) {
        NDList params = shared.load(manager, w, table == null ? 0 : 1);
        NDList in = arch.inputs(manager, Batches.pick(xs, batch));
        NDList bodyParams = new NDList(params.subList(0, w.length - 2));
        double loss;
        NDArray rows = null;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray h;
          if (table == null) {
            h = arch.forward(in, bodyParams);
          } else {
            rows = Architecture.tableRows(in, params);
            rows.setRequiresGradient(true);
            h = arch.forwardFromRows(rows, in, bodyParams);
          }
          NDArray logits =
              Linear.linear(h, params.get(w.length - 2), params.get(w.length - 1))
                  .singletonOrThrow();
          NDArray l =
              logits.logSoftmax(1).mul(manager.create(onehot, new Shape(b, k))).sum().neg().div(b);
          loss = l.getFloat();
          gc.backward(l);
        }
        if (table == null) {
          SharedParameters.gradients(params, g, 0);
        } else {
          SharedParameters.gradients(params, g, 1);
          float[] rowGradients = new float[Math.toIntExact(rows.size())];
          SharedParameters.read(rows.getGradient(), rowGradients);
          g[0] = table.of(in.get(0).toLongArray(), rowGradients);
        }
        return loss;
      }
    }
  }

  /** One plain gradient step. */
  private void sgd(float[][] w, float[][] g, boolean[] weight) {
    double lr = config.learningRate();
    double l2 = config.l2();
    for (int t = 0; t < w.length; t++) {
      float[] wt = w[t];
      float[] gt = g[t];
      boolean decay = weight[t] && l2 > 0;
      for (int i = 0; i < wt.length; i++) {
        wt[i] = (float) (wt[i] - lr * (gt[i] + (decay ? l2 * wt[i] : 0)));
      }
    }
  }

  private static float[][] copy(float[][] a) {
    float[][] out = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
