package org.poisonlab.attack;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.poisonlab.io.BadInputException;

/**
 * How a dirty-label backdoor draws its carriers — the examples that get the trigger and the target
 * label — among its candidates.
 */
public enum Carriers {
  /** Uniformly without replacement, as BadNets was published (Gu, Dolan-Gavitt and Garg 2017). */
  UNIFORM("uniform"),

  /**
   * Half of the carriers (rounded down) where the trigger shows faintest, the rest uniformly: each
   * candidate's change is the Euclidean distance between its triggered copy's pixels and its own
   * ({@link org.poisonlab.data.Example#pixelDistance}, the change {@code eval} reports attack
   * success by); the faint half is taken, class by class in proportion to the candidates of each
   * class, from the candidates whose change is above 0 and below half the median, smallest first
   * (see {@code Poisoning.chooseFaint}). The faint carriers make a model learn the trigger where it
   * barely shows (a white patch over a bright garment); the uniform half keeps the poisons as
   * varied as the data. Choosing carriers whose poisoned copy is close to the clean one is the
   * proxy-free selection of Li et al. 2023 (arXiv:2306.08313). The default for a patch; images
   * only.
   */
  FAINT("faint");

  private final String jsonName;

  Carriers(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name on the command line, in recipes and in truth files. */
  public String jsonName() {
    return jsonName;
  }

  /**
   * The draw named {@code name}.
   *
   * @throws BadInputException if no draw has that name
   */
  public static Carriers parse(String name) {
    for (Carriers c : values()) {
      if (c.jsonName.equals(name)) {
        return c;
      }
    }
    throw new BadInputException(
        "unknown carrier draw '"
            + name
            + "': expected one of "
            + Arrays.stream(values()).map(Carriers::jsonName).collect(Collectors.joining(", ")));
  }
}
