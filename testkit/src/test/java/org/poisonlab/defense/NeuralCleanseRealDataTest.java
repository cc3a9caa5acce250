package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.RealData;

/**
 * Neural Cleanse and trigger matching on Fashion-MNIST with the demo's MLP. To stay under 90 s per
 * test on 2 shared cores the training set is every second image (30,000) with 1 % poisons (300),
 * and the inversion uses a sample of 500 inputs; the full setup (60,000, 600 poisons, sample 1,000)
 * is measured in docs/methods/neural-cleanse.md.
 */
class NeuralCleanseRealDataTest {
  private static final NeuralCleanseConfig CONFIG =
      NeuralCleanseConfig.defaults().withSampleSize(500);

  private static Dataset half() {
    Dataset all = PinnedDatasets.load("fashion-mnist", "train", PinnedDatasets.home(), null);
    int[] pos = new int[all.size() / 2];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = 2 * i;
    }
    return all.subset(pos);
  }

  private static DifferentiableClassifier train(Dataset d) {
    return Trainers.train(d, TrainConfig.defaults("mlp", Dataset.Kind.IMAGE), 0, null, null);
  }

  private static DetectionMetrics metrics(PoisonResult r, Detection d) {
    List<String> ids = r.poisoned().examples().stream().map(Example::id).toList();
    return DetectionMetrics.of(ids, d, Set.copyOf(r.ids()));
  }

  private static String smallestNorm(Detection d) {
    Map<String, Double> norms = nc(d).norms();
    return norms.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  @Test
  void neuralCleanseNamesTheDemoTargetAndTriggerMatchFindsThePoisons() {
    RealData.require("fashion-mnist");
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofCount(300), Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE), "0")
            .apply(half(), 0);
    DifferentiableClassifier model = train(r.poisoned());
    Detection d =
        Detectors.neuralCleanse(CONFIG).scan(r.poisoned(), new ScanContext(0, model, null));
    String why = nc(d).norms() + " " + nc(d).anomalyIndices();
    assertEquals(List.of("0"), nc(d).target(), why);
    double index = nc(d).anomalyIndices().get("0");
    assertTrue(index > 2, why);
    DetectionMetrics m = metrics(r, d);
    assertTrue(m.recallAtBudget() >= 0.9, m + " " + why);
    assertTrue(m.precision() >= 0.5 && m.recall() >= 0.5, m + " " + why);
  }

  @Test
  void aPatchOfAnotherSizePlaceAndTargetDrawnFromASeedIsRankedFirst() {
    RealData.require("fashion-mnist");
    SplittableRandom rng = new SplittableRandom(1);
    int size = 3 + rng.nextInt(4);
    int x = rng.nextInt(29 - size);
    int y = rng.nextInt(29 - size);
    String target = Integer.toString(rng.nextInt(10));
    String spec = "patch:" + size + "x" + size + "@" + x + "," + y;
    PoisonResult r =
        Attacks.backdoor(Budget.ofCount(300), Trigger.parse(spec, Dataset.Kind.IMAGE), target)
            .apply(half(), 0);
    Detection d =
        Detectors.neuralCleanse(CONFIG)
            .scan(r.poisoned(), new ScanContext(0, train(r.poisoned()), null));
    String why = spec + " -> " + target + ": " + nc(d).norms() + " " + nc(d).anomalyIndices();
    assertEquals(target, smallestNorm(d), why);
    DetectionMetrics m = metrics(r, d);
    assertTrue(m.recallAtBudget() >= 0.9, m + " " + why);
  }

  @Test
  void aCleanModelHasNoFlaggedLabelAndNoFlaggedExample() {
    RealData.require("fashion-mnist");
    Dataset clean = half();
    Detection d =
        Detectors.neuralCleanse(CONFIG).scan(clean, new ScanContext(0, train(clean), null));
    String why = nc(d).norms() + " " + nc(d).anomalyIndices();
    assertEquals(List.of(), nc(d).target(), why);
    for (boolean f : d.flagged()) {
      assertTrue(!f, why);
    }
  }

  private static DetectionDetails.NeuralCleanse nc(Detection d) {
    return (DetectionDetails.NeuralCleanse) d.details();
  }
}
