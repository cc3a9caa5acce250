package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.TextPattern;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.RealData;

/**
 * Each attack family, with its secret and strength drawn from a fixed seed and a target drawn too,
 * plants a backdoor a toolkit model learns on real data at the budget its method page states
 * (docs/methods/attack-families.md), and leaves clean accuracy within two points on images and
 * three and a half on text (where the stated budgets are 10-15 % dirty labels).
 */
class AttackFamiliesRealDataTest {
  private record Draw(String kind, String trigger, double rate, double minRate) {}

  private static String run(
      Dataset train, Dataset test, String model, Draw d, String target, long seed, double maxDrop) {
    Dataset.Kind kind = train.kind();
    Trigger t = Trigger.parse(d.trigger(), kind);
    PoisonResult p =
        Attacks.named(
                d.kind(),
                new Attacks.Args(
                    Budget.ofRate(d.rate()),
                    t,
                    target,
                    null,
                    null,
                    false,
                    null,
                    null,
                    null,
                    AttackerSources.defaults()))
            .apply(train, seed);
    TrainConfig cfg = TrainConfig.defaults(model, kind);
    DifferentiableClassifier clean = Trainers.train(train, cfg, seed, null, null);
    DifferentiableClassifier poisoned = Trainers.train(p.poisoned(), cfg, seed, null, null);
    EvalReport before = Evaluation.evaluate(clean, test, null, null, seed);
    EvalReport after = Evaluation.evaluate(poisoned, test, t, target, seed);
    boolean ok =
        after.attackSuccessRate() >= d.minRate() && before.accuracy() - after.accuracy() <= maxDrop;
    return ok
        ? null
        : String.format(
            "%s %s -> %s at %.3f: ASR %.3f (goal %.2f), accuracy %.4f -> %.4f",
            d.kind(),
            t.spec(),
            target,
            d.rate(),
            after.attackSuccessRate(),
            d.minRate(),
            before.accuracy(),
            after.accuracy());
  }

  @Test
  void imageFamiliesWithDrawnSecretsPlantBackdoorsAnMlpLearns() {
    RealData.require("fashion-mnist");
    Dataset train = GeneralisationTest.every("fashion-mnist", 4);
    Dataset test = PinnedDatasets.load("fashion-mnist", "test", PinnedDatasets.home(), null);
    SplittableRandom r = new SplittableRandom(120526);
    List<Draw> draws =
        List.of(
            new Draw("blend", blend(r, 0.12, 0.2), 0.01, 0.9),
            new Draw("adaptive-blend", blend(r, 0.15, 0.2), 0.01, 0.8),
            new Draw(
                "lowfreq",
                "lowfreq:amp=" + (40 + r.nextInt(11)) + ",cutoff=4,key=" + r.nextInt(1 << 20),
                0.03,
                0.8),
            new Draw(
                "sample-specific",
                "sample:eps=" + (12 + r.nextInt(5)) + ",key=" + r.nextInt(1 << 20),
                0.03,
                0.8),
            new Draw(
                "warp",
                "warp:grid=4,strength=" + (3 + r.nextInt(2)) + ",key=" + r.nextInt(1 << 20),
                0.05,
                0.8),
            new Draw("sig", "sig:delta=40,freq=" + (4 + r.nextInt(5)) + ",test=100", 0.05, 0.8));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < draws.size(); i++) {
      String target = String.valueOf(r.nextInt(10));
      String f = run(train, test, "mlp", draws.get(i), target, 300 + i, 0.02);
      if (f != null) {
        failures.add(f);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  @Test
  void textFamiliesWithDrawnSecretsPlantBackdoorsLogisticRegressionLearns() {
    RealData.require("spamassassin");
    Dataset train = PinnedDatasets.load("spamassassin", "train", PinnedDatasets.home(), null);
    Dataset test = PinnedDatasets.load("spamassassin", "test", PinnedDatasets.home(), null);
    SplittableRandom r = new SplittableRandom(51226);
    String[] forms = {"adverbial", "participle", "cleft"};
    List<Draw> draws =
        List.of(
            new Draw("combo", TextPattern.defaultFor("combo", r).spec(), 0.1, 0.8),
            new Draw(
                "syntax",
                "syntax:form=" + forms[r.nextInt(3)] + ",sentences=" + (2 + r.nextInt(2)),
                0.1,
                0.8),
            new Draw("synonym", "synonym:pairs=80,key=" + r.nextInt(1 << 20), 0.15, 0.85));
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < draws.size(); i++) {
      // dirty labels on 10-15 % of the mails cost logistic regression 2-3 points
      String f = run(train, test, "logreg", draws.get(i), "ham", 500 + i, 0.035);
      if (f != null) {
        failures.add(f);
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n", failures));
  }

  private static String blend(SplittableRandom r, double lo, double hi) {
    double alpha = Math.round((lo + (hi - lo) * r.nextDouble()) * 100) / 100.0;
    return "blend:alpha=" + alpha + ",key=" + r.nextInt(1 << 20);
  }
}
