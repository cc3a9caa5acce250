package org.poisonlab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.experiment.Recipe;
import org.poisonlab.experiment.RecipeRunner;
import org.poisonlab.experiment.TableText;
import org.poisonlab.io.Json;
import org.poisonlab.linalg.Matrices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poisonlab run RECIPE}: runs an experiment file and writes its run folder. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run an experiment file (a recipe, JSON or YAML): datasets, attacks and budgets, model, detectors,",
      "attributors and seeds. Writes DIR/results.json (same recipe and seed, same bytes), DIR/run.json",
      "(command, recipe hash, versions, seeds, dataset hashes, timings) and a copy of the recipe.",
      "Recipes shipped with PoisonLab are in recipes/; see docs/recipes.md for every field."
    },
    footer = {
      "%nExamples:",
      "  poisonlab run recipe.json --out runs/small",
      "  poisonlab run recipe.json --seed 3 --json"
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin JsonOption json;

  @Parameters(paramLabel = "RECIPE", description = "The recipe (.json, .yaml or .yml).")
  Path recipeFile;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Run folder (default: runs/NAME, NAME from the recipe).")
  Path out;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Run this seed instead of the recipe's seeds.")
  Long seed;

  @Override
  public Integer call() {
    long t0 = System.nanoTime();
    Recipe recipe = Recipe.read(recipeFile);
    if (seed != null) {
      recipe = recipe.withSeeds(List.of(seed));
    }
    Matrices.warmUp(); // compile the vector kernels in the background while data loads
    RecipeRunner.Result r = RecipeRunner.run(recipe, PinnedDatasets.home(), Progress.forTerminal());
    Path dir = out != null ? out : Path.of("runs", recipe.name());
    StringBuilder command = new StringBuilder("poisonlab run ").append(recipeFile);
    if (out != null) {
      command.append(" --out ").append(out);
    }
    if (seed != null) {
      command.append(" --seed ").append(seed);
    }
    RecipeRunner.writeRunFolder(dir, recipe, r, command.toString());
    org.poisonlab.report.Reports.write(dir, null); // last write: the report reads the folder
    var o = spec.commandLine().getOut();
    if (json.json) {
      double seconds = Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
      o.println(Json.pretty(new Ran(dir.toString(), recipe.name(), seconds, r.resultsJson())));
    } else if (recipe.runner() == Recipe.Runner.DEMO) {
      o.print(TableText.render(r.table()));
      o.println();
      o.println(
          "Wrote "
              + dir.resolve("results.json")
              + ", "
              + dir.resolve("run.json")
              + " and "
              + dir.resolve("report.html"));
    } else {
      o.print(StudyText.render(r.results()));
      o.println(
          "Wrote "
              + dir.resolve("results.json")
              + ", "
              + dir.resolve("run.json")
              + " and "
              + dir.resolve("report.html"));
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** The {@code --json} answer: the run folder, the recipe, the seconds and the results. */
  private record Ran(String out, String recipe, double seconds, Object results) {}
}
