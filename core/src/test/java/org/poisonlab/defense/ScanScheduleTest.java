package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanScheduleTest {
  private static Detector.Shared step(String key, List<String> log, Detector.Shared after) {
    return new Detector.Shared(key, () -> log.add(key), after);
  }

  /**
   * On one thread the order is the priority order: the shared steps first, each once; when one is
   * done, what reads it (the deepest in a chain first, then by submission); the detectors that
   * share nothing last.
   */
  @Test
  void sharedStepsRunOnceAheadOfTheirReadersAndLoneDetectorsFillIn() throws Exception {
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Detector.Shared model = step("model", log, null);
    Detector.Shared reps = step("representations", log, model);
    Detector.Shared folds = step("folds", log, null);
    List<ScanSchedule.Step<String>> steps = new ArrayList<>();
    try (ScanSchedule s = new ScanSchedule(1)) {
      steps.add(s.submit(folds, () -> record(log, "filter")));
      steps.add(s.submit(null, () -> record(log, "lone-1")));
      steps.add(s.submit(reps, () -> record(log, "spectral")));
      steps.add(s.submit(model, () -> record(log, "inversion")));
      steps.add(s.submit(reps, () -> record(log, "clustering")));
      steps.add(s.submit(null, () -> record(log, "lone-2")));
      steps.add(s.submit(folds, () -> record(log, "loss")));
      s.start();
      List<String> results = new ArrayList<>();
      for (ScanSchedule.Step<String> st : steps) {
        results.add(ScanSchedule.result(st));
      }
      assertEquals(
          List.of("filter", "lone-1", "spectral", "inversion", "clustering", "lone-2", "loss"),
          results);
    }
    assertEquals(
        List.of(
            "folds",
            "filter",
            "loss",
            "model",
            "representations",
            "spectral",
            "clustering",
            "inversion",
            "lone-1",
            "lone-2"),
        log);
  }

  private static String record(List<String> log, String name) {
    log.add(name);
    return name;
  }

  /** A failing shared step does not stop its readers; the reader's own failure is reported. */
  @Test
  void aFailedSharedStepLeavesTheFailureToItsReaders() throws Exception {
    Detector.Shared broken =
        new Detector.Shared(
            "broken",
            () -> {
              throw new IllegalStateException("shared step failed");
            },
            null);
    try (ScanSchedule s = new ScanSchedule(2)) {
      ScanSchedule.Step<String> reader =
          s.submit(
              broken,
              () -> {
                throw new IllegalArgumentException("reader failed on its own");
              });
      ScanSchedule.Step<String> other = s.submit(null, () -> "fine");
      s.start();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ScanSchedule.result(reader));
      assertEquals("reader failed on its own", e.getMessage());
      assertEquals("fine", ScanSchedule.result(other));
    }
  }
}
