package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class IntervalTest {

  @Test
  void matchesPublishedWilsonIntervals() {
    // Newcombe 1998, Statistics in Medicine 17:857, table I: 0/10 and 81/263
    Interval zero = Interval.wilson95(0, 10);
    assertEquals(0.0, zero.lower());
    assertEquals(0.2775, zero.upper(), 1e-4);
    Interval mid = Interval.wilson95(81, 263);
    assertEquals(0.2553, mid.lower(), 1e-4);
    assertEquals(0.3662, mid.upper(), 1e-4);
  }

  @Test
  void noTrialsGiveTheWholeRange() {
    assertEquals(new Interval(0, 1), Interval.wilson95(0, 0));
  }

  @Test
  void impossibleCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Interval.wilson95(4, 3));
    assertThrows(IllegalArgumentException.class, () -> Interval.wilson(1, 3, 0));
  }

  @Test
  void intervalHoldsTheObservedRateAndMirrorsForFailures() {
    qt().withFixedSeed(3)
        .forAll(integers().between(1, 100_000), integers().between(0, 1_000_000))
        .checkAssert(
            (n, raw) -> {
              int k = raw % (n + 1);
              Interval i = Interval.wilson95(k, n);
              assertTrue(0 <= i.lower() && i.lower() <= i.upper() && i.upper() <= 1, i.toString());
              assertTrue(i.contains((double) k / n), k + "/" + n + " not in " + i);
              Interval m = Interval.wilson95(n - k, n);
              assertEquals(1 - i.upper(), m.lower(), 1e-12);
              assertEquals(1 - i.lower(), m.upper(), 1e-12);
            });
  }
}
