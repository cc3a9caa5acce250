package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one evaluation metric of {@link AttributionEvaluation} measured. Each kind gives a
 * JSON-friendly {@link #summary()}; NaN figures (a constant side of a correlation) appear there as
 * null.
 */
public sealed interface EvaluationResult {
  /** The metric's command-line name: {@code loo}, {@code lds}, {@code mislabel}, ... */
  String metric();

  /** The attributor's name. */
  String method();

  /** Insertion-ordered figures for a report or {@code --json}. */
  Map<String, Object> summary();

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
   * @param seconds wall time of the retraining
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
    public Map<String, Object> summary() {
      Map<String, Object> m = head(this);
      m.put("top_k", topK);
      m.put("pearson", finite(pearson));
      m.put("spearman", finite(spearman));
      m.put("slope", finite(slope));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (LooPoint p : points) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("test_index", p.testIndex());
        r.put("test_id", p.testId());
        r.put("pearson", finite(p.pearson()));
        r.put("spearman", finite(p.spearman()));
        r.put("slope", finite(p.slope()));
        r.put("predicted", finiteList(p.predicted));
        r.put("actual", finiteList(p.actual));
        rows.add(r);
      }
      m.put("tests", rows);
      m.put("retrains", retrains);
      m.put("seconds", seconds);
      return m;
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
   * @param seconds wall time of the retraining
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
    public Map<String, Object> summary() {
      Map<String, Object> m = head(this);
      m.put("lds", finite(lds));
      m.put("subsets", subsets);
      m.put("fraction", fraction);
      m.put("output", output);
      m.put("tests", perTest.length);
      m.put("per_test", finiteList(perTest));
      m.put("parallel", parallel);
      m.put("seconds", seconds);
      return m;
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
    public Map<String, Object> summary() {
      Map<String, Object> m = head(this);
      m.put("flips", flips);
      m.put("n", n);
      m.put("found_at_10_percent", foundAtTenPercent);
      m.put("area", area);
      m.put("inspected", finiteList(inspected));
      m.put("found", finiteList(found));
      return m;
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
    public Map<String, Object> summary() {
      Map<String, Object> m = head(this);
      m.put("poisons", poisons);
      m.put("k", k);
      m.put("recall_at_k", recall);
      m.put("precision_at_k", precision);
      m.put("recall_at_1_5k", recallAtOneAndHalfK);
      return m;
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
    public Map<String, Object> summary() {
      Map<String, Object> m = head(this);
      List<Integer> g = new ArrayList<>();
      for (int k : grid) {
        g.add(k);
      }
      m.put("grid", g);
      m.put("flipped_share", flippedShare);
      m.put("median_flip_k", medianFlip < 0 ? null : medianFlip);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (BrittlePoint p : points) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("test_index", p.testIndex());
        r.put("test_id", p.testId());
        r.put("predicted", p.predicted());
        r.put("flipped_at", p.flippedAt() < 0 ? null : p.flippedAt());
        rows.add(r);
      }
      m.put("tests", rows);
      m.put("retrains", retrains);
      m.put("seconds", seconds);
      return m;
    }
  }

  private static Map<String, Object> head(EvaluationResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("metric", r.metric());
    m.put("method", r.method());
    return m;
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
