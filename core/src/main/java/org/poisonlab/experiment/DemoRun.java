package org.poisonlab.experiment;

import java.util.List;
import org.poisonlab.data.Dataset;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.NeuralCleanseConfig;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.TrainConfig;

/**
 * What every row of one demo run shares: its options, the seed of every step, and how each model
 * family is configured and trained. Immutable, so rows running side by side may share it.
 */
final class DemoRun {
  final Demo.Options options;

  DemoRun(Demo.Options options) {
    this.options = options;
  }

  boolean quick() {
    return options.quick();
  }

  void progress(String message) {
    options.progress().accept(message);
  }

  /** A seed for one step, derived from the demo seed (see {@link StepSeeds}). */
  long derive(String kind, String dataset, String what, int index) {
    return StepSeeds.derive(options.seed(), kind, dataset, what, index);
  }

  /** The setting's model configuration; the quick demo halves the MLP's epochs. */
  TrainConfig config(DemoSetting s) {
    TrainConfig c = TrainConfig.defaults(s.model, s.train.kind());
    if (quick() && s.model.equals("mlp")) {
      c = c.withEpochs(Math.max(1, c.epochs() / 2));
    }
    return c;
  }

  /** The safety fine-tune: a few epochs of plain SGD. */
  TrainConfig fineTuneConfig(DemoSetting s) {
    return TrainConfig.defaults(s.model, s.train.kind())
        .withOptimizer("sgd")
        .withEpochs(Demo.FINE_TUNE_EPOCHS)
        .withLearningRate(Demo.FINE_TUNE_LEARNING_RATE);
  }

  /** Trains the setting's model on {@code data} from scratch, seeded by the step. */
  Classifier train(DemoSetting s, Dataset data, String what, int index) {
    return Retraining.train(data, config(s), derive("train", s.dataset, what, index), null);
  }

  /** Trains as {@link #train} does and keeps the checkpoints; the last holds the model. */
  List<Checkpoint> trainWithCheckpoints(DemoSetting s, Dataset data, String what, int index) {
    return Retraining.trainWithCheckpoints(
        data, config(s), derive("train", s.dataset, what, index));
  }

  /** Images Neural Cleanse inverts its triggers on in the quick demo (1,000 by default). */
  static final int QUICK_TRIGGER_INVERSION_SAMPLE = 500;

  /**
   * The detectors a row runs on {@code poisoned}: the applicable ones that {@link #runs} keeps, in
   * registry order; in the quick demo Neural Cleanse inverts its triggers on {@value
   * #QUICK_TRIGGER_INVERSION_SAMPLE} sampled images.
   */
  List<Detector> detectors(Dataset poisoned, String attack) {
    return Detectors.applicable(poisoned).stream()
        .filter(d -> runs(d, attack))
        .map(
            d ->
                quick() && d.name().equals("neural-cleanse")
                    ? Detectors.neuralCleanse(
                        NeuralCleanseConfig.defaults()
                            .withSampleSize(QUICK_TRIGGER_INVERSION_SAMPLE))
                    : d)
        .toList();
  }

  /**
   * Whether the row runs detector {@code d}: every applicable detector, except in the quick demo,
   * which leaves out the all-pairs k-NN, runs the cross-validated filters only against label
   * flipping, the attack they are for, and the trigger scanners (n-gram and pixel association,
   * trigger inversion) only against the attacks that plant a trigger. Detectors registered later
   * run everywhere.
   */
  private boolean runs(Detector d, String attack) {
    if (!quick()) {
      return true;
    }
    if (d.name().equals("knn")) {
      return false;
    }
    boolean flipping = attack.equals("label-flip");
    boolean crossValidated = d.name().equals("confident-learning") || d.name().equals("cv-loss");
    if (crossValidated) {
      return flipping;
    }
    boolean triggerScan =
        d.name().equals("ngram-association")
            || d.name().equals("pixel-association")
            || d.name().equals("neural-cleanse");
    return !(triggerScan && flipping);
  }
}
