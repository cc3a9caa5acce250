package org.poisonlab.attribution;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;

/**
 * What an attribution evaluation works from.
 *
 * @param model the trained model, trained on {@code train}
 * @param train its training set, not modified
 * @param test the test points (for {@code recall}: the behaviour to explain, labelled with the
 *     output to explain); may be empty for the mislabel curve
 * @param config how {@code model} was trained, used for every retraining; null for the
 *     configuration in the model's provenance
 * @param seed drives the choice of test points, the subsets and fresh initialisations
 * @param options the attributor's options, passed on unchanged
 * @param parallel retrains run at once, each training on one thread; 1 runs them one after another,
 *     each training on every core
 * @param progress one-line progress messages; null for none
 */
public record EvaluationSetup(
    DifferentiableClassifier model,
    Dataset train,
    List<Example> test,
    TrainConfig config,
    long seed,
    Map<String, String> options,
    int parallel,
    Consumer<String> progress) {
  public EvaluationSetup {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    test = test == null ? List.of() : List.copyOf(test);
    config = config == null ? model.provenance().config() : config;
    options = options == null ? Map.of() : Map.copyOf(options);
    if (parallel < 1) {
      throw new IllegalArgumentException("parallel retrains must be at least 1, not " + parallel);
    }
    progress = progress == null ? m -> {} : progress;
  }

  /** A setup with the model's own configuration, no options, retrains on every core. */
  public static EvaluationSetup of(
      DifferentiableClassifier model, Dataset train, List<Example> test, long seed) {
    return new EvaluationSetup(
        model, train, test, null, seed, Map.of(), Runtime.getRuntime().availableProcessors(), null);
  }

  /** The same setup with another number of concurrent retrains. */
  public EvaluationSetup withParallel(int newParallel) {
    return new EvaluationSetup(model, train, test, config, seed, options, newParallel, progress);
  }

  /** The same setup with other test points. */
  public EvaluationSetup withTest(List<Example> newTest) {
    return new EvaluationSetup(model, train, newTest, config, seed, options, parallel, progress);
  }
}
