package org.poisonlab.attack;

import java.util.LinkedHashMap;
import java.util.Map;
import org.poisonlab.io.BadInputException;

/**
 * How many examples an attacker may poison: a share of the training set ({@link Rate}) or a fixed
 * number ({@link Count}).
 *
 * <p>A rate is always a share of the whole training set, the usual meaning of "poisoning rate" (Gu
 * et al. 2017, BadNets): 1 % of 60,000 images is 600 poisons, even when only 54,000 of them may be
 * chosen as victims. The pool the victims are drawn from (the candidates) only bounds the count.
 */
public sealed interface Budget permits Budget.Rate, Budget.Count {

  /**
   * A share of the training set.
   *
   * @param rate in (0, 1]
   */
  record Rate(double rate) implements Budget {
    /**
     * @throws BadInputException if {@code rate} is not in (0, 1] (NaN included)
     */
    public Rate {
      if (!(rate > 0 && rate <= 1)) {
        throw new BadInputException("budget rate " + rate + " is not in (0, 1]");
      }
    }

    @Override
    public int count(int total, int candidates) {
      checkSizes(total, candidates);
      long k = Math.max(1, Math.round(rate * total));
      if (k > candidates) {
        throw new BadInputException(
            "budget rate "
                + rate
                + " of "
                + total
                + " examples asks for "
                + k
                + " poisons, more than the "
                + candidates
                + " candidates");
      }
      return (int) k;
    }

    @Override
    public Map<String, Number> toJson() {
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("rate", rate);
      return m;
    }
  }

  /**
   * A fixed number of examples.
   *
   * @param count at least 1
   */
  record Count(int count) implements Budget {
    /**
     * @throws BadInputException if {@code count} is below 1
     */
    public Count {
      if (count < 1) {
        throw new BadInputException("budget count " + count + " is below 1");
      }
    }

    @Override
    public int count(int total, int candidates) {
      checkSizes(total, candidates);
      if (count > candidates) {
        throw new BadInputException(
            "budget count " + count + " is more than the " + candidates + " candidates");
      }
      return count;
    }

    @Override
    public Map<String, Number> toJson() {
      Map<String, Number> m = new LinkedHashMap<>();
      m.put("count", count);
      return m;
    }
  }

  /**
   * A rate budget.
   *
   * @throws BadInputException if {@code rate} is not in (0, 1]
   */
  static Budget ofRate(double rate) {
    return new Rate(rate);
  }

  /**
   * A count budget.
   *
   * @throws BadInputException if {@code count} is below 1
   */
  static Budget ofCount(int count) {
    return new Count(count);
  }

  /**
   * The number of poisons when the candidates are the whole set: {@code count(n, n)}.
   *
   * @throws BadInputException if the budget asks for more examples than there are candidates
   */
  default int count(int candidates) {
    return count(candidates, candidates);
  }

  /**
   * The number of poisons for a training set of {@code total} examples of which {@code candidates}
   * may be poisoned: for a rate, {@code rate × total} rounded half up and at least 1; for a count,
   * the count.
   *
   * @throws BadInputException if that is more than {@code candidates}; the message names both
   * @throws IllegalArgumentException if {@code candidates} is negative or more than {@code total}
   */
  int count(int total, int candidates);

  /** The budget as asked for, as a JSON object: {@code {"rate": r}} or {@code {"count": k}}. */
  Map<String, Number> toJson();

  private static void checkSizes(int total, int candidates) {
    if (candidates < 0 || candidates > total) {
      throw new IllegalArgumentException(
          "candidates " + candidates + " must be in [0, total " + total + "]");
    }
  }
}
