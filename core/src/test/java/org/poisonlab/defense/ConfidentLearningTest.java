package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfidentLearningTest {
  // seven examples, three classes; example 2 is labelled 0 but looks like class 1
  private static final double[] PROBA = {
    0.9, 0.05, 0.05, //
    0.7, 0.2, 0.1, //
    0.2, 0.7, 0.1, //
    0.1, 0.8, 0.1, //
    0.2, 0.6, 0.2, //
    0.1, 0.1, 0.8, //
    0.3, 0.1, 0.6
  };
  private static final int[] LABELS = {0, 0, 0, 1, 1, 2, 2};

  @Test
  void thresholdsAreTheMeanSelfConfidenceOfEachGivenLabel() {
    double[] t = ConfidentLearning.thresholds(PROBA, LABELS, 3);
    assertArrayEquals(new double[] {0.6, 0.7, 0.7}, t, 1e-12);
  }

  @Test
  void aClassWithoutExamplesHasAnUnreachableThreshold() {
    double[] t =
        ConfidentLearning.thresholds(new double[] {0.4, 0.6, 0.1, 0.9}, new int[] {1, 1}, 2);
    assertEquals(Double.POSITIVE_INFINITY, t[0]);
    assertEquals(0.75, t[1], 1e-12);
  }

  @Test
  void eachExampleCountsForItsMostProbableClassAboveThreshold() {
    double[] t = ConfidentLearning.thresholds(PROBA, LABELS, 3);
    int[] confident = ConfidentLearning.confidentClasses(PROBA, 7, 3, t);
    assertArrayEquals(new int[] {0, 0, 1, 1, -1, 2, -1}, confident);
    long[][] joint = ConfidentLearning.confidentJoint(LABELS, confident, 3);
    assertArrayEquals(new long[] {2, 1, 0}, joint[0]);
    assertArrayEquals(new long[] {0, 1, 0}, joint[1]);
    assertArrayEquals(new long[] {0, 0, 1}, joint[2]);
  }

  @Test
  void calibratedJointRowsSumToTheLabelShares() {
    long[][] joint = {{2, 1, 0}, {0, 1, 0}, {0, 0, 0}};
    double[][] q = ConfidentLearning.calibratedJoint(joint, LABELS);
    assertArrayEquals(new double[] {2.0 / 7, 1.0 / 7, 0}, q[0], 1e-12);
    assertArrayEquals(new double[] {0, 2.0 / 7, 0}, q[1], 1e-12);
    // an empty row keeps its label's mass on the diagonal
    assertArrayEquals(new double[] {0, 0, 2.0 / 7}, q[2], 1e-12);
  }

  @Test
  void pruneByNoiseRateFlagsTheLargestMarginsUpToTheEstimatedCount() {
    double[] t = ConfidentLearning.thresholds(PROBA, LABELS, 3);
    int[] confident = ConfidentLearning.confidentClasses(PROBA, 7, 3, t);
    double[][] q =
        ConfidentLearning.calibratedJoint(
            ConfidentLearning.confidentJoint(LABELS, confident, 3), LABELS);
    boolean[] flagged = ConfidentLearning.pruneByNoiseRate(PROBA, LABELS, 3, q);
    assertArrayEquals(new boolean[] {false, false, true, false, false, false, false}, flagged);
  }

  @Test
  void anExampleWhoseGivenLabelIsMostProbableIsNeverFlagged() {
    // the joint says one of the class-0 examples is class 1, but both are predicted class 0
    double[] proba = {0.6, 0.4, 0.9, 0.1, 0.1, 0.9, 0.2, 0.8};
    int[] labels = {0, 0, 1, 1};
    double[][] q = {{0.25, 0.25}, {0, 0.5}};
    boolean[] flagged = ConfidentLearning.pruneByNoiseRate(proba, labels, 2, q);
    assertArrayEquals(new boolean[] {false, false, false, false}, flagged);
  }

  @Test
  void marginIsTheBestOtherClassMinusTheGivenOne() {
    double[] m = ConfidentLearning.margins(PROBA, LABELS, 3);
    assertEquals(0.5, m[2], 1e-12);
    assertEquals(-0.85, m[0], 1e-12);
    assertEquals(-0.4, m[4], 1e-12);
  }

  @Test
  void cvLossThresholdIsTheRobustFenceOrLnTwo() {
    double[] losses = {1, 2, 3, 4, 100};
    // median 3, MAD 1
    assertEquals(3 + 3 * 1.4826, CvLossDetector.threshold(losses), 1e-12);
    assertEquals(Math.log(2), CvLossDetector.threshold(new double[] {0.01, 0.01, 0.02}), 1e-12);
  }
}
