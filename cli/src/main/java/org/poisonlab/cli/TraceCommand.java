package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.attribution.Attribution;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributor;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.eval.Rankings;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab trace}: which training examples made the model behave this way. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "Attribute a behaviour to training examples: every training example is scored by how much it made",
      "the model give the behaviour file's labels on its inputs (the mean over behaviour examples);",
      "without --behavior, by self-influence. The trace file ranks examples and sources, like a scan file,",
      "and purge reads it. The top K examples are flagged (default: 1 % of the training set). The file also",
      "carries the content of its top examples, so poisonlab report on a folder holding it shows them."
    },
    footer = {
      "%nMethods: gradient-dot, gradient-cosine, influence, tracin, tracin-saliency, trak, representer.",
      "tracin-saliency (for backdoors) is tracin with layer=input, saliency=on, normalize=cosine, center=auto,",
      "consensus=auto, match=auto (on images: centred on the label mean, a consensus score and an exact-match",
      "score for pixel values every behaviour input shares fused in; on text: none of these).",
      "%nExamples:",
      "  poisonlab trace --model poisoned.model --train poisoned.jsonl --behavior behavior.jsonl --method tracin --top 30 --out trace.json",
      "  poisonlab trace --model poisoned.model --train poisoned.jsonl --behavior behavior.jsonl --method influence --option solver=cg --out trace.json",
      "  poisonlab trace --model poisoned.model --train poisoned.jsonl --behavior behavior.jsonl --method tracin-saliency --top 30 --out trace.json",
      "  poisonlab trace --model poisoned.model --train poisoned.jsonl --method gradient-dot --out self.json"
    })
final class TraceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "Trained model: a model file, or torchscript:FILE for a user's own classifier.")
  String model;

  @Mixin ModelCompanionOptions companions;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "F",
      description = "The model's training set: JSONL file or NAME:SPLIT.")
  String train;

  @Option(
      names = "--behavior",
      paramLabel = "F",
      description = "Inputs labelled with the output to explain (default: self-influence).")
  String behavior;

  @Option(
      names = "--method",
      paramLabel = "NAME",
      description = {
        "Attribution method. Default: tracin-saliency with --behavior when the model records its",
        "training settings, gradient-cosine with --behavior otherwise, gradient-dot without."
      })
  String method;

  @Option(
      names = "--top",
      paramLabel = "K",
      description = "Flag the K highest-scoring examples (default: 1 % of the training set).")
  Integer top;

  @Option(
      names = "--option",
      paramLabel = "NAME=VALUE",
      description = "A method option (repeatable), e.g. k=1024 for trak.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--out", required = true, paramLabel = "TRACE.json", description = "Trace file.")
  Path out;

  @Option(
      names = "--truth",
      paramLabel = "TRUTH.json",
      description = {
        "Truth file of an attack: also print recall@k (k = the poison count) and keep the truth",
        "in the trace file, so that the report marks the poisons and highlights the trigger."
      })
  Path truth;

  @Override
  public Integer call() {
    TruthFiles.Truth truthFile = truth == null ? null : TruthFiles.read(truth);
    Set<String> truthIds = truthFile == null ? null : truthFile.idSet();
    Dataset data = Inputs.dataset(train);
    DifferentiableClassifier m = companions.load(model, data);
    String chosen = method;
    if (chosen == null) {
      chosen =
          Attributors.defaultMethod(
              behavior != null, m.provenance() != null && m.provenance().config() != null);
      spec.commandLine()
          .getErr()
          .println("trace: no --method given; using " + chosen + " (see trace --help)");
    }
    Attributor attributor = Attributors.byName(chosen);
    List<Example> behaviour = behavior == null ? List.of() : Inputs.dataset(behavior).examples();
    int n = data.size();
    int k = top == null ? Math.max(1, (int) Math.round(0.01 * n)) : top;
    if (k < 0 || k > n) {
      throw new BadInputException("--top " + k + " is not in [0, " + n + "]");
    }
    AttributionRequest request =
        new AttributionRequest(
            m,
            data,
            behaviour,
            m.provenance() == null ? null : m.provenance().config(),
            seed.seed,
            options,
            Progress.forTerminal());
    Attribution a = attributor.attribute(request);
    double[] scores = a.aggregate();
    int[] order = Rankings.descending(scores);
    boolean[] flagged = new boolean[n];
    for (int r = 0; r < k; r++) {
      flagged[order[r]] = true;
    }
    Map<String, Object> root =
        ScanFiles.toJson(
            data,
            List.of(new Detection(a.method(), scores, flagged)),
            org.poisonlab.defense.Findings.DEFAULT_FDR);
    root.remove("details");
    root.put("top", k);
    root.put("behavior", behaviour.size());
    root.put("diagnostics", a.diagnostics());
    ScanFiles.addTopExamples(root, data);
    if (truthFile != null) {
      root.put("truth", truthFile); // written as {"attack": {...}, "ids": [...]}
    }
    Json.write(out, root);

    PrintWriter o = spec.commandLine().getOut();
    Object result = new TraceJson(out.toString(), a.method(), n, behaviour.size(), k);
    int poisons = 0;
    Double recall = null;
    if (truthIds != null) {
      for (Example e : data.examples()) {
        poisons += truthIds.contains(e.id()) ? 1 : 0;
      }
      int hits = 0;
      for (int r = 0; r < poisons; r++) {
        hits += truthIds.contains(data.get(order[r]).id()) ? 1 : 0;
      }
      recall = poisons == 0 ? null : (double) hits / poisons;
      result =
          new TraceJsonWithTruth(
              out.toString(), a.method(), n, behaviour.size(), k, poisons, recall);
    }
    if (json.json) {
      o.println(Json.pretty(result));
    } else {
      o.printf(
          "traced %d behaviour examples over %d training examples with %s; flagged %d; wrote %s%n",
          behaviour.size(), n, a.method(), k, out);
      List<ScanFiles.SourceCount> ranked =
          ScanFiles.rankedByFlags(ScanFiles.sources(data, flagged)).stream()
              .filter(c -> c.flagged() > 0)
              .toList();
      if (!ranked.isEmpty()) {
        o.print("sources ranked by flags:");
        for (ScanFiles.SourceCount c : ranked.subList(0, Math.min(3, ranked.size()))) {
          o.printf(" %s %d/%d;", c.source(), c.flagged(), c.total());
        }
        o.println();
      }
      if (truthIds != null) {
        o.printf(
            "recall@k %s (k = %d poisons)%n",
            recall == null ? "n/a" : String.format("%.3f", recall), poisons);
      }
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** {@code trace --json} without a truth file. */
  record TraceJson(String out, String method, int n, int behavior, int flagged) {}

  /** {@code trace --json} with a truth file; {@code recall_at_k} null when there are no poisons. */
  @JsonPropertyOrder({"out", "method", "n", "behavior", "flagged", "poisons", "recall_at_k"})
  record TraceJsonWithTruth(
      String out,
      String method,
      int n,
      int behavior,
      int flagged,
      int poisons,
      @JsonProperty("recall_at_k") Double recallAtK) {}
}
