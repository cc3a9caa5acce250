package org.poisonlab.model;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.linalg.Matrix;

/**
 * Training shortcuts over the registry ({@link Models#trainer}), and the training of the built-in
 * networks: multinomial logistic regression ({@code logreg}) and MLPs ({@code mlp}) with the
 * optimizers of {@link TrainConfig}.
 */
public final class Trainers {
  private Trainers() {}

  /**
   * Trains a model on {@code train}.
   *
   * <p>Without {@code init}, the labels are {@code train.labels()}, the featurizer is chosen from
   * the data ({@link Featurizers#forData}) and the parameters start at zero (logistic regression)
   * or from He initialisation drawn from {@code seed} (MLP). With {@code init}, the model starts
   * from init's parameters and keeps init's featurizer, labels and architecture; its provenance
   * lists init's provenance as its parent. The result depends only on the data, {@code config} and
   * {@code seed}: two runs give bit-identical parameters, whatever the number of threads.
   *
   * @param train not modified
   * @param config hyper-parameters; {@code config.model()} must match init's kind when fine-tuning
   * @param init null, or a model made by this class (or loaded by {@link ModelFiles}) to fine-tune
   * @param progress receives one-line progress messages; may be null
   * @return the trained model, which is a {@link DifferentiableClassifier}
   * @throws BadInputException if the training set is empty, has only one class (without init), has
   *     a label that init does not know, holds examples of the wrong kind or shape, or if {@code
   *     config} is not valid
   */
  public static DifferentiableClassifier train(
      Dataset train, TrainConfig config, long seed, Classifier init, Consumer<String> progress) {
    return Models.trainer(config).train(train, seed, init, progress);
  }

  /** The network family's training, behind {@link NetworkKind}'s trainer. */
  static Network fit(
      Dataset train, TrainConfig config, long seed, Classifier init, Consumer<String> progress) {
    return run(train, null, config, seed, init, DEFAULT_GRADIENT_TOLERANCE, progress, null);
  }

  /** The largest gradient entry at which full-batch L-BFGS stops by default. */
  public static final double DEFAULT_GRADIENT_TOLERANCE = 1e-5;

  /**
   * As {@link #train(Dataset, TrainConfig, long, Classifier, Consumer)}, with full-batch L-BFGS
   * stopping once the largest entry of the objective's gradient is at most {@code
   * gradientTolerance} (or at {@code config.maxIterations()}, or when the objective stops changing
   * in its twelfth digit): leave-one-out retraining needs a far tighter optimum than the default.
   * Mini-batch optimizers ignore the tolerance.
   *
   * @throws BadInputException as the other method does, or if the tolerance is not positive
   */
  public static DifferentiableClassifier train(
      Dataset train,
      TrainConfig config,
      long seed,
      Classifier init,
      double gradientTolerance,
      Consumer<String> progress) {
    if (!(gradientTolerance > 0)) {
      throw new BadInputException("gradient tolerance must be positive, not " + gradientTolerance);
    }
    return run(train, null, config, seed, init, gradientTolerance, progress, null);
  }

  /**
   * Trains exactly as {@link #train} does (bit-identical final parameters) and also keeps the model
   * at checkpoints along the way: after every epoch for mini-batch optimizers ({@code adam}, {@code
   * sgd}), and after L-BFGS iterations 1, 2, 4, 8, … and the last one for {@code lbfgs}. Each
   * checkpoint holds a copy of the parameters, so memory grows with (checkpoints × parameters).
   *
   * @param train not modified
   * @return the checkpoints in training order; the last one holds the final model, equal to what
   *     {@link #train} returns for the same arguments
   * @throws BadInputException as {@link #train}
   */
  public static List<Checkpoint> trainWithCheckpoints(
      Dataset train, TrainConfig config, long seed, Classifier init, Consumer<String> progress) {
    return Models.trainer(config).trainWithCheckpoints(train, seed, init, progress);
  }

  /** The network family's training with checkpoints, behind {@link NetworkKind}'s trainer. */
  static List<Checkpoint> fitWithCheckpoints(
      Dataset train, TrainConfig config, long seed, Classifier init, Consumer<String> progress) {
    List<double[]> params = new java.util.ArrayList<>();
    List<int[]> steps = new java.util.ArrayList<>();
    List<Double> rates = new java.util.ArrayList<>();
    CheckpointSink sink =
        (step, w, rate) -> {
          params.add(w.clone());
          steps.add(new int[] {step});
          rates.add(rate);
        };
    Network last = run(train, null, config, seed, init, DEFAULT_GRADIENT_TOLERANCE, progress, sink);
    double[] fin = last.parametersView();
    if (params.isEmpty() || !java.util.Arrays.equals(params.get(params.size() - 1), fin)) {
      int lastStep = steps.isEmpty() ? 0 : steps.get(steps.size() - 1)[0];
      params.add(fin.clone());
      steps.add(new int[] {lastStep + 1});
      rates.add(1.0);
    }
    List<Checkpoint> out = new java.util.ArrayList<>(params.size());
    for (int c = 0; c < params.size(); c++) {
      DifferentiableClassifier m =
          c == params.size() - 1 ? last : last.withParameters(params.get(c));
      out.add(new Checkpoint(steps.get(c)[0], rates.get(c), m));
    }
    return List.copyOf(out);
  }

  private interface CheckpointSink {
    void accept(int step, double[] w, double rate);
  }

  /**
   * The rows of {@code data} under the featurizer a fresh built-in network would choose for it with
   * {@code config}: made once, they train models on row subsets ({@link #train(Dataset, Featurized,
   * TrainConfig, long, Consumer)}) and are scored by {@link LayeredModel#predictProba(Matrix)}
   * without featurizing the same examples again (cross-validation folds).
   *
   * @throws BadInputException if the examples cannot be featurized (mixed kinds or shapes)
   */
  public static Featurized featurize(Dataset data, TrainConfig config) {
    Featurizer f;
    try {
      f = Featurizers.forData(data, config.textBuckets());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(data.name() + ": " + e.getMessage());
    }
    return rowsOf(data, f);
  }

  /** {@code f}'s rows of {@code data}; a featurizer's refusal becomes one line naming the data. */
  private static Featurized rowsOf(Dataset data, Featurizer f) {
    try {
      return new Featurized(f, f.transform(data.examples()));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(data.name() + ": " + e.getMessage());
    }
  }

  /**
   * Examples already featurized.
   *
   * @param featurizer what made the rows
   * @param rows one row per example, in data order
   */
  public record Featurized(Featurizer featurizer, Matrix rows) {
    /** The rows at {@code index} (in that order), with the same featurizer. */
    public Featurized rows(int[] index) {
      return new Featurized(featurizer, rows.gather(index, 0, index.length));
    }
  }

  /**
   * Trains a fresh built-in network ({@code logreg} or {@code mlp}) exactly as {@link
   * #train(Dataset, TrainConfig, long, Classifier, Consumer)} would, from rows already featurized.
   *
   * @param features the rows of {@code train} in its order, as {@link #featurize} makes them
   * @throws BadInputException as the other method does, or if the row count differs from the number
   *     of examples
   */
  public static LayeredModel train(
      Dataset train,
      Featurized features,
      TrainConfig config,
      long seed,
      Consumer<String> progress) {
    Objects.requireNonNull(features, "features");
    if (features.rows().rows() != train.size()) {
      throw new BadInputException(
          train.name()
              + ": "
              + features.rows().rows()
              + " feature rows for "
              + train.size()
              + " examples");
    }
    if (!(config.model().equals("logreg") || config.model().equals("mlp"))) {
      throw new BadInputException(
          "featurized training is for logreg and mlp, not " + config.model());
    }
    return run(train, features, config, seed, null, DEFAULT_GRADIENT_TOLERANCE, progress, null);
  }

  private static Network run(
      Dataset train,
      Featurized given,
      TrainConfig config,
      long seed,
      Classifier init,
      double gradientTolerance,
      Consumer<String> progress,
      CheckpointSink sink) {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(config, "config");
    validate(config);
    if (train.isEmpty()) {
      throw new BadInputException(train.name() + ": the training set is empty");
    }
    Network base = null;
    if (init != null) {
      if (!(init instanceof Network n)) {
        throw new BadInputException(
            "cannot fine-tune a " + init.kind() + " model that PoisonLab did not train");
      }
      base = n;
      if (!base.kind().equals(config.model())) {
        throw new BadInputException(
            "cannot fine-tune a "
                + base.kind()
                + " model with the "
                + config.model()
                + " configuration");
      }
      boolean imageModel = base.featurizer().kind() instanceof FeatureKind.Pixels;
      if (imageModel != (train.kind() == Dataset.Kind.IMAGE)) {
        throw new BadInputException(
            train.name()
                + ": "
                + train.kind().name().toLowerCase()
                + " examples cannot fine-tune a model of "
                + (imageModel ? "images" : "text"));
      }
      for (String label : train.labels()) {
        if (!base.labels().contains(label)) {
          throw new BadInputException(
              train.name()
                  + ": label '"
                  + label
                  + "' is not one of the labels of the model fine-tuned from "
                  + base.labels());
        }
      }
    } else if (train.labels().size() < 2) {
      throw new BadInputException(
          train.name()
              + ": only one class ('"
              + train.labels().get(0)
              + "'); training needs at least two");
    }
    if (config.model().equals("logreg") && config.hidden().length > 0) {
      throw new BadInputException(
          "logreg has no hidden layers; got hidden widths "
              + java.util.Arrays.toString(config.hidden()));
    }

    long start = System.nanoTime();
    org.poisonlab.linalg.Matrices.warmUp();
    List<String> labels = base != null ? base.labels() : train.labels();
    Featurized rows =
        given != null
            ? given
            : base != null ? rowsOf(train, base.featurizer()) : featurize(train, config);
    Featurizer featurizer = rows.featurizer();
    Matrix x = rows.rows();
    int[] y = new int[train.size()];
    for (int i = 0; i < y.length; i++) {
      Example e = train.get(i);
      y[i] = labels.indexOf(e.label());
    }
    int[] sizes =
        base != null
            ? base.layerSizes()
            : sizes(featurizer.dimension(), config.hidden(), labels.size());
    Layers layers = new Layers(sizes, config.threads());
    SplittableRandom rng = new SplittableRandom(seed);
    SplittableRandom initRng = rng.split();
    SplittableRandom orderRng = rng.split();
    double[] w;
    if (base != null) {
      w = base.parameters();
    } else {
      w = new double[layers.parameterCount];
      if (config.model().equals("mlp")) {
        layers.initialize(w, initRng);
      }
    }
    say(
        progress,
        String.format(
            "%s %s on %d examples, %d features, %d classes, %d parameters (features %.2f s)",
            config.model(),
            config.optimizer(),
            train.size(),
            featurizer.dimension(),
            labels.size(),
            layers.parameterCount,
            (System.nanoTime() - start) / 1e9));

    switch (config.optimizer()) {
      case "lbfgs" -> {
        // two classes from zero: the fit stays antisymmetric, so half the parameters do; its
        // gradient is twice the softmax one's, hence twice the tolerance for the same stopping
        // point
        boolean half = sizes.length == 2 && sizes[1] == 2 && base == null;
        BinaryLogistic binary =
            half ? new BinaryLogistic(x, y, config.l2(), config.threads()) : null;
        Lbfgs.Objective objective =
            half ? binary::evaluate : new FullBatch(layers, x, y, config.l2())::evaluate;
        double[] fitted = half ? new double[binary.parameterCount()] : w;
        java.util.function.ObjIntConsumer<double[]> hook =
            sink == null
                ? null
                : (xs, iter) -> {
                  if (Integer.bitCount(iter) == 1) {
                    sink.accept(
                        iter, half ? BinaryLogistic.expand(xs, new double[w.length]) : xs, 1.0);
                  }
                };
        new Lbfgs(
                config.maxIterations(),
                half ? 2 * gradientTolerance : gradientTolerance,
                progress,
                hook)
            .minimize(objective, fitted);
        if (half) {
          BinaryLogistic.expand(fitted, w);
        }
      }
      case "adam" ->
          MiniBatch.train(
              layers, x, y, w, config, new Adam(w.length), orderRng, progress, epochHook(sink));
      default ->
          MiniBatch.train(
              layers, x, y, w, config, new Momentum(w.length), orderRng, progress, epochHook(sink));
    }
    for (double v : w) {
      if (!Double.isFinite(v)) {
        say(
            progress,
            "warning: training diverged (non-finite parameters); lower the learning rate");
        break;
      }
    }
    ModelProvenance provenance =
        ModelProvenance.of(train, seed, config, base == null ? null : base.provenance());
    say(progress, String.format("trained in %.2f s", (System.nanoTime() - start) / 1e9));
    return new Network(config.model(), labels, featurizer, sizes, w, config.l2(), provenance);
  }

  private static MiniBatch.EpochHook epochHook(CheckpointSink sink) {
    return sink == null ? null : sink::accept;
  }

  /**
   * Fits a softmax layer (multinomial logistic regression) on fixed dense features by L-BFGS, as
   * {@link #train} fits {@code logreg}: minimises {@code (1/n) Σ −log softmax(W f_i + b)_{y_i} +
   * l2/2 ||W||²}. Used to refit a network's last layer on its penultimate features (representer
   * points).
   *
   * @param features not modified; row-major {@code rows × cols}
   * @param labels not modified; class indices in {@code [0, classes)}
   * @param init not modified; starting parameters ({@code W} row-major {@code classes × cols}, then
   *     {@code b}), or null for zeros
   * @return the fitted parameters, laid out as {@code init}
   * @throws IllegalArgumentException on a size mismatch or a class index out of range
   */
  public static double[] fitSoftmax(
      double[] features,
      int rows,
      int cols,
      int[] labels,
      int classes,
      double l2,
      double[] init,
      int maxIterations) {
    if (features.length != (long) rows * cols || labels.length != rows || rows == 0) {
      throw new IllegalArgumentException(
          "features of length "
              + features.length
              + " and "
              + labels.length
              + " labels do not make "
              + rows
              + " rows of "
              + cols);
    }
    for (int c : labels) {
      if (c < 0 || c >= classes) {
        throw new IllegalArgumentException("class index " + c + " is not in [0, " + classes + ")");
      }
    }
    Layers layers = new Layers(new int[] {cols, classes}, 0);
    double[] w = init == null ? new double[layers.parameterCount] : init.clone();
    if (w.length != layers.parameterCount) {
      throw new IllegalArgumentException(
          "initial parameters of length " + w.length + ", expected " + layers.parameterCount);
    }
    FullBatch objective =
        new FullBatch(
            layers, new org.poisonlab.linalg.DenseMatrix(rows, cols, features), labels, l2);
    new Lbfgs(maxIterations, 1e-6, null).minimize(objective::evaluate, w);
    return w;
  }

  static int[] sizes(int inputs, int[] hidden, int classes) {
    int[] s = new int[hidden.length + 2];
    s[0] = inputs;
    System.arraycopy(hidden, 0, s, 1, hidden.length);
    s[s.length - 1] = classes;
    return s;
  }

  /** Checks a configuration as user input. */
  static void validate(TrainConfig c) {
    if (!c.model().equals("logreg") && !c.model().equals("mlp")) {
      throw new BadInputException("unknown model '" + c.model() + "'; expected logreg or mlp");
    }
    switch (c.optimizer()) {
      case "lbfgs", "adam", "sgd" -> {}
      default ->
          throw new BadInputException(
              "unknown optimizer '" + c.optimizer() + "'; expected lbfgs, adam or sgd");
    }
    if (c.optimizer().equals("lbfgs") && c.model().equals("mlp")) {
      throw new BadInputException("lbfgs is for logreg; train an mlp with adam or sgd");
    }
    int[] hidden = c.hidden();
    if (c.model().equals("mlp") && (hidden.length < 1 || hidden.length > 2)) {
      throw new BadInputException("an mlp has one or two hidden layers, not " + hidden.length);
    }
    for (int h : hidden) {
      if (h < 1) {
        throw new BadInputException("hidden width " + h + " must be at least 1");
      }
    }
    if (!c.optimizer().equals("lbfgs")) {
      if (c.epochs() < 1) {
        throw new BadInputException("epochs must be at least 1, not " + c.epochs());
      }
      if (c.batchSize() < 1) {
        throw new BadInputException("batch size must be at least 1, not " + c.batchSize());
      }
      if (!(c.learningRate() > 0) || !Double.isFinite(c.learningRate())) {
        throw new BadInputException(
            "learning rate must be positive and finite, not " + c.learningRate());
      }
    } else if (c.maxIterations() < 1) {
      throw new BadInputException("max iterations must be at least 1, not " + c.maxIterations());
    }
    if (!(c.l2() >= 0) || !Double.isFinite(c.l2())) {
      throw new BadInputException("l2 must be non-negative and finite, not " + c.l2());
    }
    int b = c.textBuckets();
    if (b < 2 || b > (1 << 30) || Integer.bitCount(b) != 1) {
      throw new BadInputException("text buckets must be a power of two in [2, 2^30], not " + b);
    }
    if (c.threads() < 0) {
      throw new BadInputException("threads must be 0 (all cores) or more, not " + c.threads());
    }
  }

  private static void say(Consumer<String> progress, String message) {
    if (progress != null) {
      progress.accept(message);
    }
  }
}
