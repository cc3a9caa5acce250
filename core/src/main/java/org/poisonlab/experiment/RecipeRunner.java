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
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.poisonlab.attack.Attack;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.attribution.Attribution;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
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
import org.poisonlab.model.Trainers;

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
  private static final Pattern PINNED = Pattern.compile("[a-z0-9-]+:(train|test)");

  /**
   * What a run produced.
   *
   * @param results the {@code results.json} content (no timings: same seed, same bytes)
   * @param datasets content hash of every dataset used, by name as loaded
   * @param timings seconds per step and in all
   * @param files the run folder's scan and trace files by relative path ({@code scans/NAME.json},
   *     {@code traces/NAME.json}): every detector's scan and every attributor's trace of every
   *     point, in scan-file format with the truth and the top examples inside; same seed, same
   *     content
   */
  public record Result(
      Map<String, Object> results,
      Map<String, String> datasets,
      Map<String, Object> timings,
      Map<String, Map<String, Object>> files) {}

  private final Recipe recipe;
  private final Path home;
  private final Consumer<String> progress;
  private final Map<String, String> datasetHashes = new LinkedHashMap<>();
  private final Map<String, Object> timings = new LinkedHashMap<>();
  private final Map<String, Map<String, Object>> files = new LinkedHashMap<>();
  private int pointsDone;
  private int pointsTotal;

  private RecipeRunner(Recipe recipe, Path home, Consumer<String> progress) {
    this.recipe = recipe;
    this.home = home;
    this.progress = progress == null ? m -> {} : progress;
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
    return new RecipeRunner(recipe, home, progress).run();
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
    Json.write(dir.resolve("results.json"), result.results());
    for (Map.Entry<String, Map<String, Object>> f : result.files().entrySet()) {
      Json.write(dir.resolve(f.getKey()), f.getValue());
    }
    if (recipe.runner() == Recipe.Runner.DEMO) {
      Json.write(dir.resolve("table.json"), result.results());
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
    Map<String, Object> results;
    if (recipe.runner() == Recipe.Runner.DEMO) {
      if (recipe.seeds().size() != 1) {
        throw new BadInputException(
            recipe.file(), 0, "the demo runner takes exactly one seed, got " + recipe.seeds());
      }
      Demo.Result d =
          Demo.run(new Demo.Options(recipe.quick(), recipe.seeds().get(0), home, progress));
      datasetHashes.putAll(d.datasets());
      timings.putAll(d.timings());
      results = d.table();
    } else {
      results = study();
    }
    timings.put("total", seconds(t0));
    return new Result(results, datasetHashes, timings, files);
  }

  private Map<String, Object> study() {
    List<Map<String, Object>> datasetsJson = new ArrayList<>();
    List<Map<String, Object>> runs = new ArrayList<>();
    List<Loaded> loaded = new ArrayList<>();
    for (DataSpec spec : recipe.datasets()) {
      Loaded l = load(spec);
      check(l);
      loaded.add(l);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", spec.name());
      m.put("train", l.train.contentHash());
      m.put("train_size", l.train.size());
      m.put("test", l.test.contentHash());
      m.put("test_size", l.test.size());
      datasetsJson.add(m);
    }
    int budgets = 0;
    for (AttackSpec a : recipe.attacks()) {
      budgets += a.budgets().size();
    }
    pointsTotal = recipe.seeds().size() * loaded.size() * budgets;
    for (long seed : recipe.seeds()) {
      for (Loaded l : loaded) {
        runs.addAll(timed(l.spec.name() + "/seed " + seed, () -> studyOne(seed, l)));
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recipe", recipe.name());
    out.put("model", recipe.model());
    out.put("seeds", recipe.seeds());
    out.put("purge", recipe.purge().name().toLowerCase(Locale.ROOT));
    out.put("datasets", datasetsJson);
    out.put("runs", runs);
    return out;
  }

  private record Loaded(DataSpec spec, Dataset train, Dataset test) {}

  private Loaded load(DataSpec spec) {
    progress.accept(spec.name() + ": loading");
    Dataset train = limit(resolve(spec.train()), recipe.trainLimit());
    Dataset test = limit(resolve(spec.test()), recipe.testLimit());
    datasetHashes.put(train.name(), train.contentHash());
    datasetHashes.put(test.name(), test.contentHash());
    return new Loaded(spec, train, test);
  }

  private Dataset resolve(String spec) {
    if (PINNED.matcher(spec).matches()) {
      return PinnedDatasets.resolve(spec, home, progress);
    }
    Path p = Path.of(spec);
    Path base = recipe.file().toAbsolutePath().getParent();
    if (!p.isAbsolute() && base != null) {
      p = base.resolve(p).normalize();
    }
    return PinnedDatasets.resolve(p.toString(), home, progress);
  }

  /** Checks labels, triggers and detectors against the data before any training. */
  private void check(Loaded l) {
    for (AttackSpec spec : recipe.attacks()) {
      if (spec.targeted()) {
        trigger(spec, l.train);
      }
      if (spec.target() != null) {
        label(spec.target(), l, "target");
      }
      if (spec.fromLabel() != null) {
        label(spec.fromLabel(), l, "from_label");
      }
    }
    for (Recipe.Method m : recipe.detectors()) {
      String name = m.name();
      if (!Detectors.byName(name).appliesTo(l.train)) {
        throw new BadInputException(
            recipe.file(),
            0,
            "detector "
                + name
                + " does not apply to dataset "
                + l.spec.name()
                + " ("
                + l.train.kind().name().toLowerCase(Locale.ROOT)
                + ")");
      }
    }
  }

  /**
   * {@code limit} examples chosen by id: those whose ids (content hashes) sort first, kept in their
   * original order. A fixed, seed-independent sample that does not depend on the file's order (the
   * SpamAssassin split, for one, lists ham before spam).
   */
  static Dataset limit(Dataset d, int limit) {
    if (limit == 0 || limit >= d.size()) {
      return d;
    }
    Integer[] order = new Integer[d.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(
        order,
        (x, y) -> {
          int c = d.get(x).id().compareTo(d.get(y).id());
          return c != 0 ? c : Integer.compare(x, y);
        });
    int[] keep = new int[limit];
    for (int i = 0; i < limit; i++) {
      keep[i] = order[i];
    }
    java.util.Arrays.sort(keep);
    List<Example> out = new ArrayList<>(limit);
    for (int i : keep) {
      out.add(d.get(i));
    }
    return new Dataset(d.name() + "[" + limit + " by id]", out);
  }

  private List<Map<String, Object>> studyOne(long seed, Loaded l) {
    String ds = l.spec.name();
    TrainConfig cfg = TrainConfig.defaults(recipe.model(), l.train.kind());
    progress.accept(ds + ": training the clean " + recipe.model());
    DifferentiableClassifier clean =
        Trainers.train(l.train, cfg, derive(seed, "train", ds, "clean", 0), null, null);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int a = 0; a < recipe.attacks().size(); a++) {
      AttackSpec spec = recipe.attacks().get(a);
      String what = a + ":" + spec.kind();
      Trigger trigger = spec.targeted() ? trigger(spec, l.train) : null;
      String target = spec.targeted() ? spec.target() : null;
      EvalReport cleanEval =
          Evaluation.evaluate(clean, l.test, trigger, target, derive(seed, "eval", ds, what, 0));
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
        rows.add(point(seed, l, spec, what, b, budget, trigger, target, cfg, clean, cleanEval));
      }
    }
    return rows;
  }

  private Map<String, Object> point(
      long seed,
      Loaded l,
      AttackSpec spec,
      String what,
      int b,
      Budget budget,
      Trigger trigger,
      String target,
      TrainConfig cfg,
      DifferentiableClassifier clean,
      EvalReport cleanEval) {
    String ds = l.spec.name();
    PoisonResult pr =
        attack(spec, budget, trigger).apply(l.train, derive(seed, "attack", ds, what, b));
    Dataset poisonedSet = pr.poisoned();
    Set<String> truth = new HashSet<>(pr.ids());
    DifferentiableClassifier poisoned =
        Trainers.train(poisonedSet, cfg, derive(seed, "train", ds, what, b), null, null);
    long evalSeed = derive(seed, "eval", ds, what, 0);
    EvalReport pe = Evaluation.evaluate(poisoned, l.test, trigger, target, evalSeed);
    McNemar.Result mc = Evaluation.compare(clean, poisoned, l.test);

    Map<String, Object> row = new LinkedHashMap<>();
    row.put("seed", seed);
    row.put("dataset", ds);
    Map<String, Object> attackJson = new LinkedHashMap<>(pr.spec());
    row.put("attack", attackJson);
    Map<String, Object> budgetJson = new LinkedHashMap<>();
    budgetJson.put("count", pr.ids().size());
    budgetJson.put("rate", Demo.round(pr.ids().size() / (double) l.train.size()));
    budgetJson.put("asked", budget.toJson());
    row.put("budget", budgetJson);
    row.put("clean", evalJson(cleanEval, null));
    row.put("poisoned", evalJson(pe, cleanEval));
    Map<String, Object> mcJson = new LinkedHashMap<>();
    mcJson.put("verdict", mc.detectableByEval());
    mcJson.put("p_value", Demo.roundP(mc.pValue()));
    mcJson.put("test", "mcnemar");
    mcJson.put("b", mc.b());
    mcJson.put("c", mc.c());
    row.put("detectable_by_eval", mcJson);

    List<String> ids = poisonedSet.examples().stream().map(Example::id).toList();
    List<Map<String, Object>> dets = new ArrayList<>();
    for (Recipe.Method method : recipe.detectors()) {
      String name = method.name();
      Detector d = Detectors.byName(name, method.options());
      progress.accept(ds + ": scanning with " + name);
      Detection det =
          d.scan(
              poisonedSet,
              new ScanContext(derive(seed, "scan", ds, what + "/" + name, b), poisoned, progress));
      DetectionMetrics dm = DetectionMetrics.of(ids, det, truth);
      keep("scans", spec, ds, budget, seed, name, ScanFiles.toJson(poisonedSet, List.of(det)), pr);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      if (!method.options().isEmpty()) {
        m.put("options", method.options());
      }
      m.putAll(metricsJson(dm));
      List<String> flagged = new ArrayList<>();
      boolean[] f = det.flagged();
      for (int i = 0; i < f.length; i++) {
        if (f[i]) {
          flagged.add(ids.get(i));
        }
      }
      m.put(
          "after_purge",
          purgeAndRetrain(
              seed,
              l,
              what + "/" + name,
              b,
              poisonedSet,
              flagged,
              truth,
              trigger,
              target,
              cfg,
              clean));
      dets.add(m);
    }
    row.put("detectors", dets);

    List<Map<String, Object>> attrs = new ArrayList<>();
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
                        cfg,
                        derive(seed, "attribute", ds, what + "/" + name, b),
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
      Integer[] order = rankDescending(scores);
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
          ScanFiles.toJson(poisonedSet, List.of(new Detection(at.method(), scores, flaggedMask)));
      traceJson.remove("details");
      traceJson.put("top", top);
      traceJson.put("behavior", behavior.size());
      keep("traces", spec, ds, budget, seed, name, traceJson, pr);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", name);
      if (!method.options().isEmpty()) {
        m.put("options", method.options());
      }
      m.put("behavior", behavior.size());
      m.put("poison_recall_at_k", k == 0 ? 0.0 : Demo.round(hitsAtK / (double) k));
      m.putAll(metricsJson(dm));
      m.put(
          "after_purge",
          purgeAndRetrain(
              seed,
              l,
              what + "/" + name,
              b,
              poisonedSet,
              flagged,
              truth,
              trigger,
              target,
              cfg,
              clean));
      attrs.add(m);
    }
    row.put("attributors", attrs);
    return row;
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

  private Map<String, Object> purgeAndRetrain(
      long seed,
      Loaded l,
      String what,
      int b,
      Dataset poisonedSet,
      List<String> flagged,
      Set<String> truth,
      Trigger trigger,
      String target,
      TrainConfig cfg,
      DifferentiableClassifier clean) {
    String ds = l.spec.name();
    Purges.PurgeResult pr =
        recipe.purge() == Recipe.PurgeMode.SOURCE
            ? Purges.bySource(poisonedSet, flagged, Purges.ALPHA)
            : Purges.byExample(poisonedSet, flagged);
    Set<String> kept = new HashSet<>();
    for (Example e : pr.kept()) {
      kept.add(e.id());
    }
    int poisonsRemoved = 0;
    for (String id : truth) {
      poisonsRemoved += kept.contains(id) ? 0 : 1;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("removed", pr.removed());
    m.put("poisons_removed", poisonsRemoved);
    if (pr.kept().isEmpty()) {
      m.put("accuracy", null);
      return m;
    }
    progress.accept(ds + ": retraining after purging " + pr.removed() + " examples");
    DifferentiableClassifier retrained =
        Trainers.train(pr.kept(), cfg, derive(seed, "retrain", ds, what, b), null, null);
    EvalReport e =
        Evaluation.evaluate(retrained, l.test, trigger, target, derive(seed, "eval", ds, what, 0));
    m.putAll(evalJson(e, null));
    return m;
  }

  /** Triggered test inputs whose label is not the target, labelled with the target. */
  private List<Example> behavior(long seed, Loaded l, String what, Trigger trigger, String target) {
    if (trigger == null || recipe.attributors().isEmpty()) {
      return List.of();
    }
    SplittableRandom rng = new SplittableRandom(derive(seed, "behavior", l.spec.name(), what, 0));
    List<Example> out = new ArrayList<>();
    for (Example e : l.test) {
      if (out.size() == recipe.behaviorLimit()) {
        break;
      }
      if (!e.label().equals(target)) {
        out.add(trigger.apply(e, rng).withLabel(target));
      }
    }
    return out;
  }

  /** Indices by score, highest first; ties by position. */
  static Integer[] rankDescending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // Highest first; ties by position, so the ranking does not depend on the sort.
    java.util.Arrays.sort(
        order,
        (x, y) -> {
          int c = Double.compare(scores[y], scores[x]);
          return c != 0 ? c : Integer.compare(x, y);
        });
    return order;
  }

  private Attack attack(AttackSpec spec, Budget budget, Trigger trigger) {
    AttackerSources src = AttackerSources.defaults();
    return switch (spec.kind()) {
      case "label-flip" ->
          Attacks.labelFlip(
              budget,
              spec.fromLabel() == null
                  ? FlipMode.uniform()
                  : FlipMode.classConditional(spec.fromLabel(), spec.target()),
              src);
      case "backdoor" -> Attacks.backdoor(budget, trigger, spec.target(), src);
      case "semantic" ->
          Attacks.semantic(
              budget, spec.phrase() != null ? spec.phrase() : spec.trigger(), spec.target(), src);
      case "clean-label" -> Attacks.cleanLabel(budget, trigger, spec.target(), src);
      case "sleeper" -> Attacks.sleeper(budget, trigger, spec.target(), spec.twins(), src);
      default -> throw new IllegalStateException("checked by the parser: " + spec.kind());
    };
  }

  private Trigger trigger(AttackSpec spec, Dataset train) {
    String t = spec.kind().equals("semantic") && spec.phrase() != null ? spec.phrase() : null;
    if (t == null) {
      t = spec.trigger();
    }
    if (t == null) {
      t = train.kind() == Dataset.Kind.IMAGE ? "patch:4x4@24,24" : Trigger.DEFAULT_TEXT_PHRASE;
    }
    try {
      return Trigger.parse(t, train.kind());
    } catch (BadInputException e) {
      throw new BadInputException(
          recipe.file(), 0, "trigger of attack " + spec.kind() + ": " + e.problem());
    }
  }

  private String label(String label, Loaded l, String field) {
    if (l.train.labelIndex(label) < 0) {
      throw new BadInputException(
          recipe.file(),
          0,
          "field \""
              + field
              + "\": label '"
              + label
              + "' is not in dataset "
              + l.spec.name()
              + " (labels "
              + l.train.labels()
              + ")");
    }
    return label;
  }

  // ---------------------------------------------------------------- JSON pieces

  private static Map<String, Object> evalJson(EvalReport e, EvalReport clean) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", Demo.round(e.accuracy()));
    if (e.attackSuccessRate() != null) {
      m.put(
          "attack_success_rate",
          e.attackSuccessRate().isNaN() ? null : Demo.round(e.attackSuccessRate()));
    }
    if (clean != null) {
      m.put("accuracy_drop", Demo.round(clean.accuracy() - e.accuracy()));
    }
    return m;
  }

  private static Map<String, Object> metricsJson(DetectionMetrics dm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("flagged", dm.flaggedCount());
    m.put("precision", Demo.round(dm.precision()));
    m.put("recall", Demo.round(dm.recall()));
    m.put("auroc", Double.isNaN(dm.auroc()) ? null : Demo.round(dm.auroc()));
    m.put("recall_at_1_5x", Demo.round(dm.recallAtBudget()));
    return m;
  }

  // ---------------------------------------------------------------- plumbing

  private <T> T timed(String name, java.util.function.Supplier<T> work) {
    long t = System.nanoTime();
    T r = work.get();
    timings.put(name, seconds(t));
    return r;
  }

  private static double seconds(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
  }

  /** A seed for one step from the run seed and the step's name and index (SplitMix64 mixing). */
  static long derive(long seed, String kind, String dataset, String what, int index) {
    long h = seed;
    for (String part : new String[] {kind, dataset, what}) {
      h = mix(h ^ part.hashCode());
    }
    return mix(h ^ index);
  }

  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
