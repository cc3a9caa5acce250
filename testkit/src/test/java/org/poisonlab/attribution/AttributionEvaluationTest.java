package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;

/** Each evaluation metric behaves as its definition says, on small fixtures. */
class AttributionEvaluationTest {
  private static final long SEED = 11;
  private static final TrainConfig CONFIG =
      new TrainConfig("logreg", "lbfgs", new int[0], 1, 32, 0.1, 1e-2, 500, 1 << 10, 1);

  /** Bars in two classes with every tenth label flipped, so that some points matter a lot. */
  private static Dataset noisyBars(int n, long seed) {
    List<Example> out = new ArrayList<>();
    List<Example> clean = Fixtures.bars(n, 5, 2, seed).examples();
    for (int i = 0; i < clean.size(); i++) {
      Example e = clean.get(i);
      out.add(i % 10 == 3 ? e.withLabel(e.label().equals("0") ? "1" : "0") : e);
    }
    return new Dataset("noisy-bars", out);
  }

  private static EvaluationSetup setup(Dataset train, List<Example> test, int parallel) {
    DifferentiableClassifier model =
        Trainers.train(train, CONFIG, SEED, null, Retrainer.TIGHT_TOLERANCE, null);
    return new EvaluationSetup(model, train, test, CONFIG, SEED, Map.of(), parallel, null);
  }

  /** Scores every training point by n × its measured leave-one-out change of the test loss. */
  private static final class LooOracle implements Attributor {
    @Override
    public String name() {
      return "oracle";
    }

    @Override
    public Attribution attribute(AttributionRequest r) {
      Retrainer re =
          new Retrainer(r.model(), r.train(), r.config(), r.model().provenance().seed(), 1, null);
      int n = r.train().size();
      int m = r.behavior().size();
      int[] labels = r.model().labelIndices(r.behavior());
      double[] base = re.reference().losses(r.behavior(), labels);
      double[] scores = new double[n * m];
      for (int i = 0; i < n; i++) {
        double[] l = re.without(new int[] {i}).losses(r.behavior(), labels);
        for (int t = 0; t < m; t++) {
          scores[i * m + t] = n * (l[t] - base[t]);
        }
      }
      return new Attribution(name(), n, m, scores, Map.of());
    }
  }

  /** Seeded uniform noise, whatever the request. */
  private static final class RandomScores implements Attributor {
    @Override
    public String name() {
      return "random";
    }

    @Override
    public Attribution attribute(AttributionRequest r) {
      int n = r.train().size();
      int m = Math.max(1, r.behavior().size());
      SplittableRandom rng = new SplittableRandom(r.seed() + 99);
      double[] s = new double[n * m];
      for (int i = 0; i < s.length; i++) {
        s[i] = rng.nextDouble();
      }
      return new Attribution(name(), n, m, s, Map.of());
    }
  }

  @Test
  void anOracleOfTheActualLeaveOneOutChangesHasPearsonOneAndSlopeOne() {
    Dataset train = noisyBars(40, 1);
    EvaluationSetup s = setup(train, Fixtures.bars(4, 5, 2, 2).examples(), 1);
    EvaluationResult.LeaveOneOut r = AttributionEvaluation.leaveOneOut(new LooOracle(), s, 2, 10);
    assertEquals(2, r.points().size());
    // the oracle retrains from the model it is given (the harness's tight refit), so its figures
    // match the harness's to the optimiser's tolerance, not bit for bit
    assertEquals(1.0, r.pearson(), 1e-6);
    assertTrue(r.spearman() > 0.98, "Spearman " + r.spearman());
    assertEquals(1.0, r.slope(), 1e-3);
  }

  @Test
  void exactInfluencePredictsLeaveOneOutChangesOnAFixture() {
    // Koh and Liang's Fig. 2 on a small convex problem: checks the retraining is tight enough to
    // see the O(1/n) effect and that removal changes the loss by +score/n
    Dataset train = noisyBars(120, 3);
    EvaluationSetup s = setup(train, Fixtures.bars(6, 5, 2, 4).examples(), 2);
    EvaluationResult.LeaveOneOut r =
        AttributionEvaluation.leaveOneOut(new ExactInfluence(), s, 3, 20);
    assertTrue(r.pearson() > 0.99, "mean Pearson " + r.pearson());
    assertTrue(Math.abs(r.slope() - 1) < 0.15, "slope " + r.slope());
    assertEquals(r.points().stream().mapToInt(p -> p.trainIndices().length).sum(), 60);
  }

  @Test
  void randomScoresHaveADatamodelingScoreNearZero() {
    Dataset train = noisyBars(100, 5);
    EvaluationSetup s = setup(train, Fixtures.bars(30, 5, 2, 6).examples(), 2);
    EvaluationResult.Datamodeling r =
        AttributionEvaluation.linearDatamodeling(new RandomScores(), s, 50, 0.5, "loss");
    assertTrue(Math.abs(r.lds()) < 0.1, "LDS of random scores " + r.lds());
    assertEquals(30, r.perTest().length);
  }

  @Test
  void exactInfluenceHasAHighDatamodelingScoreOnAFixtureAndMarginAgreesWithLoss() {
    Dataset train = noisyBars(100, 5);
    EvaluationSetup s = setup(train, Fixtures.bars(20, 5, 2, 6).examples(), 2);
    EvaluationResult.Datamodeling loss =
        AttributionEvaluation.linearDatamodeling(new ExactInfluence(), s, 50, 0.5, "loss");
    EvaluationResult.Datamodeling margin =
        AttributionEvaluation.linearDatamodeling(new ExactInfluence(), s, 50, 0.5, "margin");
    assertTrue(loss.lds() > 0.9, "LDS " + loss.lds());
    // the margin is a monotone function of the loss, so the Spearman correlations coincide
    assertArrayEquals(loss.perTest(), margin.perTest(), 1e-12);
  }

  @Test
  void concurrentRetrainsGiveTheSameScoreAsSequentialOnes() {
    Dataset train = noisyBars(60, 7);
    EvaluationSetup s = setup(train, Fixtures.bars(5, 5, 2, 8).examples(), 1);
    Attributor a = Attributors.byName("gradient-dot");
    EvaluationResult.Datamodeling one =
        AttributionEvaluation.linearDatamodeling(a, s, 8, 0.5, "loss");
    EvaluationResult.Datamodeling two =
        AttributionEvaluation.linearDatamodeling(a, s.withParallel(2), 8, 0.5, "loss");
    assertArrayEquals(one.perTest(), two.perTest(), 0.0);
    assertEquals(1, one.parallel());
    assertEquals(2, two.parallel());
  }

  @Test
  void aPerfectRankingHasRecallAndPrecisionOneAndAReversedOneZero() {
    double[] scores = {0.9, 0.1, 0.8, 0.2, 0.3, 0.05};
    boolean[] poison = {true, false, true, false, false, false};
    EvaluationResult.PoisonRecall good = AttributionEvaluation.poisonRecall("m", scores, poison);
    assertEquals(2, good.k());
    assertEquals(1.0, good.recall());
    assertEquals(1.0, good.precision());
    double[] reversed = Arrays.stream(scores).map(x -> -x).toArray();
    EvaluationResult.PoisonRecall bad = AttributionEvaluation.poisonRecall("m", reversed, poison);
    assertEquals(0.0, bad.recall());
    assertEquals(0.0, bad.recallAtOneAndHalfK());
  }

  @Test
  void poisonRecallRanksByTheScoreAggregatedOverTheBehaviour() {
    Dataset train = noisyBars(40, 9);
    Set<String> poisons = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      poisons.add(train.get(5 * i).id());
    }
    Attributor byId =
        new Attributor() {
          @Override
          public String name() {
            return "by-id";
          }

          @Override
          public Attribution attribute(AttributionRequest r) {
            int n = r.train().size();
            int m = r.behavior().size();
            double[] s = new double[n * m];
            for (int i = 0; i < n; i++) {
              // one behaviour column says poison, the other says nothing: the mean still ranks
              s[i * m] = poisons.contains(r.train().get(i).id()) ? 1 : 0;
            }
            return new Attribution(name(), n, m, s, Map.of());
          }
        };
    EvaluationSetup s = setup(train, Fixtures.bars(2, 5, 2, 10).examples(), 1);
    EvaluationResult.PoisonRecall r = AttributionEvaluation.poisonRecall(byId, s, poisons);
    assertEquals(4, r.k());
    assertEquals(1.0, r.recall());
    assertThrows(
        BadInputException.class,
        () -> AttributionEvaluation.poisonRecall(byId, s, Set.of("sha256:nothing")));
  }

  @Test
  void theMislabelCurveOfAPerfectRankingFindsEveryFlipFirst() {
    int n = 100;
    double[] scores = new double[n];
    boolean[] flipped = new boolean[n];
    for (int i = 0; i < n; i++) {
      flipped[i] = i % 20 == 0; // 5 flips
      scores[i] = flipped[i] ? 10 + i : i / 100.0;
    }
    EvaluationResult.Mislabel r = AttributionEvaluation.mislabelCurve("m", scores, flipped);
    assertEquals(5, r.flips());
    assertEquals(1.0, r.foundAtTenPercent());
    assertEquals(0.2, r.found()[0], 1e-12); // 1 of 100 inspected: 1 of 5 flips
    assertEquals(1.0, r.found()[4], 1e-12);
    // area: 1/5, 2/5, ..., 5/5, then 95 ones, over 100
    assertEquals((0.2 + 0.4 + 0.6 + 0.8 + 1.0 + 95) / 100, r.area(), 1e-12);
  }

  @Test
  void theMislabelCurveOfRandomScoresHasAreaNearOneHalf() {
    int n = 4000;
    SplittableRandom rng = new SplittableRandom(SEED);
    double[] scores = new double[n];
    boolean[] flipped = new boolean[n];
    for (int i = 0; i < n; i++) {
      scores[i] = rng.nextDouble();
      flipped[i] = i % 10 == 0;
    }
    EvaluationResult.Mislabel r = AttributionEvaluation.mislabelCurve("m", scores, flipped);
    assertEquals(0.5, r.area(), 0.03);
    assertEquals(0.1, r.foundAtTenPercent(), 0.04);
  }

  @Test
  void selfInfluenceOfExactInfluenceFindsFlippedLabelsOnAFixture() {
    Dataset train = noisyBars(100, 12);
    Set<String> flipped = new HashSet<>();
    for (int i = 3; i < 100; i += 10) {
      flipped.add(train.get(i).id());
    }
    EvaluationSetup s = setup(train, List.of(), 1);
    EvaluationResult.Mislabel r =
        AttributionEvaluation.mislabelCurve(new ExactInfluence(), s, flipped);
    assertEquals(10, r.flips());
    assertTrue(r.foundAtTenPercent() >= 0.8, "found at 10 % " + r.foundAtTenPercent());
  }

  @Test
  void brittlenessReportsTheFirstGridSizeWhoseRemovalFlipsThePrediction() {
    Dataset train = noisyBars(60, 13);
    EvaluationSetup s = setup(train, Fixtures.bars(8, 5, 2, 14).examples(), 2);
    int[] grid = {1, 2, 4, 8, 16, 32};
    Attributor a = Attributors.byName("gradient-dot");
    EvaluationResult.Brittleness r = AttributionEvaluation.brittleness(a, s, 3, grid);
    assertEquals(3, r.points().size());
    assertTrue(r.flippedShare() > 0, "no prediction flipped within " + Arrays.toString(grid));
    // check each reported k independently: removal at k flips, at the grid size below it does not
    Retrainer re = new Retrainer(s.model(), train, CONFIG, SEED, 1, null);
    for (EvaluationResult.BrittlePoint p : r.points()) {
      if (p.flippedAt() < 0) {
        continue;
      }
      Example test = s.test().get(p.testIndex());
      List<Example> behavior = List.of(test.withLabel(p.predicted()));
      Attribution at =
          a.attribute(
              new AttributionRequest(s.model(), train, behavior, CONFIG, SEED, Map.of(), null));
      int[] order = org.poisonlab.eval.Rankings.descending(at.column(0));
      int k = p.flippedAt();
      int before = Arrays.stream(grid).filter(g -> g < k).max().orElse(0);
      String after = label(re.without(Arrays.copyOf(order, k)), test);
      assertTrue(!after.equals(p.predicted()), "removing " + k + " did not flip");
      if (before > 0) {
        assertEquals(p.predicted(), label(re.without(Arrays.copyOf(order, before)), test));
      }
    }
  }

  private static String label(DifferentiableClassifier m, Example e) {
    return m.labels().get(m.predict(List.of(e))[0]);
  }

  @Test
  void badSettingsAreRejectedWithAMessage() {
    EvaluationSetup s = setup(noisyBars(20, 15), Fixtures.bars(2, 5, 2, 16).examples(), 1);
    Attributor a = Attributors.byName("gradient-dot");
    assertThrows(BadInputException.class, () -> AttributionEvaluation.leaveOneOut(a, s, 1, 1));
    assertThrows(
        BadInputException.class,
        () -> AttributionEvaluation.linearDatamodeling(a, s, 50, 1.0, "loss"));
    assertThrows(
        BadInputException.class,
        () -> AttributionEvaluation.linearDatamodeling(a, s, 50, 0.5, "accuracy"));
    assertThrows(
        BadInputException.class,
        () -> AttributionEvaluation.leaveOneOut(a, s.withTest(List.of()), 1, 5));
  }
}
