package org.poisonlab.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;

/**
 * The behaviour an attribution explains: test examples whose label is not the attack's target,
 * triggered and labelled with the target.
 */
final class BehaviorSamples {
  private BehaviorSamples() {}

  /** Which non-target test examples are taken. */
  enum Sampling {
    /** A seeded draw without replacement (the demo's trace). */
    DRAWN,
    /** The first ones in test-set order (a recipe's attributors). */
    FIRST
  }

  /**
   * At most {@code limit} triggered test inputs. The one generator seeded with {@code seed} draws
   * the examples (for {@link Sampling#DRAWN}) and places the trigger, in that order per example.
   *
   * @param test the test set; not modified
   * @return a new list, empty when no test example has another label or {@code limit} is 0
   */
  static List<Example> sample(
      Dataset test, Trigger trigger, String target, int limit, long seed, Sampling sampling) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Example> out = new ArrayList<>();
    if (sampling == Sampling.FIRST) {
      for (Example e : test) {
        if (out.size() == limit) {
          break;
        }
        if (!e.label().equals(target)) {
          out.add(trigger.atTest().apply(e, rng).withLabel(target));
        }
      }
      return out;
    }
    List<Example> candidates = new ArrayList<>();
    for (Example e : test) {
      if (!e.label().equals(target)) {
        candidates.add(e);
      }
    }
    for (int i = 0; i < Math.min(limit, candidates.size()); i++) {
      int j = i + rng.nextInt(candidates.size() - i);
      Example pick = candidates.get(j);
      candidates.set(j, candidates.get(i));
      candidates.set(i, pick);
      out.add(trigger.atTest().apply(pick, rng).withLabel(target));
    }
    return out;
  }
}
