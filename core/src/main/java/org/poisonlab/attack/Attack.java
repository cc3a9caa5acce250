package org.poisonlab.attack;

import org.poisonlab.data.Dataset;

/**
 * A data-poisoning attack: from a clean training set and a seed, a poisoned training set and the
 * truth about what was poisoned. Implementations of the built-in kinds come from {@link Attacks};
 * researchers may add their own.
 *
 * <p>Contract for implementations: the same clean set and seed give the same result (equal
 * examples, equal spec), the input is not modified, and every random choice comes from the seed.
 */
public interface Attack {
  /** The kind as named on the command line: {@code label-flip}, {@code backdoor}, ... */
  String kind();

  /**
   * Poisons {@code clean}.
   *
   * @param clean not modified
   * @param seed drives every random choice
   * @throws org.poisonlab.io.BadInputException if the attack cannot be applied to this data (a
   *     target label it does not hold, a budget larger than the candidates, a trigger of the wrong
   *     kind)
   */
  PoisonResult apply(Dataset clean, long seed);
}
