package org.poisonlab.attribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.poisonlab.io.BadInputException;

/** The built-in attributors, by name. */
public final class Attributors {
  private Attributors() {}

  private static final Map<String, Supplier<Attributor>> BUILT_IN = new LinkedHashMap<>();

  static {
    BUILT_IN.put("gradient-dot", () -> new GradientSimilarityAttributor(false));
    BUILT_IN.put("gradient-cosine", () -> new GradientSimilarityAttributor(true));
    BUILT_IN.put("influence", InfluenceAttributor::new);
    BUILT_IN.put(TracInAttributor.NAME, () -> new TracInAttributor(null));
    BUILT_IN.put(
        TracInAttributor.SALIENCY_NAME,
        () ->
            new TracInAttributor(
                null, TracInAttributor.SALIENCY_NAME, TracInAttributor.SALIENCY_PRESET));
    BUILT_IN.put(TrakAttributor.NAME, TrakAttributor::new);
    BUILT_IN.put(RepresenterAttributor.NAME, RepresenterAttributor::new);
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
    byName(name);
    return switch (name) {
      case "influence" -> InfluenceAttributor.OPTIONS;
      case TracInAttributor.NAME, TracInAttributor.SALIENCY_NAME -> TracInAttributor.OPTIONS;
      case TrakAttributor.NAME -> TrakAttributor.OPTIONS;
      case RepresenterAttributor.NAME -> RepresenterAttributor.OPTIONS;
      default -> List.of();
    };
  }

  /** The names of the built-in attributors, in a fixed order. */
  public static List<String> names() {
    return new ArrayList<>(BUILT_IN.keySet());
  }

  /**
   * The built-in attributor of that name.
   *
   * @throws BadInputException for an unknown name, listing the known ones
   */
  public static Attributor byName(String name) {
    Supplier<Attributor> s = BUILT_IN.get(name);
    if (s == null) {
      throw new BadInputException(
          "unknown attribution method '" + name + "'; expected one of " + names());
    }
    return s.get();
  }
}
