package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

class RepresentationDetectorsTest {
  static final int CLASSES = 3;
  static final int PER_CLASS = 400;
  static final int DIM = 16;
  static final int POISONS = 40;

  /**
   * Gaussian representations, {@code PER_CLASS} per class; in class 1 the first {@code POISONS}
   * rows are shifted by {@code shift} along axis 5. Axis 0 has standard deviation {@code wide}, the
   * others 1. Dataset position of class c row i is {@code c * PER_CLASS + i}.
   */
  static List<Representations.ClassBlock> planted(double shift, double wide, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Representations.ClassBlock> blocks = new ArrayList<>();
    for (int c = 0; c < CLASSES; c++) {
      double[] rows = new double[PER_CLASS * DIM];
      int[] pos = new int[PER_CLASS];
      for (int i = 0; i < PER_CLASS; i++) {
        pos[i] = c * PER_CLASS + i;
        for (int t = 0; t < DIM; t++) {
          double v = r.nextGaussian() * (t == 0 ? wide : 1) + c * 10;
          if (c == 1 && i < POISONS && t == 5) {
            v += shift;
          }
          rows[i * DIM + t] = v;
        }
      }
      blocks.add(new Representations.ClassBlock("c" + c, pos, rows, DIM));
    }
    return blocks;
  }

  static boolean isPoison(int position) {
    return position >= PER_CLASS && position < PER_CLASS + POISONS;
  }

  /** Share of poisons among the 1.5 × POISONS highest scores. */
  static double recallAtOneAndAHalf(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    int hits = 0;
    for (int r = 0; r < POISONS * 3 / 2; r++) {
      hits += isPoison(order[r]) ? 1 : 0;
    }
    return (double) hits / POISONS;
  }

  static double flaggedRecall(boolean[] flags) {
    int hits = 0;
    for (int i = 0; i < flags.length; i++) {
      hits += flags[i] && isPoison(i) ? 1 : 0;
    }
    return (double) hits / POISONS;
  }

  static final int N = CLASSES * PER_CLASS;

  /**
   * The finding holds for class c1, its flag count is the detection's, and at least 90 % of the
   * flags and at least {@code least} of them are poisons.
   */
  static void assertFindsClassOne(Detection d, int least) {
    Finding f = d.finding();
    assertTrue(f.significant(), "finding " + f);
    assertEquals("c1", f.target());
    int flagged = 0;
    int poisons = 0;
    for (int i = 0; i < N; i++) {
      flagged += d.flagged()[i] ? 1 : 0;
      poisons += d.flagged()[i] && isPoison(i) ? 1 : 0;
    }
    assertEquals(f.flagged(), flagged);
    assertTrue(poisons >= 0.9 * flagged && poisons >= least, poisons + " of " + flagged);
  }

  @Test
  void spectralFindsAShiftedClusterThatDominatesTheVariance() {
    Detection d = new SpectralSignatureDetector(0.05).detect(planted(6, 1, 1), N, 0);
    assertTrue(
        recallAtOneAndAHalf(d.scores()) >= 0.95, "recall " + recallAtOneAndAHalf(d.scores()));
    // 1.5 · 0.05 · 400 = 30 flags per class, all of class 1's on poisons
    int flagged = 0;
    for (boolean f : d.flagged()) {
      flagged += f ? 1 : 0;
    }
    assertEquals(3 * 30, flagged);
    assertTrue(flaggedRecall(d.flagged()) >= 0.7, "flag recall " + flaggedRecall(d.flagged()));
    DetectionDetails.SpectralSignature details = (DetectionDetails.SpectralSignature) d.details();
    assertTrue(details.classes().get("c1").converged());
  }

  @Test
  void spectralWithACleanReferenceFlagsOnlyTheExamplesAboveEveryReferenceScore() {
    List<Representations.ClassBlock> reference = planted(0, 1, 99);
    Detection d = new SpectralSignatureDetector(0.05).detect(planted(6, 1, 1), reference, N, 0);
    assertFindsClassOne(d, POISONS / 2);
    for (long seed = 5; seed < 10; seed++) {
      Detection clean =
          new SpectralSignatureDetector(0.05).detect(planted(0, 1, seed), reference, N, 0);
      assertFalse(clean.finding().significant(), "clean " + clean.finding());
    }
  }

  @Test
  void spectreFindsAShiftedClusterHiddenBelowCleanVariance() {
    List<Representations.ClassBlock> blocks = planted(6, 4, 2);
    Detection spectral = new SpectralSignatureDetector(0.05).detect(blocks, N, 0);
    Detection spectre = new SpectreDetector(0.05).detect(blocks, N, 0);
    double plain = recallAtOneAndAHalf(spectral.scores());
    double robust = recallAtOneAndAHalf(spectre.scores());
    // the clean axis 0 (variance 16) outweighs the poison shift (≈ 0.09 · 36 + 1): spectral misses
    assertTrue(plain < 0.5, "spectral recall " + plain);
    assertTrue(robust >= 0.95, "spectre recall " + robust);
  }

  @Test
  void spectreWithACleanReferenceFindsThePlantedClassAndFlagsOnlyItsOutliers() {
    // the reference: the same distribution without the shift (shift 0, another seed)
    List<Representations.ClassBlock> reference = planted(0, 4, 99);
    Detection d = new SpectreDetector(0.05).detect(planted(6, 4, 2), reference, N, 0);
    assertFindsClassOne(d, POISONS / 2);

    // no planted cluster: nothing significant, and the fixed share stays the detector's own flags
    Detection clean = new SpectreDetector(0.05).detect(planted(0, 4, 5), reference, N, 0);
    assertFalse(clean.finding().significant(), "clean " + clean.finding());
  }

  @Test
  void theChanceThatTheTopScoresAllComeFromTrainingIsExactOnSmallCases() {
    // three exchangeable values, two from training: P(top one is training) = 2/3, top two = 1/3
    assertEquals(Math.log(2.0 / 3), ReferenceTest.topAllFromTrain(1, 2, 1), 1e-12);
    assertEquals(Math.log(1.0 / 3), ReferenceTest.topAllFromTrain(2, 2, 1), 1e-12);
    assertEquals(0, ReferenceTest.topAllFromTrain(0, 5, 5), 0);
  }

  @Test
  void spectreKeepsHighRecallWhenSpectralWorksToo() {
    Detection d = new SpectreDetector(0.05).detect(planted(6, 1, 3), N, 0);
    assertTrue(
        recallAtOneAndAHalf(d.scores()) >= 0.95, "recall " + recallAtOneAndAHalf(d.scores()));
  }

  @Test
  void activationClusteringFlagsOnlyTheSmallSeparatedCluster() {
    Detection d = new ActivationClusteringDetector(0.35, 0.5).detect(planted(15, 1, 4), N, 0);
    assertTrue(flaggedRecall(d.flagged()) >= 0.95, "flag recall " + flaggedRecall(d.flagged()));
    int wrong = 0;
    for (int i = 0; i < N; i++) {
      wrong += d.flagged()[i] && !isPoison(i) ? 1 : 0;
    }
    assertTrue(wrong <= 2, wrong + " clean rows flagged");
    Map<String, DetectionDetails.ClusterClass> classes =
        ((DetectionDetails.ActivationClustering) d.details()).classes();
    assertTrue(classes.get("c1").suspicious());
    assertFalse(classes.get("c0").suspicious());
    assertFalse(classes.get("c2").suspicious());
    double rel = classes.get("c1").relativeSize();
    assertEquals(0.1, rel, 0.01);
    assertTrue(recallAtOneAndAHalf(d.scores()) >= 0.95);
  }

  @Test
  void activationClusteringWithACleanReferenceTestsTheSmallClusterAndFlagsItsExcess() {
    List<Representations.ClassBlock> reference = planted(0, 1, 99);
    // a cluster too weak for the fixed rule (silhouette) is still far above the reference's share
    for (double shift : new double[] {15, 6}) {
      Detection d =
          new ActivationClusteringDetector(0.35, 0.5).detect(planted(shift, 1, 4), reference, N, 0);
      assertFindsClassOne(d, (int) (0.8 * POISONS));
    }
    for (long seed = 5; seed < 10; seed++) {
      Detection clean =
          new ActivationClusteringDetector(0.35, 0.5).detect(planted(0, 1, seed), reference, N, 0);
      assertFalse(clean.finding().significant(), "clean " + clean.finding());
    }
  }

  @Test
  void everyDetectorIsDeterministicForASeed() {
    List<Representations.ClassBlock> blocks = planted(3, 2, 5);
    for (long seed : new long[] {0, 42}) {
      Detection[] a = {
        new SpectralSignatureDetector(0.05).detect(blocks, N, seed),
        new ActivationClusteringDetector(0.35, 0.5).detect(blocks, N, seed),
        new SpectreDetector(0.05).detect(blocks, N, seed)
      };
      Detection[] b = {
        new SpectralSignatureDetector(0.05).detect(blocks, N, seed),
        new ActivationClusteringDetector(0.35, 0.5).detect(blocks, N, seed),
        new SpectreDetector(0.05).detect(blocks, N, seed)
      };
      for (int i = 0; i < a.length; i++) {
        assertArrayEquals(a[i].scores(), b[i].scores(), a[i].method() + " seed " + seed);
        assertArrayEquals(a[i].flagged(), b[i].flagged(), a[i].method() + " seed " + seed);
        assertEquals(a[i].details(), b[i].details());
      }
    }
  }

  @Test
  void theRegistryNamesTheRepresentationDetectors() {
    assertEquals("spectral", Detectors.byName("spectral").name());
    assertEquals("activation-clustering", Detectors.byName("activation-clustering").name());
    assertEquals("spectre", Detectors.byName("spectre").name());
  }

  @Test
  void scanningImagesTrainsAModelAndScoresEveryExample() {
    SplittableRandom r = new SplittableRandom(8);
    List<Example> xs = new ArrayList<>();
    for (int i = 0; i < 240; i++) {
      int c = i % 2;
      byte[] px = new byte[64];
      for (int p = 0; p < 64; p++) {
        int base = (c == 0) == (p < 32) ? 180 : 40;
        px[p] = (byte) Math.max(0, Math.min(255, base + r.nextInt(60) - 30));
      }
      // the first 12 of class 1 carry a bright corner patch
      if (c == 1 && i < 24) {
        for (int p : new int[] {54, 55, 62, 63}) {
          px[p] = (byte) 255;
        }
      }
      xs.add(Example.ofImage(px, new int[] {8, 8}, "" + c, null));
    }
    Dataset train = new Dataset("tiny", xs);
    for (Detector det : List.of(Detectors.spectral(0.05), Detectors.spectre(0.05))) {
      assertTrue(det.appliesTo(train));
      Detection a = det.scan(train, new ScanContext(3, null, null));
      Detection b = det.scan(train, new ScanContext(3, null, null));
      assertEquals(train.size(), a.size());
      assertArrayEquals(a.scores(), b.scores(), det.name());
      for (double s : a.scores()) {
        assertTrue(Double.isFinite(s) && s >= 0, det.name() + " score " + s);
      }
    }
  }

  @Test
  void badOptionsAreRejected() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Detectors.spectral(0));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Detectors.spectre(1.5));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Detectors.activationClustering(0.6, 0.1));
  }
}
