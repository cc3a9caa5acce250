package org.poisonlab.attack;

import java.util.Objects;
import org.poisonlab.io.BadInputException;

/** How a label-flip attack chooses new labels. */
public sealed interface FlipMode permits FlipMode.Uniform, FlipMode.ClassConditional {

  /** Victims from every class, each given a uniformly random label other than its own. */
  record Uniform() implements FlipMode {}

  /**
   * Victims only from class {@code from}, all relabelled {@code to}.
   *
   * @param from the class to take victims from
   * @param to the label they get; different from {@code from}
   */
  record ClassConditional(String from, String to) implements FlipMode {
    /**
     * @throws BadInputException if {@code from} equals {@code to}
     */
    public ClassConditional {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      if (from.equals(to)) {
        throw new BadInputException(
            "class-conditional label flip from '" + from + "' to itself changes nothing");
      }
    }
  }

  /** Symmetric noise: every victim gets a uniformly random other label. */
  static FlipMode uniform() {
    return new Uniform();
  }

  /**
   * Class-conditional noise: victims from {@code from}, relabelled {@code to}.
   *
   * @throws BadInputException if the two labels are equal
   */
  static FlipMode classConditional(String from, String to) {
    return new ClassConditional(from, to);
  }
}
