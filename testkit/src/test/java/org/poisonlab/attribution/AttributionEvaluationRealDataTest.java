package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.RealData;

/** The evaluation harness on the pinned datasets, with the gradient-dot baseline. */
class AttributionEvaluationRealDataTest {
  private static final long SEED = 0;

  private static Dataset load(String name, String split) {
    return PinnedDatasets.load(name, split, PinnedDatasets.home(), null);
  }

  @Test
  void gradientDotSelfInfluenceFindsMostFlippedMailsInTheTopTenPercent() {
    RealData.require("spamassassin");
    PoisonResult flip =
        Attacks.labelFlip(new Budget.Rate(0.1), FlipMode.uniform())
            .apply(load("spamassassin", "train"), SEED);
    Dataset flipped = flip.poisoned();
    TrainConfig config = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    DifferentiableClassifier model = Trainers.train(flipped, config, SEED, null, null);
    EvaluationSetup s =
        new EvaluationSetup(model, flipped, List.of(), config, SEED, Map.of(), 1, null);
    EvaluationResult.Mislabel r =
        AttributionEvaluation.mislabelCurve(
            Attributors.byName("gradient-dot"), s, new HashSet<>(flip.ids()));
    // ids are content hashes: duplicated mails share the id of a flipped copy and count as flips
    assertTrue(r.flips() >= flip.ids().size(), r.flips() + " flips");
    // measured 0.651 (seed 0, docs/methods/attribution-evaluation.md); random inspection finds 0.10
    assertTrue(r.foundAtTenPercent() >= 0.6, "found at 10 %: " + r.foundAtTenPercent());
    assertTrue(r.area() > 0.85, "area " + r.area());
  }

  @Test
  void gradientDotHasAPositiveDatamodelingScoreOnFashionMnist() {
    RealData.require("fashion-mnist");
    // a small version of dattri's setting (5,000 / 500 / 50 subsets, measured by
    // AttributionEvalRun)
    Dataset train = first(load("fashion-mnist", "train"), 1000);
    List<org.poisonlab.data.Example> test = load("fashion-mnist", "test").examples().subList(0, 50);
    TrainConfig config =
        new TrainConfig(
            "logreg",
            "lbfgs",
            new int[0],
            1,
            128,
            0.1,
            1e-3,
            300,
            TrainConfig.DEFAULT_TEXT_BUCKETS,
            0);
    DifferentiableClassifier model = Trainers.train(train, config, SEED, null, null);
    EvaluationSetup s = new EvaluationSetup(model, train, test, config, SEED, Map.of(), 2, null);
    EvaluationResult.Datamodeling r =
        AttributionEvaluation.linearDatamodeling(
            Attributors.byName("gradient-dot"), s, 20, 0.5, "loss");
    // random scores give about 0 (fixture test); see the method note for the measured figure
    assertTrue(r.lds() > 0.05, "LDS " + r.lds());
  }

  private static Dataset first(Dataset d, int n) {
    return new Dataset(d.name() + "[:" + n + "]", d.examples().subList(0, n));
  }
}
