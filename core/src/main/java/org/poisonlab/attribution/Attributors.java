package org.poisonlab.attribution;

import java.util.List;
import java.util.function.Supplier;
import org.poisonlab.io.BadInputException;

/** The built-in attributors, by name. */
public final class Attributors {
  private Attributors() {}

  /**
   * One built-in attribution method: its name, its option names (kebab-case; values are checked
   * when it runs) and its factory. This list is the one place a method is registered.
   */
  private record Entry(String name, List<String> options, Supplier<Attributor> make) {}

  private static final List<Entry> BUILT_IN =
      List.of(
          new Entry("gradient-dot", List.of(), () -> new GradientSimilarityAttributor(false)),
          new Entry("gradient-cosine", List.of(), () -> new GradientSimilarityAttributor(true)),
          new Entry("influence", InfluenceAttributor.OPTIONS, InfluenceAttributor::new),
          new Entry(
              TracInAttributor.NAME, TracInAttributor.OPTIONS, () -> new TracInAttributor(null)),
          new Entry(
              TracInAttributor.SALIENCY_NAME,
              TracInAttributor.OPTIONS,
              () ->
                  new TracInAttributor(
                      null, TracInAttributor.SALIENCY_NAME, TracInAttributor.SALIENCY_PRESET)),
          new Entry(TrakAttributor.NAME, TrakAttributor.OPTIONS, TrakAttributor::new),
          new Entry(
              RepresenterAttributor.NAME,
              RepresenterAttributor.OPTIONS,
              RepresenterAttributor::new));

  /**
   * The method {@code trace} uses when none is named, for the question asked:
   *
   * <ul>
   *   <li>a behaviour to explain, and the model records its training settings (so checkpoints can
   *       be rebuilt): {@code tracin-saliency}, TracIn over rebuilt checkpoints with the behaviour
   *       examples' most salient inputs;
   *   <li>a behaviour, a model without its training settings (a model from elsewhere): {@code
   *       gradient-cosine}, which needs the final model alone;
   *   <li>no behaviour (screening the training set on its own): {@code gradient-dot}, each
   *       example's self-influence, its squared loss-gradient norm.
   * </ul>
   */
  public static String defaultMethod(boolean behaviour, boolean trainingSettings) {
    if (!behaviour) {
      return "gradient-dot";
    }
    return trainingSettings ? TracInAttributor.SALIENCY_NAME : "gradient-cosine";
  }

  /**
   * TracInCP over the given checkpoints instead of checkpoints rebuilt by retraining.
   *
   * @param checkpoints from {@link org.poisonlab.model.Trainers#trainWithCheckpoints}, in training
   *     order; copied
   * @throws IllegalArgumentException if empty
   */
  public static Attributor tracIn(List<org.poisonlab.model.Checkpoint> checkpoints) {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException("tracin needs at least one checkpoint");
    }
    return new TracInAttributor(checkpoints);
  }

  /**
   * A TracIn attributor by name ({@code tracin}, or {@code tracin-saliency} with its preset
   * options) over the given checkpoints instead of checkpoints rebuilt by retraining.
   *
   * @param checkpoints from {@link org.poisonlab.model.Trainers#trainWithCheckpoints}, in training
   *     order; copied
   * @throws BadInputException if {@code name} is neither
   * @throws IllegalArgumentException if {@code checkpoints} is empty
   */
  public static Attributor tracIn(String name, List<org.poisonlab.model.Checkpoint> checkpoints) {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException("tracin needs at least one checkpoint");
    }
    return switch (name) {
      case TracInAttributor.NAME -> new TracInAttributor(checkpoints);
      case TracInAttributor.SALIENCY_NAME ->
          new TracInAttributor(
              checkpoints, TracInAttributor.SALIENCY_NAME, TracInAttributor.SALIENCY_PRESET);
      default ->
          throw new BadInputException(
              "'" + name + "' is not a TracIn method; expected tracin or tracin-saliency");
    };
  }

  /**
   * The options the built-in attributor {@code name} takes ({@link AttributionRequest#options}), in
   * a fixed order; empty for one without options. Values are checked when it runs.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static List<String> optionNames(String name) {
    return entry(name).options();
  }

  /** The names of the built-in attributors, in a fixed order. */
  public static List<String> names() {
    return BUILT_IN.stream().map(Entry::name).toList();
  }

  private static Entry entry(String name) {
    for (Entry e : BUILT_IN) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new BadInputException(
        "unknown attribution method '" + name + "'; expected one of " + names());
  }

  /**
   * The built-in attributor of that name.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static Attributor byName(String name) {
    return entry(name).make().get();
  }
}
