package org.poisonlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.io.Json;
import org.poisonlab.results.BudgetShare;
import org.poisonlab.results.DetectionRow;
import org.poisonlab.results.DetectionTable;
import org.poisonlab.results.SourcePurge;

class DefenseScanTest {
  private static DefenseScan.Scored scored(String name, double p, double r, double auroc) {
    return new DefenseScan.Scored(
        new Detection(name, new double[0], new boolean[0], null),
        new DetectionMetrics(10, 10, p, r, auroc, 0.5),
        0);
  }

  @Test
  void higherF1WinsEvenAgainstAPerfectRanking() {
    DefenseScan.Scored precise = scored("precise", 0.9, 0.9, 0.95);
    DefenseScan.Scored ranking = scored("ranking", 0.1, 1.0, 1.0);
    assertTrue(DefenseScan.better(precise, ranking));
    assertFalse(DefenseScan.better(ranking, precise));
  }

  @Test
  void equalF1IsDecidedByAurocAndAMissingAurocLoses() {
    DefenseScan.Scored a = scored("a", 0, 0, 0.7);
    DefenseScan.Scored b = scored("b", 0, 0, 0.6);
    DefenseScan.Scored none = scored("none", 0, 0, Double.NaN);
    assertTrue(DefenseScan.better(a, b));
    assertFalse(DefenseScan.better(b, a));
    assertTrue(DefenseScan.better(b, none));
    assertFalse(DefenseScan.better(a, scored("same", 0, 0, 0.7)), "a full tie keeps the first");
  }

  @Test
  void f1IsTheHarmonicMeanAndZeroWithoutHits() {
    assertEquals(0.5, DefenseScan.f1(new DetectionMetrics(4, 4, 0.5, 0.5, 0.5, 0.5)), 1e-12);
    assertEquals(2 * 0.9 * 0.6 / 1.5, scored("x", 0.9, 0.6, 0.5).f1(), 1e-12);
    assertEquals(0, DefenseScan.f1(new DetectionMetrics(4, 0, 0, 0, 0.5, 0)), 0);
  }

  @Test
  void purgeBySourceRemovesTheAttackerSourcesAndReportsTheShares() {
    // 400 clean mails from 200 sources, 60 poisons from 3 attacker sources; the detection flags 45
    // of the poisons and 8 clean mails from 8 different sources
    List<Example> xs = new ArrayList<>();
    Set<String> truth = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      xs.add(Example.ofText("clean mail " + i, i % 2 == 0 ? "ham" : "spam", "site" + (i % 200)));
    }
    for (int i = 0; i < 60; i++) {
      Example e = Example.ofText("poison " + i, "ham", "attacker" + (i % 3));
      xs.add(e);
      truth.add(e.id());
    }
    Dataset data = new Dataset("fixture", xs);
    boolean[] flagged = new boolean[xs.size()];
    for (int i = 0; i < 8; i++) {
      flagged[i * 2] = true;
    }
    for (int i = 0; i < 45; i++) {
      flagged[400 + i] = true;
    }
    Detection d = new Detection("x", new double[xs.size()], flagged, null);
    SourcePurge m = DefenseScan.bySource(data, d, truth);
    assertEquals(203, m.testedSources());
    assertEquals(3, m.removedSources());
    assertEquals(60, m.removedPoisons());
    assertEquals(1.0, m.poisonsRemovedShare());
    assertEquals(0.0, m.cleanRemovedShare());
  }

  @Test
  void theDetectionTableKeepsEachDetectorsSecondsForItsTextButNeverWritesThem() {
    List<Example> xs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      xs.add(Example.ofText("mail " + i, i % 2 == 0 ? "ham" : "spam", "site" + i));
    }
    Dataset data = new Dataset("fixture", xs);
    Set<String> truth = Set.of(xs.get(1).id());
    boolean[] flagged = {false, true, false, false};
    Detection d = new Detection("knn", new double[] {0.1, 0.9, 0.2, 0.3}, flagged, null);
    DetectionMetrics m =
        DetectionMetrics.of(data.examples().stream().map(Example::id).toList(), d, truth);
    DefenseScan.Scored knn = new DefenseScan.Scored(d, m, 2.5);
    DefenseScan.Outcome o =
        new DefenseScan.Outcome(data, truth, List.of(knn), knn, new DefenseScan.Scored(d, m, 0.01));
    DetectionRow row =
        DefenseScan.row(
            o, "backdoor", "fixture", "logreg", new BudgetShare(1, 0.25), "scans/x.json");
    DetectionTable table = new DetectionTable(0, true, "rule", null, List.of(row));

    String json = Json.pretty(table);
    assertFalse(json.contains("seconds"), json);
    assertEquals(2.5, row.detectors().get(0).seconds(), "kept for the text table");
    assertTrue(TableText.renderDetection(table).contains(" 2.5"), TableText.renderDetection(table));
  }
}
