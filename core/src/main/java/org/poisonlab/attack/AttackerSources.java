package org.poisonlab.attack;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.poisonlab.io.BadInputException;

/**
 * The sources (domains, contributors) an attacker posts poisons from: a small set, each poisoned
 * example's {@code source} set to one of them. This is what provenance-based defenses look for.
 *
 * @param names the sources; empty to generate {@code size} plausible domain names from the seed
 * @param size how many sources; equal to {@code names.size()} when names are given
 * @param assignment round-robin over the poisons in data order, or uniformly at random from the
 *     seed
 */
public record AttackerSources(List<String> names, int size, Assignment assignment) {
  /** How poisons are spread over the sources. */
  public enum Assignment {
    ROUND_ROBIN("round-robin"),
    RANDOM("random");

    private final String jsonName;

    Assignment(String jsonName) {
      this.jsonName = jsonName;
    }

    /** The name used in truth files: {@code round-robin} or {@code random}. */
    public String jsonName() {
      return jsonName;
    }
  }

  /** The most generated sources. */
  public static final int MAX_GENERATED = 256;

  /**
   * @throws BadInputException if a name is blank or repeated, {@code size} is not {@code
   *     names.size()} when names are given, or not in 1..{@link #MAX_GENERATED} when they are not
   */
  public AttackerSources {
    names = List.copyOf(names);
    Objects.requireNonNull(assignment, "assignment");
    if (names.isEmpty()) {
      if (size < 1 || size > MAX_GENERATED) {
        throw new BadInputException(
            "number of attacker sources " + size + " is not in 1.." + MAX_GENERATED);
      }
    } else {
      if (size != names.size()) {
        throw new BadInputException(
            "attacker sources: size " + size + " differs from the " + names.size() + " names");
      }
      HashSet<String> seen = new HashSet<>();
      for (String n : names) {
        if (n.isBlank()) {
          throw new BadInputException("attacker source name is blank");
        }
        if (!seen.add(n)) {
          throw new BadInputException("attacker source '" + n + "' is given twice");
        }
      }
    }
  }

  /** Three generated domains, round-robin: the default. */
  public static AttackerSources defaults() {
    return generated(3);
  }

  /**
   * {@code n} domains generated from the attack's seed, round-robin.
   *
   * @throws BadInputException if {@code n} is not in 1..{@link #MAX_GENERATED}
   */
  public static AttackerSources generated(int n) {
    return new AttackerSources(List.of(), n, Assignment.ROUND_ROBIN);
  }

  /**
   * The given sources, round-robin.
   *
   * @throws BadInputException if the list is empty, or a name is blank or repeated
   */
  public static AttackerSources of(List<String> names) {
    if (names.isEmpty()) {
      throw new BadInputException("attacker source list is empty");
    }
    return new AttackerSources(names, names.size(), Assignment.ROUND_ROBIN);
  }

  /** The same sources, spread over the poisons by {@code a}. */
  public AttackerSources withAssignment(Assignment a) {
    return new AttackerSources(names, size, a);
  }

  /** The names: as given, or generated from {@code rng}. */
  List<String> resolve(SplittableRandom rng) {
    return names.isEmpty() ? Names.domains(size, rng) : names;
  }
}
