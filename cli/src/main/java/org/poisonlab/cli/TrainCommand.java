package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.poisonlab.data.Dataset;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.Models;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab train}: trains a model (or fine-tunes one with {@code --init}) and saves it. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a classifier on a training set, or fine-tune an existing one (--init), and save it with its provenance.",
    footer = {
      "%nExamples:",
      "  poisonlab train --train train.jsonl --model logreg --out clean.model --test test.jsonl",
      "  poisonlab train --train images.jsonl --model mlp --out images.model --epochs 2",
      "  poisonlab train --train train.jsonl --init poisoned.model --out safety.model --epochs 3 --json"
    })
final class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "F",
      description = "Training set: JSONL file or NAME:SPLIT.")
  String train;

  @Option(
      names = "--model",
      defaultValue = "logreg",
      paramLabel = "KIND",
      completionCandidates = TrainCommand.ModelNames.class,
      description =
          "A model family: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; with --init, the init model's kind).")
  String model;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "Where to save the model.")
  Path out;

  @Option(
      names = "--init",
      paramLabel = "MODEL",
      description = "Fine-tune from this model: its parameters, featurizer and labels.")
  Path init;

  @Option(
      names = "--test",
      paramLabel = "F",
      description = "Also report accuracy on this test set.")
  String test;

  @Option(
      names = "--optimizer",
      paramLabel = "O",
      description = "lbfgs, adam, sgd or nesterov (deep families) (default: the model's).")
  String optimizer;

  @Option(names = "--epochs", paramLabel = "N", description = "Passes over the data for adam/sgd.")
  Integer epochs;

  @Option(names = "--lr", paramLabel = "X", description = "Learning rate for adam/sgd.")
  Double learningRate;

  @Option(names = "--l2", paramLabel = "X", description = "L2 penalty on the weights.")
  Double l2;

  @Option(names = "--max-iterations", paramLabel = "N", description = "Iteration cap for lbfgs.")
  Integer maxIterations;

  @Option(
      names = "--widths",
      split = ",",
      paramLabel = "W,W",
      description =
          "Layer widths: mlp its hidden layers (one or two); cnn filters of its two convolutions"
              + " and its dense width; textcnn embedding width and filters; transformer model"
              + " and feed-forward widths.")
  int[] widths;

  @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size for adam/sgd.")
  Integer batchSize;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    Matrices.warmUp(); // compile the vector kernels in the background while data loads
    Progress progress = Progress.forTerminal();
    Dataset data = Inputs.dataset(train);
    Classifier initModel = init == null ? null : Models.load(init);
    String kind = initModel != null ? initModel.kind() : model;
    TrainConfig cfg = TrainConfig.defaults(kind, data.kind());
    if (optimizer != null) {
      cfg = cfg.withOptimizer(optimizer);
    }
    if (epochs != null) {
      cfg = cfg.withEpochs(epochs);
    }
    if (learningRate != null) {
      cfg = cfg.withLearningRate(learningRate);
    }
    if (l2 != null) {
      cfg = cfg.withL2(l2);
    }
    if (maxIterations != null) {
      cfg = cfg.withMaxIterations(maxIterations);
    }
    if (widths != null) {
      cfg = cfg.withHidden(widths);
    }
    if (batchSize != null) {
      if (batchSize < 1) {
        throw new BadInputException("--batch-size must be at least 1, not " + batchSize);
      }
      cfg = cfg.withBatchSize(batchSize);
    }
    long t1 = System.nanoTime();
    Classifier m = Trainers.train(data, cfg, seed.seed, initModel, progress);
    long t2 = System.nanoTime();
    Models.save(m, out);
    EvalReport report = null;
    if (test != null) {
      report = Evaluation.evaluate(m, Inputs.source(test), null, null, seed.seed);
    }
    long t3 = System.nanoTime();
    var o = spec.commandLine().getOut();
    if (json.json) {
      o.println(
          Json.pretty(
              new TrainJson(
                  kind,
                  data.size(),
                  out.toString(),
                  report == null ? null : report.accuracy(),
                  report == null ? null : report.n(),
                  new Seconds((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t0) / 1e9))));
    } else {
      o.printf(
          "trained %s on %d examples in %.2f s; saved %s%n",
          kind, data.size(), (t2 - t1) / 1e9, out);
      if (report != null) {
        o.printf("test accuracy %.4f (n = %d)%n", report.accuracy(), report.n());
      }
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** The registered model families, for help and completion. */
  static final class ModelNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Models.names().iterator();
    }
  }

  /** {@code train --json}; {@code accuracy} and {@code n} only with {@code --test}. */
  record TrainJson(
      String model,
      int examples,
      String out,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double accuracy,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer n,
      Seconds seconds) {}

  /** Wall-clock seconds of each step. */
  record Seconds(double load, double train, double total) {}
}
