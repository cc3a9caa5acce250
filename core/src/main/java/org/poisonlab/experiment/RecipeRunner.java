package org.poisonlab.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.attribution.Attribution;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.Findings;
import org.poisonlab.defense.Purges;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.eval.McNemar;
import org.poisonlab.experiment.Recipe.AttackSpec;
import org.poisonlab.experiment.Recipe.DataSpec;
import org.poisonlab.io.AtomicFiles;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.results.DemoTable;
import org.poisonlab.results.DetectionTable;
import org.poisonlab.results.MethodResult;
import org.poisonlab.results.StudyPurge;
import org.poisonlab.results.StudyResults;
import org.poisonlab.results.StudyRun;
import org.poisonlab.results.StudyScore;

/**
 * Runs a {@link Recipe}. The study runner does, for every seed, dataset, attack and budget: plant
 * the poison, train on the poisoned set, evaluate against a model trained on the clean set
 * (accuracy, attack success rate, McNemar test, docs/metrics.md), then for every detector scan the
 * poisoned set, score the scan against the truth, purge what it flagged and retrain; and for every
 * attributor explain the triggered test inputs (self-influence for label flipping), remove the top
 * 1.5 × poison-count training examples and retrain. The demo runner runs {@link Demo}.
 *
 * <p>Every random choice comes from a seed derived from the recipe seed and the step's place in the
 * study, so the same recipe and seed give byte-identical results JSON. Timings go to {@code
 * run.json} only.
 */
public final class RecipeRunner {
  /**
   * What a run produced.
   *
   * @param results a study's {@code results.json} content (no timings: same seed, same bytes); null
   *     for the demo runner
   * @param table the demo runner's table ({@code table.json}, also its {@code results.json}); null
   *     for a study
   * @param datasets content hash of every dataset used, by name as loaded
   * @param timings seconds per step and in all
   * @param files the run folder's scan and trace files by relative path ({@code scans/NAME.json},
   *     {@code traces/NAME.json}): every detector's scan and every attributor's trace of every
   *     point, in scan-file format with the truth and the top examples inside; same seed, same
   *     content
   * @param detection for the demo runner, the {@code detection.json} content (every detector on
   *     every row, with seconds); null for a study
   */
  public record Result(
      StudyResults results,
      DemoTable table,
      Map<String, String> datasets,
      Map<String, Double> timings,
      Map<String, Map<String, Object>> files,
      DetectionTable detection) {

    /** What {@code results.json} holds: the study's results or the demo's table. */
    public Object resultsJson() {
      return table != null ? table : results;
    }
  }

  private final Recipe recipe;
  private final Path home;
  private final Consumer<String> progress;
  private final Map<String, String> datasetHashes = new LinkedHashMap<>();
  private final Timings timings = new Timings();
  private final Map<String, Map<String, Object>> files = new LinkedHashMap<>();
  private int pointsDone;
  private int pointsTotal;

  private final Path folder;
  private final StudyInputs inputs;

  private RecipeRunner(Recipe recipe, Path home, Consumer<String> progress, Path folder) {
    this.recipe = recipe;
    this.home = home;
    this.progress = progress == null ? m -> {} : progress;
    this.folder = folder;
    this.inputs = new StudyInputs(recipe, home, this.progress);
  }

  /**
   * Runs the recipe. Nothing is written; see {@link #writeRunFolder}.
   *
   * @param home the pinned-dataset cache
   * @param progress one-line progress messages, or null
   * @throws BadInputException for a dataset that cannot be read, a label the data does not have, a
   *     detector that does not apply to the data, and the like; recipe errors name the recipe file
   */
  public static Result run(Recipe recipe, Path home, Consumer<String> progress) {
    return new RecipeRunner(recipe, home, progress, null).run();
  }

  /**
   * Runs the recipe like {@link #run(Recipe, Path, Consumer)}; the demo runner also writes its
   * per-row files into {@code folder} as it goes: {@code scans/ATTACK-DATASET.json}, {@code
   * traces/ATTACK-DATASET.json} and {@code provenance/verify-ATTACK-DATASET.json}.
   *
   * @param folder the run folder for the demo's per-row files, or null to write none
   */
  public static Result run(Recipe recipe, Path home, Consumer<String> progress, Path folder) {
    return new RecipeRunner(recipe, home, progress, folder).run();
  }

  /**
   * Writes a run folder (recipes.md): {@code results.json}, {@code run.json} (command, recipe file
   * and its SHA-256, seeds, environment, dataset hashes, timings), a copy of the recipe, and the
   * scan and trace files of {@link Result#files} ({@code scans/}, {@code traces/}); the demo runner
   * also writes {@code table.json}. Every file is written to a temporary name and renamed. The
   * recipe file is not modified.
   *
   * @throws java.io.UncheckedIOException if the folder cannot be written
   */
  public static void writeRunFolder(Path dir, Recipe recipe, Result result, String command) {
    byte[] recipeBytes;
    try {
      recipeBytes = Files.readAllBytes(recipe.file());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + recipe.file() + ": " + e.getMessage(), e);
    }
    String copyName = LocatedTree.isYaml(recipe.file()) ? "recipe.yaml" : "recipe.json";
    AtomicFiles.write(dir.resolve(copyName), out -> out.write(recipeBytes));
    Json.write(dir.resolve("results.json"), result.resultsJson());
    for (Map.Entry<String, Map<String, Object>> f : result.files().entrySet()) {
      Json.write(dir.resolve(f.getKey()), f.getValue());
    }
    if (recipe.runner() == Recipe.Runner.DEMO) {
      Json.write(dir.resolve("table.json"), result.table());
    }
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("command", command);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("file", recipe.file().toString());
    r.put("name", recipe.name());
    r.put("sha256", sha256(recipeBytes));
    r.put("copy", copyName);
    run.put("recipe", r);
    run.put("seeds", recipe.seeds());
    run.put("environment", RunInfo.environment());
    run.put("datasets", result.datasets());
    run.put("seconds", result.timings());
    Json.write(dir.resolve("run.json"), run);
  }

  // ---------------------------------------------------------------- running

  private Result run() {
    long t0 = System.nanoTime();
    StudyResults results = null;
    DemoTable table = null;
    DetectionTable detection = null;
    if (recipe.runner() == Recipe.Runner.DEMO) {
      if (recipe.seeds().size() != 1) {
        throw new BadInputException(
            recipe.file(), 0, "the demo runner takes exactly one seed, got " + recipe.seeds());
      }
      Demo.Result d =
          Demo.run(
              new Demo.Options(
                  recipe.quick(),
                  recipe.seeds().get(0),
                  home,
                  progress,
                  folder,
                  recipe.demoModels()));
      datasetHashes.putAll(d.datasets());
      timings.putAll(d.timings());
      table = d.table();
      detection = d.detection();
    } else {
      results = study();
    }
    timings.put("total", Timings.since(t0));
    return new Result(results, table, datasetHashes, timings.asMap(), files, detection);
  }

  private StudyResults study() {
    List<StudyResults.StudyDataset> datasetsJson = new ArrayList<>();
    List<StudyRun> runs = new ArrayList<>();
    List<Loaded> loaded = new ArrayList<>();
    for (DataSpec spec : recipe.datasets()) {
      Loaded l = load(spec);
      inputs.check(l.spec, l.train);
      loaded.add(l);
      datasetsJson.add(
          new StudyResults.StudyDataset(
              spec.name(),
              l.train.contentHash(),
              l.train.size(),
              l.test.contentHash(),
              l.test.size()));
    }
    int budgets = 0;
    for (AttackSpec a : recipe.attacks()) {
      budgets += a.budgets().size();
    }
    pointsTotal = recipe.seeds().size() * loaded.size() * budgets;
    for (long seed : recipe.seeds()) {
      for (Loaded l : loaded) {
        runs.addAll(timings.time(l.spec.name() + "/seed " + seed, () -> studyOne(seed, l)));
      }
    }
    return new StudyResults(
        recipe.name(),
        recipe.model(),
        recipe.seeds(),
        recipe.purge().name().toLowerCase(Locale.ROOT),
        datasetsJson,
        runs);
  }

  private record Loaded(DataSpec spec, Dataset train, Dataset test) {}

  private Loaded load(DataSpec spec) {
    progress.accept(spec.name() + ": loading");
    Dataset train = StudyInputs.limit(inputs.resolve(spec.train()), recipe.trainLimit());
    Dataset test = StudyInputs.limit(inputs.resolve(spec.test()), recipe.testLimit());
    datasetHashes.put(train.name(), train.contentHash());
    datasetHashes.put(test.name(), test.contentHash());
    return new Loaded(spec, train, test);
  }

  private List<StudyRun> studyOne(long seed, Loaded l) {
    String ds = l.spec.name();
    TrainConfig cfg = TrainConfig.defaults(recipe.model(), l.train.kind());
    progress.accept(ds + ": training the clean " + recipe.model());
    DifferentiableClassifier clean =
        Retraining.train(l.train, cfg, StepSeeds.derive(seed, "train", ds, "clean", 0), null);
    List<StudyRun> rows = new ArrayList<>();
    for (int a = 0; a < recipe.attacks().size(); a++) {
      AttackSpec spec = recipe.attacks().get(a);
      String what = a + ":" + spec.kind();
      Trigger trigger = spec.targeted() ? inputs.trigger(spec, l.train) : null;
      String target = spec.targeted() ? spec.target() : null;
      EvalReport cleanEval =
          Evaluation.evaluate(
              clean, l.test, trigger, target, StepSeeds.derive(seed, "eval", ds, what, 0));
      for (int b = 0; b < spec.budgets().size(); b++) {
        Budget budget = spec.budgets().get(b);
        progress.accept(
            "run "
                + ++pointsDone
                + " of "
                + pointsTotal
                + ": "
                + ds
                + " "
                + spec.kind()
                + " "
                + budget.toJson());
        Retraining.Evaluated eval =
            new Retraining.Evaluated(
                l.test, trigger, target, StepSeeds.derive(seed, "eval", ds, what, 0));
        rows.add(point(new Step(seed, l, spec, what, b, budget, cfg, eval), clean, cleanEval));
      }
    }
    return rows;
  }

  /**
   * One sweep point of a study: the run seed, the dataset, the attack (its place {@code what} in
   * the recipe) and budget (its index {@code b}), the training configuration and how models are
   * evaluated.
   */
  private record Step(
      long seed,
      Loaded l,
      AttackSpec spec,
      String what,
      int b,
      Budget budget,
      TrainConfig cfg,
      Retraining.Evaluated eval) {
    String ds() {
      return l.spec.name();
    }
  }

  private StudyRun point(Step step, DifferentiableClassifier clean, EvalReport cleanEval) {
    long seed = step.seed();
    Loaded l = step.l();
    AttackSpec spec = step.spec();
    String what = step.what();
    int b = step.b();
    Budget budget = step.budget();
    Trigger trigger = step.eval().trigger();
    String target = step.eval().target();
    String ds = step.ds();
    PoisonResult pr =
        StudyInputs.attack(spec, budget, trigger)
            .apply(l.train, StepSeeds.derive(seed, "attack", ds, what, b));
    Dataset poisonedSet = pr.poisoned();
    Set<String> truth = new HashSet<>(pr.ids());
    DifferentiableClassifier poisoned =
        Retraining.train(
            poisonedSet, step.cfg(), StepSeeds.derive(seed, "train", ds, what, b), null);
    EvalReport pe = step.eval().of(poisoned);
    McNemar.Result mc = Evaluation.compare(clean, poisoned, l.test);

    List<String> ids = poisonedSet.examples().stream().map(Example::id).toList();
    List<MethodResult> dets = new ArrayList<>();
    for (Recipe.Method method : recipe.detectors()) {
      String name = method.name();
      if (name.equals(Recipe.Method.DEFAULT_SCAN)) {
        dets.addAll(defaultScan(step, method, poisonedSet, poisoned, truth, pr));
        continue;
      }
      Detector d = Detectors.byName(name, method.options());
      progress.accept(ds + ": scanning with " + name);
      Detection det =
          d.scan(
              poisonedSet,
              new ScanContext(
                  StepSeeds.derive(seed, "scan", ds, what + "/" + name, b), poisoned, progress));
      DetectionMetrics dm = DetectionMetrics.of(ids, det, truth);
      keep(
          "scans",
          spec,
          ds,
          budget,
          seed,
          name,
          ScanFiles.toJson(poisonedSet, List.of(det), Findings.DEFAULT_FDR),
          pr);
      StudyPurge after =
          purgeAndRetrain(
              step, method, poisonedSet, DefenseScan.flaggedIds(poisonedSet, det), truth);
      dets.add(StudyParts.methodResult(method, null, null, dm, after));
    }

    List<MethodResult> attrs = new ArrayList<>();
    List<Example> behavior = behavior(seed, l, what, trigger, target);
    for (Recipe.Method method : recipe.attributors()) {
      String name = method.name();
      progress.accept(ds + ": attributing with " + name);
      Attribution at;
      try {
        at =
            Attributors.byName(name)
                .attribute(
                    new AttributionRequest(
                        poisoned,
                        poisonedSet,
                        behavior,
                        step.cfg(),
                        StepSeeds.derive(seed, "attribute", ds, what + "/" + name, b),
                        method.options(),
                        progress));
      } catch (BadInputException e) {
        if (e.file() != null) {
          throw e;
        }
        throw new BadInputException(recipe.file(), 0, "attributor " + name + ": " + e.problem());
      }
      double[] scores = at.aggregate();
      int k = truth.size();
      int top = (int) Math.ceil(DetectionMetrics.BUDGET_FACTOR * k);
      Integer[] order = StudyParts.rankDescending(scores);
      boolean[] flaggedMask = new boolean[scores.length];
      List<String> flagged = new ArrayList<>();
      int hitsAtK = 0;
      for (int r = 0; r < Math.min(top, order.length); r++) {
        flaggedMask[order[r]] = true;
        flagged.add(ids.get(order[r]));
        if (r < k && truth.contains(ids.get(order[r]))) {
          hitsAtK++;
        }
      }
      DetectionMetrics dm = DetectionMetrics.of(ids, scores, flaggedMask, truth);
      Map<String, Object> traceJson =
          ScanFiles.toJson(
              poisonedSet,
              List.of(new Detection(at.method(), scores, flaggedMask)),
              Findings.DEFAULT_FDR);
      traceJson.remove("details");
      traceJson.put("top", top);
      traceJson.put("behavior", behavior.size());
      keep("traces", spec, ds, budget, seed, name, traceJson, pr);
      StudyPurge after = purgeAndRetrain(step, method, poisonedSet, flagged, truth);
      attrs.add(
          StudyParts.methodResult(
              method,
              behavior.size(),
              k == 0 ? 0.0 : Rounding.round(hitsAtK / (double) k),
              dm,
              after));
    }
    return new StudyRun(
        seed,
        ds,
        new LinkedHashMap<>(pr.spec()),
        new StudyRun.StudyBudget(
            pr.ids().size(),
            Rounding.round(pr.ids().size() / (double) l.train.size()),
            budget.toJson()),
        StudyParts.studyScore(cleanEval, null),
        StudyParts.studyScore(pe, cleanEval),
        TableParts.verdict(mc),
        dets,
        attrs);
  }

  /**
   * Keeps a scan or trace map for the run folder as {@code folder/KIND-DATASET-BUDGET-seedS-METHOD
   * .json}, with its top examples and the attack's truth inside.
   */
  private void keep(
      String folder,
      AttackSpec spec,
      String dataset,
      Budget budget,
      long seed,
      String method,
      Map<String, Object> json,
      PoisonResult pr) {
    ScanFiles.addTopExamples(json, pr.poisoned());
    json.put("truth", TruthFiles.asMap(pr));
    String b =
        budget.toJson().entrySet().stream()
            .map(e -> e.getKey() + "-" + e.getValue())
            .reduce((x, y) -> x + "-" + y)
            .orElse("budget");
    String stem =
        (spec.kind() + "-" + dataset + "-" + b + "-seed" + seed + "-" + method)
            .replaceAll("[^A-Za-z0-9._-]", "_");
    String path = folder + "/" + stem + ".json";
    for (int k = 2; files.containsKey(path); k++) {
      path = folder + "/" + stem + "-" + k + ".json";
    }
    files.put(path, json);
  }

  /**
   * The default scan ({@code scan} without options: every applicable detector, the test split as
   * the clean reference, flags from the findings that hold): its result, purged and retrained, then
   * each detector's precision and recall from the same scan (not purged).
   */
  private List<MethodResult> defaultScan(
      Step step,
      Recipe.Method method,
      Dataset poisonedSet,
      DifferentiableClassifier model,
      Set<String> truth,
      PoisonResult pr) {
    String ds = step.ds();
    progress.accept(ds + ": the default scan");
    ScanContext context =
        new ScanContext(
            StepSeeds.derive(step.seed(), "scan", ds, step.what() + "/default", step.b()),
            model,
            progress,
            step.l().test);
    DefenseScan.Outcome o =
        DefenseScan.run(poisonedSet, truth, context, Detectors.applicable(poisonedSet));
    List<Detection> each = o.each().stream().map(DefenseScan.Scored::detection).toList();
    keep(
        "scans",
        step.spec(),
        ds,
        step.budget(),
        step.seed(),
        method.name(),
        ScanFiles.toJson(poisonedSet, each, Findings.DEFAULT_FDR),
        pr);
    List<MethodResult> out = new ArrayList<>();
    List<String> flagged = DefenseScan.flaggedIds(poisonedSet, o.combined().detection());
    StudyPurge after = purgeAndRetrain(step, method, poisonedSet, flagged, truth);
    out.add(StudyParts.methodResult(method, null, null, o.combined().metrics(), after));
    for (DefenseScan.Scored s : o.each()) {
      out.add(StudyParts.methodResult(Recipe.Method.of(s.name()), null, null, s.metrics(), null));
    }
    return out;
  }

  private StudyPurge purgeAndRetrain(
      Step step,
      Recipe.Method method,
      Dataset poisonedSet,
      List<String> flagged,
      Set<String> truth) {
    String what = step.what() + "/" + method.name();
    Recipe.PurgeMode mode = method.purge() != null ? method.purge() : recipe.purge();
    Purges.PurgeResult purge =
        mode == Recipe.PurgeMode.SOURCE
            ? Purges.bySource(poisonedSet, flagged, Purges.ALPHA)
            : Purges.byExample(poisonedSet, flagged);
    Retraining.Retrained r =
        Retraining.retrain(
            purge,
            truth,
            kept -> {
              progress.accept(
                  step.ds() + ": retraining after purging " + purge.removed() + " examples");
              return Retraining.train(
                  kept,
                  step.cfg(),
                  StepSeeds.derive(step.seed(), "retrain", step.ds(), what, step.b()),
                  null);
            },
            // the method's own evaluation seed, as the point's evaluation uses the attack's
            step.eval().withSeed(StepSeeds.derive(step.seed(), "eval", step.ds(), what, 0)));
    if (r.eval() == null) {
      return new StudyPurge(purge.removed(), r.poisonsRemoved(), null, null);
    }
    StudyScore score = StudyParts.studyScore(r.eval(), null);
    return new StudyPurge(purge.removed(), r.poisonsRemoved(), score.accuracy(), score.rate());
  }

  /** Triggered test inputs whose label is not the target, labelled with the target. */
  private List<Example> behavior(long seed, Loaded l, String what, Trigger trigger, String target) {
    if (trigger == null || recipe.attributors().isEmpty()) {
      return List.of();
    }
    return BehaviorSamples.sample(
        l.test,
        trigger,
        target,
        recipe.behaviorLimit(),
        StepSeeds.derive(seed, "behavior", l.spec.name(), what, 0),
        BehaviorSamples.Sampling.FIRST);
  }

  // ---------------------------------------------------------------- plumbing

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
