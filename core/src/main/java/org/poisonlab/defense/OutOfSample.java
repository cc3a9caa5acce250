package org.poisonlab.defense;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.linalg.Matrix;
import org.poisonlab.model.LayeredModel;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Out-of-sample class probabilities by stratified k-fold cross-validation, the input of confident
 * learning (Northcutt et al., JAIR 2021, §3) and of the cross-validated loss: every example is
 * scored by a logistic regression ({@link TrainConfig#defaults}, with the L2 penalty raised to at
 * least {@code 1/n_fit}, scikit-learn's default) trained on the other k − 1 folds.
 *
 * <p>Folds: within each class, the examples are shuffled with the seed and dealt round-robin to the
 * k folds, so each fold holds about 1/k of every class. A few recent results are cached by (dataset
 * content hash, seed, k), so the detectors of one scan share a single cross-validation.
 */
final class OutOfSample {
  static final int FOLDS = 5;
  private static final Memo<String, Probabilities> CACHE = new Memo<>(2);

  private OutOfSample() {}

  /**
   * Out-of-sample probabilities of a dataset.
   *
   * @param labels class index of each example's given label (position in {@code Dataset.labels()})
   * @param proba row-major n × classes; rows sum to 1 (a class absent from a fold's training part
   *     gets probability 0 there)
   */
  record Probabilities(
      int classes, int[] labels, double[] proba, int referenceSize, long referenceErrors) {
    Probabilities(int classes, int[] labels, double[] proba) {
      this(classes, labels, proba, 0, 0);
    }

    int size() {
      return labels.length;
    }

    /** Share of examples whose given label is not the most probable one. */
    double errorRate() {
      int errors = 0;
      for (int i = 0; i < labels.length; i++) {
        errors += predicted(i) != labels[i] ? 1 : 0;
      }
      return labels.length == 0 ? 0 : (double) errors / labels.length;
    }

    /** The most probable class of example i (the first on ties). */
    int predicted(int i) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (p(i, c) > p(i, best)) {
          best = c;
        }
      }
      return best;
    }

    /**
     * The fold models' error rate on the clean reference (each reference example counted once per
     * fold); NaN without a reference.
     */
    double referenceErrorRate() {
      return referenceSize == 0 ? Double.NaN : (double) referenceErrors / referenceSize;
    }

    double p(int i, int c) {
      return proba[i * classes + c];
    }
  }

  /** The cached or freshly computed cross-validated probabilities of {@code train}. */
  static Probabilities of(Dataset train, long seed, Consumer<String> progress) {
    return of(train, seed, null, progress);
  }

  /** Computing {@link #of(Dataset, ScanContext)} as a step detectors share. */
  static Detector.Shared shared(Dataset train, ScanContext context) {
    return new Detector.Shared("cross-validation", () -> of(train, context), null);
  }

  /** The probabilities of a scan's context: its seed, progress and clean reference. */
  static Probabilities of(Dataset train, ScanContext context) {
    return of(train, context.seed(), context.reference(), context.progress());
  }

  /**
   * The cached or freshly computed cross-validated probabilities of {@code train}, with each fold
   * model's errors on {@code reference} (null: none) counted.
   */
  static Probabilities of(Dataset train, long seed, Dataset reference, Consumer<String> progress) {
    String key =
        train.contentHash()
            + "/"
            + seed
            + "/"
            + FOLDS
            + "/"
            + (reference == null ? "-" : reference.contentHash());
    return CACHE.get(key, () -> compute(train, seed, FOLDS, null, reference, progress));
  }

  /** Class index of each example's label. */
  static int[] labelIndices(Dataset train) {
    int[] y = new int[train.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = train.labelIndex(train.get(i).label());
    }
    return y;
  }

  /**
   * The fold of each example: stratified by label, shuffled with {@code seed}.
   *
   * @param labels not modified
   */
  static int[] stratifiedFolds(int[] labels, int classes, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < labels.length; i++) {
      byClass.get(labels[i]).add(i);
    }
    int[] fold = new int[labels.length];
    int next = 0;
    for (List<Integer> members : byClass) {
      int[] m = members.stream().mapToInt(Integer::intValue).toArray();
      org.poisonlab.linalg.Permutations.shuffle(m, rng);
      // continue the deal where the previous class stopped, so small classes do not all start at
      // fold 0
      for (int idx : m) {
        fold[idx] = next;
        next = (next + 1) % k;
      }
    }
    return fold;
  }

  static Probabilities compute(Dataset train, long seed, int k, Consumer<String> progress) {
    return compute(train, seed, k, null, null, progress);
  }

  /**
   * Cross-validated probabilities where the examples marked in {@code exclude} (null: none) are
   * still scored but never used for fitting.
   */
  static Probabilities compute(
      Dataset train, long seed, int k, boolean[] exclude, Consumer<String> progress) {
    return compute(train, seed, k, exclude, null, progress);
  }

  /**
   * As {@link #compute(Dataset, long, int, boolean[], Consumer)}, and each fold model also predicts
   * the examples of {@code reference} (null: none) whose label the training set has; its errors
   * there are counted.
   */
  static Probabilities compute(
      Dataset train,
      long seed,
      int k,
      boolean[] exclude,
      Dataset reference,
      Consumer<String> progress) {
    List<Example> refExamples =
        reference == null
            ? List.of()
            : reference.examples().stream()
                .filter(e -> train.labels().contains(e.label()))
                .toList();
    int n = train.size();
    int classes = train.labels().size();
    int[] y = labelIndices(train);
    SplittableRandom rng = new SplittableRandom(seed);
    int[] fold = stratifiedFolds(y, classes, k, rng.nextLong());
    TrainConfig config = TrainConfig.defaults("logreg", train.kind());
    // featurized once: the folds train and predict on row subsets
    Trainers.Featurized all = Features.of(train, config);
    Matrix refRows = refExamples.isEmpty() ? null : all.featurizer().transform(refExamples);
    double[] proba = new double[n * classes];
    long[] seeds = new long[k];
    for (int f = 0; f < k; f++) {
      seeds[f] = rng.nextLong();
    }
    // the folds write disjoint rows of proba and are independent, so two run side by side (the
    // common pool) and the result is the same in any order
    List<ReferenceErrors> perFold =
        IntStream.range(0, k)
            .parallel()
            .mapToObj(
                f ->
                    fold(
                        train,
                        all,
                        fold,
                        f,
                        k,
                        exclude,
                        config,
                        seeds[f],
                        refRows,
                        refExamples,
                        proba,
                        progress))
            .toList();
    int refScored = 0;
    long refErrors = 0;
    for (ReferenceErrors r : perFold) {
      refScored += r.scored();
      refErrors += r.errors();
    }
    return new Probabilities(classes, y, proba, refScored, refErrors);
  }

  /** A fold model's count of reference examples predicted and of those it got wrong. */
  private record ReferenceErrors(int scored, long errors) {}

  /**
   * Fold {@code f}: a model fitted on the other folds (less the excluded examples) writes the
   * probabilities of fold {@code f}'s rows into {@code proba} (modified there only) and predicts
   * the reference rows.
   */
  private static ReferenceErrors fold(
      Dataset train,
      Trainers.Featurized all,
      int[] fold,
      int f,
      int k,
      boolean[] exclude,
      TrainConfig config,
      long foldSeed,
      Matrix refRows,
      List<Example> refExamples,
      double[] proba,
      Consumer<String> progress) {
    int n = train.size();
    int classes = train.labels().size();
    int inCount = 0;
    int outCount = 0;
    for (int i = 0; i < n; i++) {
      if (fold[i] == f) {
        inCount++;
      } else if (exclude != null && exclude[i]) {
        outCount++;
      }
    }
    if (inCount == 0) {
      return new ReferenceErrors(0, 0);
    }
    int[] fit = new int[n - inCount - outCount];
    int[] held = new int[inCount];
    int a = 0;
    int b = 0;
    for (int i = 0; i < n; i++) {
      if (fold[i] == f) {
        held[b++] = i;
      } else if (exclude == null || !exclude[i]) {
        fit[a++] = i;
      }
    }
    progress.accept(
        String.format("cross-validation fold %d/%d: %d to fit, %d held out", f + 1, k, a, b));
    Dataset part = train.subset(fit);
    int[] map = new int[part.labels().size()];
    for (int c = 0; c < map.length; c++) {
      map[c] = train.labelIndex(part.labels().get(c));
    }
    if (map.length < 2) {
      // a single class cannot be fitted: the held-out examples get that class with certainty
      for (int i : held) {
        proba[i * classes + map[0]] = 1;
      }
      return new ReferenceErrors(0, 0);
    }
    // at least scikit-learn's default penalty (C = 1 is l2 = 1/n in the mean-loss form), as in
    // the reference setup of confident learning: the text default (1e-6), tuned for clean
    // accuracy, lets a fold fit the flipped labels and makes its held-out probabilities
    // overconfident (spamassassin, 20 % flips: precision 0.69 at 1e-6, 0.95 at 1e-4)
    TrainConfig fitConfig = config.withL2(Math.max(config.l2(), 1.0 / part.size()));
    LayeredModel model = Trainers.train(part, all.rows(fit), fitConfig, foldSeed, null);
    double[] p = model.predictProba(all.rows(held).rows());
    int pc = map.length;
    for (int r = 0; r < held.length; r++) {
      for (int c = 0; c < pc; c++) {
        proba[held[r] * classes + map[c]] = p[r * pc + c];
      }
    }
    if (refRows == null) {
      return new ReferenceErrors(0, 0);
    }
    double[] rp = model.predictProba(refRows);
    long errors = 0;
    for (int r = 0; r < refExamples.size(); r++) {
      int best = 0;
      for (int c = 1; c < pc; c++) {
        best = rp[r * pc + c] > rp[r * pc + best] ? c : best;
      }
      errors += !part.labels().get(best).equals(refExamples.get(r).label()) ? 1 : 0;
    }
    return new ReferenceErrors(refExamples.size(), errors);
  }
}
