package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
  /** Rounds of insertions separated by clears, checked against a HashMap after every step. */
  @Test
  void agreesWithAHashMapAcrossGrowthAndClears() {
    qt().withFixedSeed(11)
        .forAll(
            lists().of(longs().between(-40, 40)).ofSizeBetween(0, 200),
            integers().between(1, 4000),
            integers().between(0, 3))
        .checkAssert(
            (small, bulk, rounds) -> {
              LongIntMap map = new LongIntMap(16);
              for (int r = 0; r <= rounds; r++) {
                Map<Long, Integer> truth = new HashMap<>();
                // a large round grows the table; the small ones after it clear only their slots
                List<Long> keys = new java.util.ArrayList<>(small);
                if (r == 0) {
                  for (long k = 0; k < bulk; k++) {
                    keys.add(k * 7919 - 1000);
                  }
                }
                int v = 0;
                for (long k : keys) {
                  Integer before = truth.putIfAbsent(k, v);
                  assertEquals(before == null ? -1 : before, map.putIfAbsent(k, v));
                  v++;
                }
                assertEquals(truth.size(), map.size());
                for (long k = -50; k < 50; k++) {
                  assertEquals(truth.getOrDefault(k, -1), map.get(k));
                }
                for (long k : keys) {
                  assertEquals(truth.get(k), map.get(k));
                }
                map.clear();
                assertEquals(0, map.size());
                for (long k : keys) {
                  assertEquals(-1, map.get(k));
                }
              }
            });
  }
}
