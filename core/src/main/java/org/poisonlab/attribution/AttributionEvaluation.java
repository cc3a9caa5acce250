package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.poisonlab.data.Example;
import org.poisonlab.eval.Rankings;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.DifferentiableClassifier;

/**
 * How well an {@link Attributor}'s scores match what retraining shows, by the measures the field
 * uses. Every method works for any attributor; those that retrain use {@link EvaluationSetup}'s
 * configuration (full-batch L-BFGS restarts from the trained parameters, and for leave-one-out and
 * brittleness runs to a gradient tolerance of 1e-9, so that the effect of one example is
 * measurable; datamodeling subsets start afresh unless the optimizer is L-BFGS).
 *
 * <ul>
 *   <li>{@link #leaveOneOut}: Koh and Liang, "Understanding black-box predictions via influence
 *       functions", ICML 2017, Fig. 2. For a test point z, the top-K training points by |score| are
 *       each removed and the model retrained; removing z_i changes the test loss by about {@code
 *       −(1/n) I_up,loss(z_i, z) = score / n}, which is compared with the measured change.
 *   <li>{@link #linearDatamodeling}: Park et al., "TRAK: attributing model behavior at scale", ICML
 *       2023, §2 (the dattri benchmark's LDS): for random subsets S_1..S_M of a fixed share of the
 *       training set, the Spearman correlation over j of {@code Σ_{i∈S_j} score(i, z)} and the
 *       output on z of the model trained on S_j, averaged over test points z.
 *   <li>{@link #mislabelCurve}: Koh and Liang 2017, §5.4: training points inspected by decreasing
 *       self-influence, and the share of flipped labels found.
 *   <li>{@link #poisonRecall}: recall and precision of the top-k training points by aggregated
 *       score, k the number of poisons.
 *   <li>{@link #brittleness}: Ilyas et al., "Datamodels: predicting predictions from training
 *       data", ICML 2022, §4: the smallest number of top-scored training points whose removal
 *       changes a test point's prediction.
 * </ul>
 */
public final class AttributionEvaluation {
  private AttributionEvaluation() {}

  /** The model outputs the datamodeling score can correlate with. */
  public static final List<String> OUTPUTS = List.of("loss", "margin");

  /**
   * Leave-one-out correlation between predicted ({@code score / n}) and measured change of the test
   * loss, over the top-{@code topK} training points by |score| of each test point. With full-batch
   * L-BFGS the attributor explains the model refitted to a gradient tolerance of 1e-9 (the same
   * optimum, reached more tightly), where every removal also restarts from.
   *
   * @param testPoints how many test points to use, drawn from {@code setup.test()} with the seed
   *     (all of them when there are fewer)
   * @throws BadInputException if the test list is empty, a test label is unknown to the model, or
   *     {@code topK} is not in [2, n]
   */
  public static EvaluationResult.LeaveOneOut leaveOneOut(
      Attributor attributor, EvaluationSetup setup, int testPoints, int topK) {
    int n = setup.train().size();
    if (topK < 2 || topK > n) {
      throw new BadInputException("top K must be in [2, " + n + "], not " + topK);
    }
    int[] chosen = chooseTests(setup, testPoints);
    List<Example> tests = pick(setup.test(), chosen);
    int[] labels = setup.model().labelIndices(tests);
    Retrainer retrainer = retrainer(setup);
    // with L-BFGS the scores are taken at the tightly refitted optimum the removals start from
    DifferentiableClassifier explained = retrainer.convex() ? retrainer.reference() : setup.model();
    Attribution a = attribute(attributor, setup, explained, tests);
    int[][] top = new int[tests.size()][];
    TreeSet<Integer> union = new TreeSet<>();
    for (int t = 0; t < tests.size(); t++) {
      double[] col = a.column(t);
      double[] abs = new double[n];
      for (int i = 0; i < n; i++) {
        abs[i] = Math.abs(col[i]);
      }
      top[t] = Arrays.copyOf(Rankings.descending(abs), topK);
      for (int i : top[t]) {
        union.add(i);
      }
    }
    int[] removals = union.stream().mapToInt(Integer::intValue).toArray();
    long start = System.nanoTime();
    double[] base = retrainer.reference().losses(tests, labels);
    AtomicInteger done = new AtomicInteger();
    List<double[]> losses =
        retrainer.map(
            removals.length,
            j -> {
              double[] l = retrainer.without(new int[] {removals[j]}).losses(tests, labels);
              tick(setup, "leave-one-out", done.incrementAndGet(), removals.length);
              return l;
            });
    double seconds =
        Elapsed.tell(setup.progress(), "leave-one-out: " + removals.length + " retrains", start);
    Map<Integer, double[]> byIndex = new HashMap<>();
    for (int j = 0; j < removals.length; j++) {
      byIndex.put(removals[j], losses.get(j));
    }
    List<EvaluationResult.LooPoint> points = new ArrayList<>();
    double sp = 0;
    double ss = 0;
    double sl = 0;
    for (int t = 0; t < tests.size(); t++) {
      double[] predicted = new double[topK];
      double[] actual = new double[topK];
      for (int r = 0; r < topK; r++) {
        int i = top[t][r];
        predicted[r] = a.score(i, t) / n;
        actual[r] = byIndex.get(i)[t] - base[t];
      }
      double p = Correlations.pearson(predicted, actual);
      double s = Correlations.spearman(predicted, actual);
      double k = Correlations.slope(predicted, actual);
      points.add(
          new EvaluationResult.LooPoint(
              chosen[t], tests.get(t).id(), top[t], predicted, actual, p, s, k));
      sp += p;
      ss += s;
      sl += k;
    }
    int m = tests.size();
    return new EvaluationResult.LeaveOneOut(
        attributor.name(), topK, points, sp / m, ss / m, sl / m, removals.length + 1, seconds);
  }

  /**
   * The linear datamodeling score over {@code subsets} random subsets, each {@code fraction} of the
   * training set (drawn from the seed), retrained ({@link EvaluationSetup#parallel()} at once).
   *
   * @param output {@code loss}: the scores' sums are correlated with the negated test loss (the
   *     scores predict a decrease); {@code margin}: with {@code log p_y − log(1 − p_y)}, TRAK's
   *     output
   * @throws BadInputException if the test list is empty, a test label is unknown, {@code subsets}
   *     is below 2, {@code fraction} is not in (0, 1), or the output is unknown
   */
  public static EvaluationResult.Datamodeling linearDatamodeling(
      Attributor attributor, EvaluationSetup setup, int subsets, double fraction, String output) {
    if (subsets < 2) {
      throw new BadInputException(
          "the datamodeling score needs at least 2 subsets, not " + subsets);
    }
    if (!(fraction > 0 && fraction < 1)) {
      throw new BadInputException("subset fraction must be in (0, 1), not " + fraction);
    }
    if (!OUTPUTS.contains(output)) {
      throw new BadInputException("unknown model output '" + output + "'; expected " + OUTPUTS);
    }
    List<Example> tests = setup.test();
    if (tests.isEmpty()) {
      throw new BadInputException("the datamodeling score needs test points");
    }
    DifferentiableClassifier model = setup.model();
    int[] labels = model.labelIndices(tests);
    int n = setup.train().size();
    int size = (int) Math.round(fraction * n);
    if (size < 1 || size >= n) {
      throw new BadInputException(
          "a subset of " + fraction + " of " + n + " examples is empty or everything");
    }
    Attribution a = attribute(attributor, setup, setup.model(), tests);
    SplittableRandom rng = new SplittableRandom(setup.seed());
    int[][] members = new int[subsets][];
    long[] seeds = new long[subsets];
    for (int j = 0; j < subsets; j++) {
      SplittableRandom r = rng.split();
      members[j] = sample(n, size, r);
      seeds[j] = r.nextLong();
    }
    Retrainer retrainer = retrainer(setup);
    long start = System.nanoTime();
    AtomicInteger done = new AtomicInteger();
    List<double[]> outputs =
        retrainer.map(
            subsets,
            j -> {
              double[] loss = retrainer.fresh(members[j], seeds[j]).losses(tests, labels);
              tick(setup, "datamodeling", done.incrementAndGet(), subsets);
              return loss;
            });
    double seconds =
        Elapsed.tell(setup.progress(), "datamodeling: " + subsets + " retrains", start);
    int m = tests.size();
    double[] perTest = new double[m];
    double sum = 0;
    int counted = 0;
    for (int t = 0; t < m; t++) {
      double[] predicted = new double[subsets];
      double[] measured = new double[subsets];
      for (int j = 0; j < subsets; j++) {
        double s = 0;
        for (int i : members[j]) {
          s += a.score(i, t);
        }
        predicted[j] = s;
        double loss = outputs.get(j)[t];
        measured[j] = output.equals("loss") ? -loss : margin(loss);
      }
      perTest[t] = Correlations.spearman(predicted, measured);
      if (!Double.isNaN(perTest[t])) {
        sum += perTest[t];
        counted++;
      }
    }
    return new EvaluationResult.Datamodeling(
        attributor.name(),
        subsets,
        fraction,
        output,
        counted == 0 ? Double.NaN : sum / counted,
        perTest,
        retrainer.parallel(),
        seconds);
  }

  /**
   * The mislabel-detection curve from the attributor's self-influence ({@code setup.test()} is not
   * used).
   *
   * @param flippedIds ids of the training examples whose labels were flipped
   * @throws BadInputException if none of them is in the training set, or the attributor has no
   *     self-influence
   */
  public static EvaluationResult.Mislabel mislabelCurve(
      Attributor attributor, EvaluationSetup setup, Set<String> flippedIds) {
    Attribution a = attribute(attributor, setup, setup.model(), List.of());
    return mislabelCurve(attributor.name(), a.column(0), marks(setup, flippedIds, "flipped"));
  }

  static EvaluationResult.Mislabel mislabelCurve(
      String method, double[] scores, boolean[] flipped) {
    int n = scores.length;
    int flips = 0;
    for (boolean f : flipped) {
      flips += f ? 1 : 0;
    }
    int[] order = Rankings.descending(scores);
    int[] foundBy = new int[n + 1];
    double area = 0;
    for (int j = 1; j <= n; j++) {
      foundBy[j] = foundBy[j - 1] + (flipped[order[j - 1]] ? 1 : 0);
      area += (double) foundBy[j] / flips;
    }
    double[] inspected = new double[100];
    double[] found = new double[100];
    for (int q = 1; q <= 100; q++) {
      inspected[q - 1] = q / 100.0;
      found[q - 1] = (double) foundBy[atLeast(q / 100.0, n)] / flips;
    }
    return new EvaluationResult.Mislabel(
        method, flips, n, (double) foundBy[atLeast(0.1, n)] / flips, area / n, inspected, found);
  }

  /**
   * Poison recall and precision at k (k the number of poisons in the training set), ranking the
   * training set by its score aggregated over the behaviour examples in {@code setup.test()}.
   *
   * @throws BadInputException if the behaviour list is empty or no poison id is in the training set
   */
  public static EvaluationResult.PoisonRecall poisonRecall(
      Attributor attributor, EvaluationSetup setup, Set<String> poisonIds) {
    if (setup.test().isEmpty()) {
      throw new BadInputException("poison recall needs behaviour examples to explain");
    }
    Attribution a = attribute(attributor, setup, setup.model(), setup.test());
    return poisonRecall(attributor.name(), a.aggregate(), marks(setup, poisonIds, "poison"));
  }

  static EvaluationResult.PoisonRecall poisonRecall(
      String method, double[] scores, boolean[] poison) {
    int k = 0;
    for (boolean p : poison) {
      k += p ? 1 : 0;
    }
    int[] order = Rankings.descending(scores);
    int wide = Math.min(scores.length, (int) Math.ceil(1.5 * k));
    int hits = 0;
    int wideHits = 0;
    for (int r = 0; r < wide; r++) {
      if (poison[order[r]]) {
        wideHits++;
        if (r < k) {
          hits++;
        }
      }
    }
    return new EvaluationResult.PoisonRecall(
        method, k, k, (double) hits / k, (double) hits / k, (double) wideHits / k);
  }

  /**
   * Brittleness: for each chosen test point, the attributor explains the model's own prediction;
   * the top-k training points by score are removed for each k of {@code grid} (ascending), the
   * model is retrained, and the smallest k that changes the prediction is reported.
   *
   * @param testPoints how many test points, drawn from {@code setup.test()} with the seed
   * @param grid removal sizes; sorted, and those above the training set size dropped
   * @throws BadInputException if the test list or the grid is empty
   */
  public static EvaluationResult.Brittleness brittleness(
      Attributor attributor, EvaluationSetup setup, int testPoints, int[] grid) {
    int n = setup.train().size();
    int[] ks = Arrays.stream(grid).filter(k -> k >= 1 && k < n).sorted().distinct().toArray();
    if (ks.length == 0) {
      throw new BadInputException(
          "no removal size of " + Arrays.toString(grid) + " is in [1, " + n + ")");
    }
    int[] chosen = chooseTests(setup, testPoints);
    DifferentiableClassifier model = setup.model();
    List<Example> tests = pick(setup.test(), chosen);
    int[] predicted = model.predict(tests);
    List<Example> behavior = new ArrayList<>();
    for (int t = 0; t < tests.size(); t++) {
      behavior.add(tests.get(t).withLabel(model.labels().get(predicted[t])));
    }
    Attribution a = attribute(attributor, setup, setup.model(), behavior);
    Retrainer retrainer = retrainer(setup);
    AtomicInteger retrains = new AtomicInteger();
    long start = System.nanoTime();
    List<Integer> flips =
        retrainer.map(
            tests.size(),
            t -> {
              int[] order = Rankings.descending(a.column(t));
              List<Example> one = List.of(tests.get(t));
              for (int k : ks) {
                retrains.incrementAndGet();
                int[] label = retrainer.without(Arrays.copyOf(order, k)).predict(one);
                if (label[0] != predicted[t]) {
                  return k;
                }
              }
              return -1;
            });
    double seconds =
        Elapsed.tell(setup.progress(), "brittleness: " + retrains.get() + " retrains", start);
    List<EvaluationResult.BrittlePoint> points = new ArrayList<>();
    List<Integer> flipped = new ArrayList<>();
    for (int t = 0; t < tests.size(); t++) {
      int k = flips.get(t);
      points.add(
          new EvaluationResult.BrittlePoint(
              chosen[t], tests.get(t).id(), model.labels().get(predicted[t]), k));
      if (k >= 0) {
        flipped.add(k);
      }
    }
    flipped.sort(null);
    int median = flipped.isEmpty() ? -1 : flipped.get((flipped.size() - 1) / 2);
    return new EvaluationResult.Brittleness(
        attributor.name(),
        ks,
        points,
        (double) flipped.size() / tests.size(),
        median,
        retrains.get(),
        seconds);
  }

  /**
   * TRAK's margin {@code log p − log(1 − p)} from the loss {@code −log p}, without cancellation.
   */
  static double margin(double loss) {
    return -loss - Math.log(-Math.expm1(-loss));
  }

  private static Attribution attribute(
      Attributor attributor,
      EvaluationSetup setup,
      DifferentiableClassifier model,
      List<Example> behavior) {
    setup.progress().accept("attributing with " + attributor.name());
    return attributor.attribute(
        new AttributionRequest(
            model,
            setup.train(),
            behavior,
            setup.config(),
            setup.seed(),
            setup.options(),
            setup.progress()));
  }

  private static Retrainer retrainer(EvaluationSetup setup) {
    return new Retrainer(
        setup.model(),
        setup.train(),
        setup.config(),
        setup.model().provenance().seed(),
        setup.parallel(),
        setup.progress());
  }

  private static int[] chooseTests(EvaluationSetup setup, int count) {
    int size = setup.test().size();
    if (size == 0) {
      throw new BadInputException("no test points to evaluate on");
    }
    if (count < 1) {
      throw new BadInputException("the number of test points must be at least 1, not " + count);
    }
    if (count >= size) {
      return java.util.stream.IntStream.range(0, size).toArray();
    }
    int[] s = sample(size, count, new SplittableRandom(setup.seed()).split());
    Arrays.sort(s);
    return s;
  }

  /** {@code k} distinct positions of {@code [0, n)} drawn uniformly (a partial Fisher–Yates). */
  static int[] sample(int n, int k, SplittableRandom rng) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int x = all[i];
      all[i] = all[j];
      all[j] = x;
    }
    int[] out = Arrays.copyOf(all, k);
    Arrays.sort(out);
    return out;
  }

  private static List<Example> pick(List<Example> from, int[] positions) {
    List<Example> out = new ArrayList<>(positions.length);
    for (int p : positions) {
      out.add(from.get(p));
    }
    return out;
  }

  private static boolean[] marks(EvaluationSetup setup, Set<String> ids, String what) {
    List<Example> train = setup.train().examples();
    boolean[] out = new boolean[train.size()];
    int count = 0;
    for (int i = 0; i < out.length; i++) {
      if (ids.contains(train.get(i).id())) {
        out[i] = true;
        count++;
      }
    }
    if (count == 0) {
      throw new BadInputException(
          "none of the " + ids.size() + " " + what + " ids is in " + setup.train().name());
    }
    return out;
  }

  private static int atLeast(double share, int n) {
    return Math.min(n, (int) Math.ceil(share * n - 1e-9));
  }

  private static void tick(EvaluationSetup setup, String what, int done, int total) {
    if (done == total || done % Math.max(1, total / 10) == 0) {
      setup.progress().accept(what + ": " + done + " of " + total + " retrained");
    }
  }
}
