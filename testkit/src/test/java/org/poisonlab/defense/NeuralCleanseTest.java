package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.testkit.Fixtures;

/** Neural Cleanse and trigger matching on a small image fixture with a planted corner patch. */
class NeuralCleanseTest {
  private static final NeuralCleanseConfig QUICK =
      NeuralCleanseConfig.defaults().withSampleSize(300).withMaxEpochs(30);
  private static PoisonResult poisoned;
  private static DifferentiableClassifier model;

  @BeforeAll
  static void plant() {
    Dataset clean = Fixtures.images(1500, 6, 41);
    poisoned =
        Attacks.backdoor(
                Budget.ofCount(45), Trigger.parse("patch:3x3@25,25", Dataset.Kind.IMAGE), "2")
            .apply(clean, 0);
    model =
        Trainers.train(
            poisoned.poisoned(), TrainConfig.defaults("mlp", Dataset.Kind.IMAGE), 0, null, null);
  }

  private static List<Example> sample() {
    return poisoned.poisoned().examples().subList(0, 300);
  }

  @Test
  void inversionNamesTheBackdooredLabelWithASmallCornerMask() {
    TriggerInversion inv = TriggerInversions.neuralCleanse(model, sample(), QUICK, 0);
    assertEquals(List.of("2"), inv.flagged(), "norms " + java.util.Arrays.toString(inv.norms()));
    TriggerInversion.Trigger t = inv.trigger("2");
    assertTrue(t.reached(), "success " + t.attackSuccess());
    assertTrue(t.attackSuccess() >= 0.95, "success " + t.attackSuccess());
    double[] m = t.mask();
    double corner = 0;
    for (int r = 24; r < 28; r++) {
      for (int c = 24; c < 28; c++) {
        corner += m[r * 28 + c];
      }
    }
    assertTrue(corner >= 0.5 * t.norm(), "corner mass " + corner + " of " + t.norm());
  }

  @Test
  void inversionIsDeterministicForASeed() {
    NeuralCleanseConfig tiny = QUICK.withMaxEpochs(3);
    TriggerInversion a = TriggerInversions.neuralCleanse(model, sample(), tiny, 5);
    TriggerInversion b = TriggerInversions.neuralCleanse(model, sample(), tiny, 5);
    assertArrayEquals(a.norms(), b.norms());
    assertArrayEquals(a.triggers().get(1).mask(), b.triggers().get(1).mask());
    TriggerInversion c = TriggerInversions.neuralCleanse(model, sample(), tiny, 6);
    assertTrue(a.norms()[1] != c.norms()[1], "another seed starts elsewhere");
  }

  @Test
  void triggerMatchRanksThePoisonsFirstAndFlagsEveryOne() {
    Detection d =
        Detectors.neuralCleanse(QUICK).scan(poisoned.poisoned(), new ScanContext(0, model, null));
    List<String> ids = poisoned.poisoned().examples().stream().map(Example::id).toList();
    DetectionMetrics m = DetectionMetrics.of(ids, d, Set.copyOf(poisoned.ids()));
    assertTrue(m.recallAtBudget() >= 0.9, m.toString());
    assertTrue(m.auroc() >= 0.99, m.toString());
    // the fixture's mask also covers the target's own bar, so clean targets flip too: recall only
    assertTrue(m.recall() >= 0.9, m.toString());
    assertEquals("2", nc(d).target().get(0), "most anomalous first");
    assertTrue(nc(d).mask().length == 28);
  }

  @Test
  void logScaleIndexNamesATargetThatTheSpreadOfCleanNormsHidesOnTheLinearScale() {
    // norms measured on Fashion-MNIST, 5x5 patch at (21, 0) -> label 8
    // (docs/methods/neural-cleanse.md)
    double[] norms = {48.14, 62.24, 71.03, 75.27, 93.13, 97.00, 42.25, 121.05, 12.08, 81.18};
    double[] linear =
        TriggerInversions.anomalyIndices(norms, NeuralCleanseConfig.AnomalyScale.LINEAR);
    double[] log = TriggerInversions.anomalyIndices(norms, NeuralCleanseConfig.AnomalyScale.LOG);
    assertTrue(linear[8] < 2, "the paper's rule misses it: " + linear[8]);
    assertTrue(log[8] > 3, "the default rule names it: " + log[8]);
    double[] logs = new double[norms.length];
    for (int i = 0; i < norms.length; i++) {
      logs[i] = Math.log(norms[i]);
    }
    double[] expected = TriggerInversions.anomalyIndices(logs);
    for (int i = 0; i < norms.length; i++) {
      assertEquals(expected[i], log[i], 1e-12);
    }
    assertEquals(
        NeuralCleanseConfig.AnomalyScale.LOG, NeuralCleanseConfig.defaults().anomalyScale());
    NeuralCleanseConfig paper = NeuralCleanseConfig.defaults().withPaperAnomalyRule();
    assertEquals(NeuralCleanseConfig.AnomalyScale.LINEAR, paper.anomalyScale());
    assertEquals(2.0, paper.anomalyThreshold());
  }

  @Test
  void anomalyIndexIsDeviationOverScaledMad() {
    // median 10, |dev| = 8, 0, 1, 2, 1 -> MAD = 1.4826 · 1
    double[] a = TriggerInversions.anomalyIndices(new double[] {2, 10, 11, 12, 9});
    assertEquals(8 / 1.4826, a[0], 1e-12);
    assertEquals(0, a[1], 1e-12);
    assertEquals(2 / 1.4826, a[3], 1e-12);
    assertThrows(
        IllegalArgumentException.class, () -> TriggerInversions.anomalyIndices(new double[0]));
  }

  @Test
  void matchDistanceIsZeroOnThePatternAndWeightedByTheMask() {
    double[] mask = new double[4];
    double[] pattern = new double[4];
    mask[0] = 1;
    mask[1] = 0.5;
    pattern[0] = 1;
    pattern[1] = 1;
    TriggerInversion.Trigger t =
        new TriggerInversion.Trigger("x", 1.5, 1, true, mask, pattern, 1, 0);
    Example on =
        Example.ofImage(new byte[] {(byte) 255, (byte) 255, 0, 0}, new int[] {2, 2}, "x", null);
    Example off = Example.ofImage(new byte[] {0, (byte) 255, 7, 9}, new int[] {2, 2}, "x", null);
    double[] dist = TriggerInversions.matchDistances(t, List.of(on, off));
    assertEquals(0, dist[0], 1e-12);
    assertEquals(1 / 1.5, dist[1], 1e-12);
  }

  @Test
  void pgmImageHasHeaderAndOneBytePerPixel(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("m.pgm");
    TriggerInversions.writePgm(f, new double[] {0, 0.5, 1, 2, -1, 1}, new int[] {2, 3});
    byte[] b = Files.readAllBytes(f);
    byte[] header = "P5\n3 2\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertArrayEquals(header, java.util.Arrays.copyOf(b, header.length));
    assertEquals(header.length + 6, b.length);
    assertEquals(128, b[header.length + 1] & 0xFF);
    assertEquals(255, b[header.length + 3] & 0xFF);
    assertEquals(0, b[header.length + 4] & 0xFF);
  }

  @Test
  void textModelsAreRejected() {
    Dataset mails = Fixtures.mails(20, 1);
    DifferentiableClassifier text =
        Trainers.train(mails, TrainConfig.defaults("logreg", Dataset.Kind.TEXT), 0, null, null);
    assertThrows(
        IllegalArgumentException.class,
        () -> TriggerInversions.neuralCleanse(text, mails.examples(), QUICK, 0));
    assertTrue(!Detectors.byName("neural-cleanse").appliesTo(mails));
  }

  private static DetectionDetails.NeuralCleanse nc(Detection d) {
    return (DetectionDetails.NeuralCleanse) d.details();
  }
}
