package org.poisonlab.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.poisonlab.attack.Attack;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Detectors;
import org.poisonlab.experiment.Recipe.AttackSpec;
import org.poisonlab.experiment.Recipe.DataSpec;
import org.poisonlab.io.BadInputException;

/**
 * A study recipe's inputs: its datasets resolved and cut to size, its attacks, triggers and labels
 * built and checked against the data before any training. Errors name the recipe file.
 */
final class StudyInputs {
  private static final Pattern PINNED = Pattern.compile("[a-z0-9-]+:(train|test)");

  private final Recipe recipe;
  private final Path home;
  private final Consumer<String> progress;

  StudyInputs(Recipe recipe, Path home, Consumer<String> progress) {
    this.recipe = recipe;
    this.home = home;
    this.progress = progress;
  }

  Dataset resolve(String spec) {
    if (PINNED.matcher(spec).matches()) {
      return PinnedDatasets.resolve(spec, home, progress);
    }
    Path p = Path.of(spec);
    Path base = recipe.file().toAbsolutePath().getParent();
    if (!p.isAbsolute() && base != null) {
      p = base.resolve(p).normalize();
    }
    return PinnedDatasets.resolve(p.toString(), home, progress);
  }

  /** Checks labels, triggers and detectors against the data before any training. */
  void check(DataSpec data, Dataset train) {
    for (AttackSpec spec : recipe.attacks()) {
      if (spec.targeted()) {
        trigger(spec, train);
      }
      if (spec.target() != null) {
        label(spec.target(), data, train, "target");
      }
      if (spec.fromLabel() != null) {
        label(spec.fromLabel(), data, train, "from_label");
      }
    }
    for (Recipe.Method m : recipe.detectors()) {
      String name = m.name();
      if (!name.equals(Recipe.Method.DEFAULT_SCAN) && !Detectors.byName(name).appliesTo(train)) {
        throw new BadInputException(
            recipe.file(),
            0,
            "detector "
                + name
                + " does not apply to dataset "
                + data.name()
                + " ("
                + train.kind().name().toLowerCase(Locale.ROOT)
                + ")");
      }
    }
  }

  /**
   * {@code limit} examples chosen by id: those whose ids (content hashes) sort first, kept in their
   * original order. A fixed, seed-independent sample that does not depend on the file's order (the
   * SpamAssassin split, for one, lists ham before spam).
   */
  static Dataset limit(Dataset d, int limit) {
    if (limit == 0 || limit >= d.size()) {
      return d;
    }
    Integer[] order = new Integer[d.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (x, y) -> {
          int c = d.get(x).id().compareTo(d.get(y).id());
          return c != 0 ? c : Integer.compare(x, y);
        });
    int[] keep = new int[limit];
    for (int i = 0; i < limit; i++) {
      keep[i] = order[i];
    }
    java.util.Arrays.sort(keep);
    List<Example> out = new ArrayList<>(limit);
    for (int i : keep) {
      out.add(d.get(i));
    }
    return new Dataset(d.name() + "[" + limit + " by id]", out);
  }

  static Attack attack(AttackSpec spec, Budget budget, Trigger trigger) {
    return Attacks.named(
        spec.kind(),
        new Attacks.Args(
            budget,
            trigger,
            spec.target(),
            spec.fromLabel(),
            spec.phrase() != null ? spec.phrase() : spec.trigger(),
            spec.twins(),
            spec.cover(),
            spec.harden(),
            spec.carriers(),
            AttackerSources.defaults()));
  }

  Trigger trigger(AttackSpec spec, Dataset train) {
    String t = spec.kind().equals("semantic") && spec.phrase() != null ? spec.phrase() : null;
    if (t == null) {
      t = spec.trigger();
    }
    try {
      if (t == null) {
        return Attacks.defaultTrigger(spec.kind(), train, new java.util.SplittableRandom(0));
      }
      return Trigger.parse(t, train.kind());
    } catch (BadInputException e) {
      throw new BadInputException(
          recipe.file(), 0, "trigger of attack " + spec.kind() + ": " + e.problem());
    }
  }

  private String label(String label, DataSpec data, Dataset train, String field) {
    if (train.labelIndex(label) < 0) {
      throw new BadInputException(
          recipe.file(),
          0,
          "field \""
              + field
              + "\": label '"
              + label
              + "' is not in dataset "
              + data.name()
              + " (labels "
              + train.labels()
              + ")");
    }
    return label;
  }
}
