package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.poisonlab.data.Dataset;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Retrains a model on parts of its training set, the way the evaluation metrics need it.
 *
 * <p>Full-batch L-BFGS (convex logistic regression) restarts from the trained parameters: the
 * optimum is unique, so the warm start only saves time. Removals ({@link #without}) and the
 * reference run to a gradient tolerance of {@value #TIGHT_TOLERANCE}, which makes the O(1/n) effect
 * of one example measurable; subsets ({@link #fresh}), whose effects are of order one, stop at the
 * trainer's default tolerance and the configuration's iteration cap. Mini-batch optimizers either
 * continue from the trained parameters with the same configuration ({@link #without}, as Koh and
 * Liang retrain their non-convex models) or start afresh from a He initialisation drawn from the
 * given seed ({@link #fresh}, as datamodels are trained).
 *
 * <p>Jobs run on {@code parallel} threads with single-threaded training, or one after another with
 * training on every core when {@code parallel} is 1; results are identical either way.
 */
final class Retrainer {
  static final double TIGHT_TOLERANCE = 1e-9;
  private static final int WARM_ITERATIONS = 2000;

  private final DifferentiableClassifier model;
  private final Dataset train;
  private final TrainConfig config;
  private final TrainConfig tight;
  private final long trainSeed;
  private final int parallel;
  private final boolean convex;
  private volatile DifferentiableClassifier reference;

  Retrainer(
      DifferentiableClassifier model,
      Dataset train,
      TrainConfig config,
      long trainSeed,
      int parallel,
      Consumer<String> progress) {
    this.model = model;
    this.train = train;
    this.convex = config.optimizer().equals("lbfgs");
    this.parallel = Math.max(1, parallel);
    this.trainSeed = trainSeed;
    this.config = threads(config, this.parallel > 1 ? 1 : 0);
    this.tight =
        convex
            ? this.config.withMaxIterations(Math.max(config.maxIterations(), WARM_ITERATIONS))
            : this.config;
  }

  private static TrainConfig threads(TrainConfig c, int threads) {
    return new TrainConfig(
        c.model(),
        c.optimizer(),
        c.hidden(),
        c.epochs(),
        c.batchSize(),
        c.learningRate(),
        c.l2(),
        c.maxIterations(),
        c.textBuckets(),
        threads);
  }

  /** Whether retraining is full-batch L-BFGS from the trained parameters (a unique optimum). */
  boolean convex() {
    return convex;
  }

  int parallel() {
    return parallel;
  }

  /** The model retrained on the whole training set by the same procedure as {@link #without}. */
  DifferentiableClassifier reference() {
    DifferentiableClassifier r = reference;
    if (r == null) {
      synchronized (this) {
        r = reference;
        if (r == null) {
          r = fitTight(train, model, trainSeed);
          reference = r;
        }
      }
    }
    return r;
  }

  /** The model retrained without the given positions, from the trained parameters. */
  DifferentiableClassifier without(int[] removed) {
    boolean[] drop = new boolean[train.size()];
    for (int i : removed) {
      drop[i] = true;
    }
    int[] keep = new int[train.size() - countTrue(drop)];
    int k = 0;
    for (int i = 0; i < drop.length; i++) {
      if (!drop[i]) {
        keep[k++] = i;
      }
    }
    return fitTight(train.subset(keep), model, trainSeed);
  }

  /**
   * The model trained on the given positions, to the trainer's default tolerance: from the trained
   * parameters for L-BFGS (the same optimum, sooner), from a fresh initialisation drawn from {@code
   * seed} otherwise.
   */
  DifferentiableClassifier fresh(int[] positions, long seed) {
    Dataset part = train.subset(positions);
    DifferentiableClassifier init =
        convex ? model : model.withParameters(heInitialisation(model, seed));
    return Trainers.train(part, config, convex ? trainSeed : seed, init, null);
  }

  private DifferentiableClassifier fitTight(
      Dataset data, DifferentiableClassifier init, long seed) {
    return Trainers.train(data, tight, seed, init, TIGHT_TOLERANCE, null);
  }

  /**
   * Runs {@code count} jobs, on {@link #parallel()} threads, and returns their results in order.
   */
  <T> List<T> map(int count, IntFunction<T> job) {
    List<T> out = new ArrayList<>(count);
    if (parallel == 1 || count < 2) {
      for (int i = 0; i < count; i++) {
        out.add(job.apply(i));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, count));
    try {
      List<Future<T>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int j = i;
        futures.add(pool.submit(() -> job.apply(j)));
      }
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retraining", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * He et al. (2015) initialisation in the layout of {@link DifferentiableClassifier}: weights N(0,
   * 2 / fan-in), biases zero; all zero for logistic regression, which is how it is trained.
   */
  static double[] heInitialisation(DifferentiableClassifier model, long seed) {
    int[] sizes = org.poisonlab.model.Models.layered(model, "retraining").layerSizes();
    double[] w = new double[model.parameterCount()];
    if (sizes.length == 2) {
      return w;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int at = 0;
    for (int l = 0; l + 1 < sizes.length; l++) {
      int in = sizes[l];
      int out = sizes[l + 1];
      double sd = Math.sqrt(2.0 / in);
      for (int i = 0; i < in * out; i++) {
        w[at++] = sd * gaussian(rng);
      }
      at += out;
    }
    return w;
  }

  private static double gaussian(SplittableRandom rng) {
    // Box–Muller
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static int countTrue(boolean[] b) {
    int c = 0;
    for (boolean x : b) {
      c += x ? 1 : 0;
    }
    return c;
  }
}
