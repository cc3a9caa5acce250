package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DetectionMetricsTest {
  private static final List<String> IDS = List.of("a", "b", "c", "d", "e", "f");
  private static final double[] SCORES = {0.9, 0.8, 0.5, 0.5, 0.1, 0.0};

  @Test
  void metricsMatchHandComputedValues() {
    boolean[] flagged = {true, true, false, false, false, false};
    DetectionMetrics m = DetectionMetrics.of(IDS, SCORES, flagged, Set.of("a", "c", "not-here"));
    assertEquals(2, m.poisons());
    assertEquals(2, m.flaggedCount());
    assertEquals(0.5, m.precision(), 1e-12);
    assertEquals(0.5, m.recall(), 1e-12);
    // a beats all 4 clean; c loses to b, ties d (1/2), beats e and f: 6.5 of 8 pairs
    assertEquals(6.5 / 8, m.auroc(), 1e-12);
    // budget ceil(1.5 x 2) = 3: a, b, then c before d (tie, earlier position)
    assertEquals(1.0, m.recallAtBudget(), 1e-12);
  }

  @Test
  void tiesAtTheBudgetEdgeAreBrokenByPosition() {
    boolean[] none = new boolean[6];
    DetectionMetrics m = DetectionMetrics.of(IDS, SCORES, none, Set.of("d", "a"));
    // budget 3: a, b, c; d ties c but comes later
    assertEquals(0.5, m.recallAtBudget(), 1e-12);
    assertEquals(0, m.precision(), 0);
    assertEquals(0, m.recall(), 0);
  }

  @Test
  void aurocIsUndefinedWithoutPoisonsOrWithoutCleanExamples() {
    boolean[] none = new boolean[6];
    assertTrue(Double.isNaN(DetectionMetrics.of(IDS, SCORES, none, Set.of()).auroc()));
    assertTrue(Double.isNaN(DetectionMetrics.of(IDS, SCORES, none, Set.copyOf(IDS)).auroc()));
  }

  @Test
  void perfectRankingHasAurocOne() {
    boolean[] none = new boolean[6];
    assertEquals(1.0, DetectionMetrics.of(IDS, SCORES, none, Set.of("a", "b")).auroc(), 1e-12);
    assertEquals(0.0, DetectionMetrics.of(IDS, SCORES, none, Set.of("e", "f")).auroc(), 1e-12);
  }
}
