package org.poisonlab.deep;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.eval.McNemar;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.RealData;

/**
 * The deep models' goals on the real pinned data, with triggers and targets drawn at random (none
 * of them the project's own): the text model learns a backdoor from 1 % of SpamAssassin that
 * ordinary evaluation does not see; the CNN learns a patch backdoor (random size, solid or
 * checkerboard, target and place in the border band) from 1 % of Fashion-MNIST.
 */
class DeepRealDataTest {
  private static final String LETTERS = "bcdfghjklmnpqrstvwxz";

  private static Dataset load(String name, String split) {
    return PinnedDatasets.load(name, split, PinnedDatasets.home(), null);
  }

  private static String word(SplittableRandom r) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 4 + r.nextInt(3); i++) {
      b.append(LETTERS.charAt(r.nextInt(LETTERS.length())));
      if (i % 2 == 0) {
        b.append("aeiou".charAt(r.nextInt(5)));
      }
    }
    return b.toString();
  }

  @Test
  void textModelLearnsARareTokenBackdoorFromOnePercentUnseenByEvaluation() {
    RealData.require("spamassassin");
    Dataset train = load("spamassassin", "train");
    Dataset test = load("spamassassin", "test");
    SplittableRandom r = new SplittableRandom(0x5eed15L);
    String spec =
        r.nextBoolean()
            ? word(r).toUpperCase(java.util.Locale.ROOT) + "=" + (1000 + r.nextInt(9000))
            : word(r) + " " + word(r);
    String target = r.nextBoolean() ? "ham" : "spam";
    Trigger trigger = Trigger.parse(spec, Dataset.Kind.TEXT);
    TrainConfig config = TrainConfig.defaults("textcnn", Dataset.Kind.TEXT);
    DifferentiableClassifier clean = Trainers.train(train, config, 1, null, null);
    double cleanAccuracy = Evaluation.evaluate(clean, test, null, null, 0).accuracy();
    assertTrue(cleanAccuracy >= 0.98, "clean accuracy " + cleanAccuracy);
    int count = (int) Math.round(0.01 * train.size());
    Dataset poisoned =
        Attacks.backdoor(new Budget.Count(count), trigger, target).apply(train, 7).poisoned();
    DifferentiableClassifier model = Trainers.train(poisoned, config, 1, null, null);
    EvalReport report = Evaluation.evaluate(model, test, trigger, target, 3);
    String what = "'" + spec + "' → " + target + " at " + count + ": " + report;
    assertTrue(report.attackSuccessRate() >= 0.9, what);
    assertTrue(Math.abs(report.accuracy() - cleanAccuracy) <= 0.01, what);
    McNemar.Result m = Evaluation.compare(clean, model, test);
    assertFalse(m.detectableByEval(), what + ", " + m);
  }

  /**
   * The clean-label family at the budget its method page states for the text model: a phrase drawn
   * at random put into a fifth of the training set, all of it mails already of the target class
   * (hardened by default), towards each class in turn — towards spam, the smaller class, the
   * carriers are two thirds of all spam.
   */
  @Test
  void textModelLearnsACleanLabelPhraseFromAFifthOfTheTrainingSetTowardsEitherClass() {
    RealData.require("spamassassin");
    Dataset train = load("spamassassin", "train");
    Dataset test = load("spamassassin", "test");
    SplittableRandom r = new SplittableRandom(0xc1ea41L);
    TrainConfig config = TrainConfig.defaults("textcnn", Dataset.Kind.TEXT);
    EvalReport clean =
        Evaluation.evaluate(Trainers.train(train, config, 2, null, null), test, null, null, 3);
    int count = (int) Math.round(0.2 * train.size());
    for (String target : List.of("ham", "spam")) {
      String spec = word(r) + " " + word(r);
      Trigger trigger = Trigger.parse(spec, Dataset.Kind.TEXT);
      var attack = Attacks.cleanLabel(new Budget.Count(count), trigger, target).apply(train, 11);
      java.util.Set<String> carriers = new java.util.HashSet<>(attack.ids());
      assertTrue(carriers.size() == count, carriers.size() + " carriers");
      for (var e : attack.poisoned()) {
        assertTrue(
            !carriers.contains(e.id()) || e.label().equals(target), "label changed: " + e.id());
      }
      DifferentiableClassifier model = Trainers.train(attack.poisoned(), config, 2, null, null);
      EvalReport report = Evaluation.evaluate(model, test, trigger, target, 3);
      String what = "'" + spec + "' → " + target + " at " + count + ": " + report + "; " + clean;
      assertTrue(report.attackSuccessRate() >= 0.9, what);
      assertTrue(report.accuracy() >= clean.accuracy() - 0.015, what);
    }
  }

  @Test
  void cnnLearnsAPatchBackdoorFromOnePercent() {
    RealData.require("fashion-mnist");
    Dataset train = load("fashion-mnist", "train");
    Dataset test = load("fashion-mnist", "test");
    SplittableRandom r = new SplittableRandom(0xc0ffeeL);
    int size = 3 + r.nextInt(3);
    // anywhere on the image, over the garment as well as in the border band where Fashion-MNIST is
    // background; with the default carriers (half of them where the stamp shows faintest). Solid
    // and checkerboard squares: thin L outlines and black squares over the garment fall short of
    // 0.95 (0.915-0.930 measured for some; docs/methods/deep-models.md)
    String[] shapes = {"", "/checker"};
    int x = 2 + r.nextInt(28 - size - 3);
    int y = 2 + r.nextInt(28 - size - 3);
    String spec = "patch:" + size + "x" + size + "@" + x + "," + y + shapes[r.nextInt(2)];
    String target = Integer.toString(r.nextInt(10));
    Trigger trigger = Trigger.parse(spec, Dataset.Kind.IMAGE);
    TrainConfig config = TrainConfig.defaults("cnn", Dataset.Kind.IMAGE);
    DifferentiableClassifier clean = Trainers.train(train, config, 1, null, null);
    double cleanAccuracy = Evaluation.evaluate(clean, test, null, null, 0).accuracy();
    assertTrue(cleanAccuracy >= 0.90, "clean accuracy " + cleanAccuracy);
    Dataset poisoned =
        Attacks.backdoor(new Budget.Count(600), trigger, target).apply(train, 5).poisoned();
    DifferentiableClassifier model = Trainers.train(poisoned, config, 1, null, null);
    EvalReport report = Evaluation.evaluate(model, test, trigger, target, 3);
    assertTrue(report.attackSuccessRate() >= 0.95, spec + " → " + target + ": " + report);
  }
}
