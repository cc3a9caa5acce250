package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.attribution.AttributionEvaluation;
import org.poisonlab.attribution.Attributor;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.attribution.EvaluationResult;
import org.poisonlab.attribution.EvaluationSetup;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab trace-eval}: how well an attribution method's scores match retraining. */
@Command(
    name = "trace-eval",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate an attribution method against retraining (docs/methods/attribution-evaluation.md):",
      "  loo          Pearson/Spearman of predicted and actual leave-one-out change of test loss (top-K by |score|)",
      "  lds          linear datamodeling score: Spearman over random half-subsets, retrained",
      "  mislabel     share of flipped labels (--truth) found by self-influence vs share inspected",
      "  recall       poison recall@k and precision@k (k = poison count) for the behaviour in --test",
      "  brittleness  smallest top-k removal that flips a test prediction, over --grid",
      "Retraining uses the configuration recorded in the model."
    },
    footer = {
      "%nExamples:",
      "  poisonlab trace-eval --model clean.model --train train.jsonl --test test.jsonl --method gradient-dot --metric lds --subsets 10 --out lds.json",
      "  poisonlab trace-eval --model poisoned.model --train poisoned.jsonl --test test.jsonl --method gradient-dot --metric recall --truth truth.json --out recall.json"
    })
final class TraceEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Trained model.")
  Path model;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "F",
      description = "The model's training set: JSONL file or NAME:SPLIT.")
  String train;

  @Option(
      names = "--test",
      paramLabel = "F",
      description = "Test points (for recall: the behaviour to explain, labelled with its output).")
  String test;

  @Option(
      names = "--method",
      required = true,
      paramLabel = "NAME",
      description = "Attribution method (one of ${COMPLETION-CANDIDATES}).",
      completionCandidates = MethodNames.class)
  String method;

  @Option(
      names = "--metric",
      required = true,
      paramLabel = "METRIC",
      description = "loo, lds, mislabel, recall or brittleness.")
  String metric;

  @Option(
      names = "--truth",
      paramLabel = "T",
      description = "Truth file: the flipped ids (mislabel) or the poison ids (recall).")
  Path truth;

  @Option(
      names = "--subsets",
      defaultValue = "50",
      paramLabel = "M",
      description = "lds: random subsets retrained (default: ${DEFAULT-VALUE}).")
  int subsets;

  @Option(
      names = "--fraction",
      defaultValue = "0.5",
      paramLabel = "A",
      description = "lds: share of the training set in each subset (default: ${DEFAULT-VALUE}).")
  double fraction;

  @Option(
      names = "--output",
      defaultValue = "loss",
      paramLabel = "loss|margin",
      description = "lds: model output correlated (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--top-k",
      defaultValue = "50",
      paramLabel = "K",
      description = "loo: training points per test point (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--test-points",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "loo, brittleness: test points drawn with the seed (default: ${DEFAULT-VALUE}).")
  int testPoints;

  @Option(
      names = "--grid",
      split = ",",
      defaultValue = "10,20,40,80,160,320",
      paramLabel = "K,K,...",
      description = "brittleness: removal sizes tried (default: ${DEFAULT-VALUE}).")
  int[] grid;

  @Option(
      names = "--parallel",
      paramLabel = "P",
      description =
          "Retrains at once, each on one thread; 1: one at a time on every core (default: cores).")
  Integer parallel;

  @Option(
      names = "--option",
      paramLabel = "KEY=VALUE",
      description = "An option of the attribution method (repeatable).")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--out", required = true, paramLabel = "EVAL.json", description = "Result file.")
  Path out;

  static final class MethodNames extends ArrayList<String> {
    MethodNames() {
      super(Attributors.names());
    }
  }

  @Override
  public Integer call() {
    Attributor attributor = Attributors.byName(method);
    boolean needsTest = !metric.equals("mislabel");
    boolean needsTruth = metric.equals("mislabel") || metric.equals("recall");
    if (!List.of("loo", "lds", "mislabel", "recall", "brittleness").contains(metric)) {
      throw new BadInputException(
          "unknown metric '" + metric + "'; expected loo, lds, mislabel, recall or brittleness");
    }
    if (needsTest && test == null) {
      throw new BadInputException("--metric " + metric + " needs --test");
    }
    if (needsTruth && truth == null) {
      throw new BadInputException("--metric " + metric + " needs --truth");
    }
    Set<String> truthIds = truth == null ? Set.of() : TruthFiles.read(truth).idSet();
    DifferentiableClassifier m = Models.load(model);
    Dataset data = Inputs.dataset(train);
    List<Example> tests = test == null ? List.of() : Inputs.dataset(test).examples();
    int p = parallel == null ? Runtime.getRuntime().availableProcessors() : parallel;
    if (p < 1) {
      throw new BadInputException("--parallel must be at least 1, not " + p);
    }
    EvaluationSetup setup =
        new EvaluationSetup(m, data, tests, null, seed.seed, options, p, Progress.forTerminal());
    EvaluationResult r =
        switch (metric) {
          case "loo" -> AttributionEvaluation.leaveOneOut(attributor, setup, testPoints, topK);
          case "lds" ->
              AttributionEvaluation.linearDatamodeling(
                  attributor, setup, subsets, fraction, output);
          case "mislabel" -> AttributionEvaluation.mislabelCurve(attributor, setup, truthIds);
          case "recall" -> AttributionEvaluation.poisonRecall(attributor, setup, truthIds);
          default -> AttributionEvaluation.brittleness(attributor, setup, testPoints, grid);
        };
    EvaluationResult.Summary summary = r.summary();
    // the mislabel summary already holds n, the training set's size, in its own place
    Integer n = summary instanceof EvaluationResult.MislabelSummary ? null : data.size();
    TraceEvalJson result = new TraceEvalJson(summary, data.name(), n, seed.seed);
    Json.write(out, result);
    PrintWriter o = spec.commandLine().getOut();
    if (json.json) {
      o.println(Json.pretty(result));
    } else {
      o.println(headline(r) + "; wrote " + out);
    }
    o.flush();
    return ExitCodes.OK;
  }

  private static String headline(EvaluationResult r) {
    if (r instanceof EvaluationResult.LeaveOneOut l) {
      return String.format(
          Locale.ROOT,
          "%s leave-one-out over the top %d: Pearson %.3f, Spearman %.3f, slope %.3g"
              + " (%d retrains, %.1f s)",
          l.method(),
          l.topK(),
          l.pearson(),
          l.spearman(),
          l.slope(),
          l.retrains(),
          l.seconds());
    }
    if (r instanceof EvaluationResult.Datamodeling d) {
      return String.format(
          Locale.ROOT,
          "%s linear datamodeling score %.3f (%d subsets of %.2f, %s, %d test points; retrained"
              + " in %.1f s)",
          d.method(),
          d.lds(),
          d.subsets(),
          d.fraction(),
          d.output(),
          d.perTest().length,
          d.seconds());
    }
    if (r instanceof EvaluationResult.Mislabel m) {
      return String.format(
          Locale.ROOT,
          "%s self-influence finds %.3f of %d flips in the top 10 %%; area %.3f",
          m.method(),
          m.foundAtTenPercent(),
          m.flips(),
          m.area());
    }
    if (r instanceof EvaluationResult.PoisonRecall p) {
      return String.format(
          Locale.ROOT,
          "%s recall@%d %.3f, precision@%d %.3f, recall@1.5k %.3f",
          p.method(),
          p.k(),
          p.recall(),
          p.k(),
          p.precision(),
          p.recallAtOneAndHalfK());
    }
    EvaluationResult.Brittleness b = (EvaluationResult.Brittleness) r;
    return String.format(
        Locale.ROOT,
        "%s brittleness: %.3f of %d predictions flip within %s; median k %s (%d retrains, %.1f s)",
        b.method(),
        b.flippedShare(),
        b.points().size(),
        java.util.Arrays.toString(b.grid()),
        b.medianFlip() < 0 ? "n/a" : Integer.toString(b.medianFlip()),
        b.retrains(),
        b.seconds());
  }

  /**
   * The trace-eval file: the metric's summary, then the training set's name and size (unless the
   * summary has it), the seed.
   */
  record TraceEvalJson(
      @JsonUnwrapped EvaluationResult.Summary summary,
      String train,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer n,
      long seed) {}
}
