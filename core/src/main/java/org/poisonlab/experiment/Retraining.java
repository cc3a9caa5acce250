package org.poisonlab.experiment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Purges;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/** Training, and purging then retraining, for every runner: the one place that calls a trainer. */
final class Retraining {
  private Retraining() {}

  /**
   * Trains a model on {@code data} with {@code config} and {@code seed}, from scratch or, when
   * {@code init} is not null, fine-tuning a copy of {@code init} (not modified).
   */
  static DifferentiableClassifier train(
      Dataset data, TrainConfig config, long seed, Classifier init) {
    return Trainers.train(data, config, seed, init, null);
  }

  /**
   * Trains as {@link #train} does from scratch (the last checkpoint holds the same model) and keeps
   * the checkpoints along the way ({@link Trainers#trainWithCheckpoints}).
   */
  static List<Checkpoint> trainWithCheckpoints(Dataset data, TrainConfig config, long seed) {
    return Trainers.trainWithCheckpoints(data, config, seed, null, null);
  }

  /**
   * What purging left and how the retrained model did.
   *
   * @param purge what was removed and kept
   * @param poisonsRemoved how many of the truth's poisons the purge removed
   * @param eval the retrained model on the test set, or null when the purge kept nothing
   */
  record Retrained(Purges.PurgeResult purge, int poisonsRemoved, EvalReport eval) {}

  /**
   * Counts the poisons {@code purge} removed, retrains on what it kept with {@code retrain} and
   * evaluates the new model as {@code on} says. Nothing is retrained when the purge kept nothing.
   */
  static Retrained retrain(
      Purges.PurgeResult purge,
      Set<String> truth,
      Function<Dataset, Classifier> retrain,
      Evaluated on) {
    Set<String> kept = new HashSet<>();
    for (Example e : purge.kept()) {
      kept.add(e.id());
    }
    int removed = 0;
    for (String id : truth) {
      removed += kept.contains(id) ? 0 : 1;
    }
    if (purge.kept().isEmpty()) {
      return new Retrained(purge, removed, null);
    }
    Classifier model = retrain.apply(purge.kept());
    return new Retrained(purge, removed, on.of(model));
  }

  /**
   * How a model is evaluated: on {@code test}, with the attack's trigger and target (both null for
   * an untargeted attack), with {@code seed} for the trigger's random placement.
   */
  record Evaluated(Dataset test, Trigger trigger, String target, long seed) {
    /** The same evaluation with another seed. */
    Evaluated withSeed(long newSeed) {
      return new Evaluated(test, trigger, target, newSeed);
    }

    EvalReport of(Classifier model) {
      return Evaluation.evaluate(model, test, trigger, target, seed);
    }
  }
}
