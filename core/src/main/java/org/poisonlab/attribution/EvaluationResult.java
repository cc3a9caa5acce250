package org.poisonlab.attribution;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * What one evaluation metric of {@link AttributionEvaluation} measured. Each kind gives a
 * JSON-friendly {@link #summary()}; NaN figures (a constant side of a correlation) appear there as
 * null. The wall time of a metric that retrains is kept here for text, never in its summary: the
 * same inputs and seed give the same summary bytes.
 */
public sealed interface EvaluationResult {
  /** The metric's command-line name: {@code loo}, {@code lds}, {@code mislabel}, ... */
  String metric();

  /** The attributor's name. */
  String method();

  /** The figures for a report or {@code --json}, written by Jackson in component order. */
  Summary summary();

  /**
   * The JSON form of a result, one record per kind; every one starts with {@code metric} and {@code
   * method}, and holds NaN figures as null.
   */
  sealed interface Summary
      permits LooSummary, LdsSummary, MislabelSummary, RecallSummary, BrittlenessSummary {
    /** The metric's command-line name. */
    String metric();

    /** The attributor's name. */
    String method();
  }

  /** {@link LeaveOneOut} as JSON. */
  @JsonPropertyOrder({
    "metric",
    "method",
    "top_k",
    "pearson",
    "spearman",
    "slope",
    "tests",
    "retrains"
  })
  record LooSummary(
      String metric,
      String method,
      @JsonProperty("top_k") int topK,
      Double pearson,
      Double spearman,
      Double slope,
      List<LooTest> tests,
      int retrains)
      implements Summary {}

  /** One {@link LooPoint} as JSON. */
  @JsonPropertyOrder({
    "test_index",
    "test_id",
    "pearson",
    "spearman",
    "slope",
    "predicted",
    "actual"
  })
  record LooTest(
      @JsonProperty("test_index") int testIndex,
      @JsonProperty("test_id") String testId,
      Double pearson,
      Double spearman,
      Double slope,
      List<Double> predicted,
      List<Double> actual) {}

  /** {@link Datamodeling} as JSON. */
  @JsonPropertyOrder({
    "metric",
    "method",
    "lds",
    "subsets",
    "fraction",
    "output",
    "tests",
    "per_test",
    "parallel"
  })
  record LdsSummary(
      String metric,
      String method,
      Double lds,
      int subsets,
      double fraction,
      String output,
      int tests,
      @JsonProperty("per_test") List<Double> perTest,
      int parallel)
      implements Summary {}

  /** {@link Mislabel} as JSON. */
  @JsonPropertyOrder({
    "metric",
    "method",
    "flips",
    "n",
    "found_at_10_percent",
    "area",
    "inspected",
    "found"
  })
  record MislabelSummary(
      String metric,
      String method,
      int flips,
      int n,
      @JsonProperty("found_at_10_percent") double foundAtTenPercent,
      double area,
      List<Double> inspected,
      List<Double> found)
      implements Summary {}

  /** {@link PoisonRecall} as JSON. */
  @JsonPropertyOrder({
    "metric",
    "method",
    "poisons",
    "k",
    "recall_at_k",
    "precision_at_k",
    "recall_at_1_5k"
  })
  record RecallSummary(
      String metric,
      String method,
      int poisons,
      int k,
      @JsonProperty("recall_at_k") double recallAtK,
      @JsonProperty("precision_at_k") double precisionAtK,
      @JsonProperty("recall_at_1_5k") double recallAtOneAndHalfK)
      implements Summary {}

  /** {@link Brittleness} as JSON; {@code median_flip_k} and {@code flipped_at} null for none. */
  @JsonPropertyOrder({
    "metric",
    "method",
    "grid",
    "flipped_share",
    "median_flip_k",
    "tests",
    "retrains"
  })
  record BrittlenessSummary(
      String metric,
      String method,
      List<Integer> grid,
      @JsonProperty("flipped_share") double flippedShare,
      @JsonProperty("median_flip_k") Integer medianFlipK,
      List<BrittleTest> tests,
      int retrains)
      implements Summary {}

  /** One {@link BrittlePoint} as JSON. */
  @JsonPropertyOrder({"test_index", "test_id", "predicted", "flipped_at"})
  record BrittleTest(
      @JsonProperty("test_index") int testIndex,
      @JsonProperty("test_id") String testId,
      String predicted,
      @JsonProperty("flipped_at") Integer flippedAt) {}

  /**
   * One test point of the leave-one-out experiment.
   *
   * @param testIndex position in the test list
   * @param testId the test example's id
   * @param trainIndices the top-K training positions by |score|, in that order
   * @param predicted predicted change of the test loss on removal, {@code score / n}
   * @param actual measured change: loss after retraining without the example minus loss after
   *     retraining on everything by the same procedure
   */
  record LooPoint(
      int testIndex,
      String testId,
      int[] trainIndices,
      double[] predicted,
      double[] actual,
      double pearson,
      double spearman,
      double slope) {
    public LooPoint {
      trainIndices = trainIndices.clone();
      predicted = predicted.clone();
      actual = actual.clone();
    }

    @Override
    public int[] trainIndices() {
      return trainIndices.clone();
    }

    @Override
    public double[] predicted() {
      return predicted.clone();
    }

    @Override
    public double[] actual() {
      return actual.clone();
    }
  }

  /**
   * Leave-one-out correlation (Koh and Liang 2017, Fig. 2).
   *
   * @param topK training points per test point
   * @param points one entry per test point
   * @param pearson mean Pearson r over test points
   * @param spearman mean Spearman ρ over test points
   * @param slope mean least-squares slope of actual on predicted change (1 for a perfectly
   *     calibrated influence function; arbitrary for methods without its scale)
   * @param retrains models retrained
   * @param seconds wall time of the retraining (not in the summary)
   */
  record LeaveOneOut(
      String method,
      int topK,
      List<LooPoint> points,
      double pearson,
      double spearman,
      double slope,
      int retrains,
      double seconds)
      implements EvaluationResult {
    public LeaveOneOut {
      points = List.copyOf(points);
    }

    @Override
    public String metric() {
      return "loo";
    }

    @Override
    public LooSummary summary() {
      List<LooTest> rows = new ArrayList<>();
      for (LooPoint p : points) {
        rows.add(
            new LooTest(
                p.testIndex(),
                p.testId(),
                finite(p.pearson()),
                finite(p.spearman()),
                finite(p.slope()),
                finiteList(p.predicted),
                finiteList(p.actual)));
      }
      return new LooSummary(
          metric(), method, topK, finite(pearson), finite(spearman), finite(slope), rows, retrains);
    }
  }

  /**
   * Linear datamodeling score (Park et al. 2023, TRAK §2; the dattri benchmark).
   *
   * @param subsets random subsets retrained on
   * @param fraction share of the training set in each subset
   * @param output the model output correlated: {@code loss} (its negation, as scores predict a
   *     decrease) or {@code margin}
   * @param lds mean Spearman ρ over test points
   * @param perTest ρ of each test point (NaN where the output did not vary)
   * @param parallel concurrent retrains (1: one at a time, each on every core)
   * @param seconds wall time of the retraining (not in the summary)
   */
  record Datamodeling(
      String method,
      int subsets,
      double fraction,
      String output,
      double lds,
      double[] perTest,
      int parallel,
      double seconds)
      implements EvaluationResult {
    public Datamodeling {
      perTest = perTest.clone();
    }

    @Override
    public double[] perTest() {
      return perTest.clone();
    }

    @Override
    public String metric() {
      return "lds";
    }

    @Override
    public LdsSummary summary() {
      return new LdsSummary(
          metric(),
          method,
          finite(lds),
          subsets,
          fraction,
          output,
          perTest.length,
          finiteList(perTest),
          parallel);
    }
  }

  /**
   * The mislabel-detection curve (Koh and Liang 2017, §5.4): training examples inspected in order
   * of decreasing self-influence, and the share of flipped labels found.
   *
   * @param flips flipped examples present in the training set
   * @param n training set size
   * @param foundAtTenPercent share of the flips among the first 10 % inspected
   * @param area the area under the curve of found against inspected share (random: about 0.5)
   * @param inspected inspected shares of the curve's points (0.01, 0.02, ..., 1)
   * @param found found shares at those points
   */
  record Mislabel(
      String method,
      int flips,
      int n,
      double foundAtTenPercent,
      double area,
      double[] inspected,
      double[] found)
      implements EvaluationResult {
    public Mislabel {
      inspected = inspected.clone();
      found = found.clone();
    }

    @Override
    public double[] inspected() {
      return inspected.clone();
    }

    @Override
    public double[] found() {
      return found.clone();
    }

    @Override
    public String metric() {
      return "mislabel";
    }

    @Override
    public MislabelSummary summary() {
      return new MislabelSummary(
          metric(),
          method,
          flips,
          n,
          foundAtTenPercent,
          area,
          finiteList(inspected),
          finiteList(found));
    }
  }

  /**
   * Poison recall and precision at k, k the number of poisons in the training set: the training
   * examples ranked by their score aggregated over the behaviour set.
   *
   * @param recallAtOneAndHalfK recall among the top {@code ⌈1.5 k⌉}, the detection convention
   */
  record PoisonRecall(
      String method,
      int poisons,
      int k,
      double recall,
      double precision,
      double recallAtOneAndHalfK)
      implements EvaluationResult {
    @Override
    public String metric() {
      return "recall";
    }

    @Override
    public RecallSummary summary() {
      return new RecallSummary(
          metric(), method, poisons, k, recall, precision, recallAtOneAndHalfK);
    }
  }

  /**
   * One test point of the brittleness experiment.
   *
   * @param predicted the label the model predicts, which the attribution explains
   * @param flippedAt the smallest k on the grid whose removal changes the prediction, or -1
   */
  record BrittlePoint(int testIndex, String testId, String predicted, int flippedAt) {}

  /**
   * Brittleness (Ilyas et al. 2022, §4): remove the top-k training examples supporting a test
   * point's prediction, retrain, and find the smallest k on a grid that changes the prediction.
   *
   * @param grid the removal sizes tried, ascending
   * @param flippedShare share of test points whose prediction changed within the grid
   * @param medianFlip median smallest k over the flipped points, or -1 when none flipped
   * @param seconds wall time of the retraining (not in the summary)
   */
  record Brittleness(
      String method,
      int[] grid,
      List<BrittlePoint> points,
      double flippedShare,
      int medianFlip,
      int retrains,
      double seconds)
      implements EvaluationResult {
    public Brittleness {
      grid = grid.clone();
      points = List.copyOf(points);
    }

    @Override
    public int[] grid() {
      return grid.clone();
    }

    @Override
    public String metric() {
      return "brittleness";
    }

    @Override
    public BrittlenessSummary summary() {
      List<Integer> g = new ArrayList<>();
      for (int k : grid) {
        g.add(k);
      }
      List<BrittleTest> rows = new ArrayList<>();
      for (BrittlePoint p : points) {
        rows.add(
            new BrittleTest(
                p.testIndex(),
                p.testId(),
                p.predicted(),
                p.flippedAt() < 0 ? null : p.flippedAt()));
      }
      return new BrittlenessSummary(
          metric(), method, g, flippedShare, medianFlip < 0 ? null : medianFlip, rows, retrains);
    }
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }

  private static List<Double> finiteList(double[] xs) {
    List<Double> out = new ArrayList<>(xs.length);
    for (double x : xs) {
      out.add(finite(x));
    }
    return out;
  }
}
