package org.poisonlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.poisonlab.attack.TruthFiles;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Detection;
import org.poisonlab.defense.DetectionDetails;
import org.poisonlab.defense.DetectionMetrics;
import org.poisonlab.defense.Detector;
import org.poisonlab.defense.Detectors;
import org.poisonlab.defense.Finding;
import org.poisonlab.defense.Findings;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.defense.ScanFiles;
import org.poisonlab.defense.TriggerInversions;
import org.poisonlab.io.BadInputException;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poisonlab scan}: score every training example for suspicion and write a scan file. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scan a training set for poisons: every applicable detector (or those named) tests whether",
      "anything is there and scores each example. The scan file holds the verdict, each detector's",
      "finding (statistic, p-value, candidate trigger, target, sources), the scores (highest first),",
      "the flagged ids (only from findings that hold at the false-discovery rate) and the flagged",
      "share per source."
    },
    footer = {
      "%nExamples:",
      "  poisonlab scan --train poisoned.jsonl --out flags.json",
      "  poisonlab scan --train poisoned.jsonl --reference spamassassin:test --fdr 0.01 --out flags.json",
      "  poisonlab scan --train poisoned.jsonl --model poisoned.model --detector spectral --out flags.json --truth truth.json",
      "  poisonlab scan --train poisoned.jsonl --detector ngram-association --detector knn --out flags.json --json"
    })
final class ScanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin SeedOption seed;
  @Mixin JsonOption json;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "F",
      description = "Training set: JSONL file or NAME:SPLIT.")
  String train;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description =
          "A model trained on the set, for detectors that use one (a model file, or"
              + " torchscript:FILE for a user's own TorchScript classifier).")
  String model;

  @Mixin ModelCompanionOptions companions;

  @Option(
      names = "--detector",
      paramLabel = "NAME",
      description = "A detector to run (repeatable; default: every applicable one).")
  List<String> detectors = new ArrayList<>();

  @Option(
      names = "--reference",
      paramLabel = "F",
      description = {
        "Clean data of the same kind and labels that you trust (JSONL file or NAME:SPLIT, e.g. a",
        "held-out split): the filters test their number of mislabelled examples against its natural",
        "error level. Without it they report label-noise candidates only."
      })
  String reference;

  @Option(
      names = "--fdr",
      paramLabel = "Q",
      description = {
        "False-discovery rate across the detectors' findings (Benjamini-Hochberg; default:",
        "${DEFAULT-VALUE}). Only findings that hold at Q flag examples."
      })
  double fdr = org.poisonlab.defense.Findings.DEFAULT_FDR;

  @Option(names = "--out", required = true, paramLabel = "FLAGS.json", description = "Scan file.")
  Path out;

  @Option(
      names = "--truth",
      paramLabel = "TRUTH.json",
      description = {
        "Truth file of an attack: also print precision, recall, AUROC, recall@1.5x, and keep the",
        "truth in the scan file for the report."
      })
  Path truth;

  @Option(
      names = "--trigger-images",
      description = {
        "With neural-cleanse: also write the recovered mask, pattern and trigger (mask x pattern)",
        "as PGM images next to the scan file (FLAGS.neural-cleanse-mask.pgm, ...-pattern.pgm,",
        "...-trigger.pgm)."
      })
  boolean triggerImages;

  @Override
  public Integer call() {
    TruthFiles.Truth truthFile = truth == null ? null : TruthFiles.read(truth);
    Set<String> truthIds = truthFile == null ? null : truthFile.idSet();
    if (!(fdr > 0 && fdr < 1)) {
      throw new BadInputException("--fdr must be in (0, 1), not " + fdr);
    }
    Dataset data = Inputs.dataset(train);
    DifferentiableClassifier m = model == null ? null : companions.load(model, data);
    Dataset ref = reference == null ? null : Inputs.dataset(reference);
    List<Detector> chosen = new ArrayList<>();
    if (detectors.isEmpty()) {
      chosen.addAll(Detectors.applicable(data));
      if (chosen.isEmpty()) {
        throw new BadInputException("no built-in detector applies to " + data.name());
      }
    } else {
      for (String name : detectors) {
        Detector d = Detectors.byName(name);
        if (!d.appliesTo(data)) {
          throw new BadInputException(
              "detector " + name + " does not apply to " + data.name() + " (" + data.kind() + ")");
        }
        chosen.add(d);
      }
    }
    if (triggerImages && chosen.stream().noneMatch(d -> d.name().equals("neural-cleanse"))) {
      throw new BadInputException("--trigger-images needs the neural-cleanse detector");
    }
    ScanContext context = new ScanContext(seed.seed, m, Progress.forTerminal(), ref);
    List<Detection> results =
        Detectors.scanAll(chosen, data, context).stream().map(Detectors.Ran::detection).toList();
    Map<String, Object> scanJson = ScanFiles.toJson(data, results, fdr);
    List<Finding> findings = Findings.control(results, fdr);
    ScanFiles.addTopExamples(scanJson, data);
    if (truthFile != null) {
      scanJson.put("truth", truthFile); // written as {"attack": {...}, "ids": [...]}
    }
    Json.write(out, scanJson);
    List<Path> images = triggerImages ? writeTriggerImages(results) : List.of();

    List<Detection> reported = new ArrayList<>(results);
    if (results.size() > 1) {
      reported.add(ScanFiles.combine(results, fdr));
    }
    List<String> ids = data.examples().stream().map(Example::id).toList();
    PrintWriter o = spec.commandLine().getOut();
    List<DetectorLine> rows = new ArrayList<>();
    for (Detection d : reported) {
      int flagged = 0;
      for (boolean b : d.flagged()) {
        flagged += b ? 1 : 0;
      }
      if (truthIds == null) {
        rows.add(new DetectorRow(d.method(), flagged));
      } else {
        DetectionMetrics dm = DetectionMetrics.of(ids, d, truthIds);
        rows.add(
            new ScoredDetectorRow(
                d.method(),
                flagged,
                dm.poisons(),
                dm.precision(),
                dm.recall(),
                Double.isNaN(dm.auroc()) ? null : dm.auroc(),
                dm.recallAtBudget()));
      }
    }
    if (json.json) {
      o.println(
          Json.pretty(
              new ScanJson(
                  out.toString(),
                  data.size(),
                  Findings.verdict(findings),
                  findings,
                  rows,
                  images.isEmpty() ? null : images.stream().map(Path::toString).toList())));
    } else {
      o.printf("scanned %d examples of %s; wrote %s%n", data.size(), data.name(), out);
      o.println(Findings.summary(findings));
      for (DetectorLine row : rows) {
        if (row instanceof DetectorRow r) {
          o.printf("%-20s flagged %d", r.method(), r.flagged());
        } else if (row instanceof ScoredDetectorRow r) {
          o.printf("%-20s flagged %d", r.method(), r.flagged());
          o.printf(
              "  precision %.3f  recall %.3f  AUROC %s  recall@1.5x %.3f (of %d poisons)",
              r.precision(),
              r.recall(),
              r.auroc() == null ? "n/a" : String.format("%.3f", r.auroc()),
              r.recallAtOneAndHalfX(),
              r.poisons());
        }
        o.println();
      }
      for (Path p : images) {
        o.printf("wrote %s%n", p);
      }
    }
    o.flush();
    return ExitCodes.OK;
  }

  /** The recovered trigger of each neural-cleanse result as PGM images next to the scan file. */
  private List<Path> writeTriggerImages(List<Detection> results) {
    List<Path> written = new ArrayList<>();
    for (Detection d : results) {
      if (!(d.details() instanceof DetectionDetails.NeuralCleanse nc)) {
        continue;
      }
      double[][] mask = nc.mask();
      double[][] pattern = nc.pattern();
      int[] shape = nc.shape();
      double[] m = flatten(mask);
      double[] p = flatten(pattern);
      double[] trigger = new double[m.length];
      for (int i = 0; i < m.length; i++) {
        trigger[i] = m[i] * p[i];
      }
      String stem = out.getFileName().toString().replaceFirst("\\.json$", "");
      for (Map.Entry<String, double[]> e :
          Map.of("mask", m, "pattern", p, "trigger", trigger).entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .toList()) {
        Path file = out.resolveSibling(stem + "." + d.method() + "-" + e.getKey() + ".pgm");
        TriggerInversions.writePgm(file, e.getValue(), shape);
        written.add(file);
      }
    }
    return written;
  }

  private static double[] flatten(double[][] rows) {
    int w = rows.length == 0 ? 0 : rows[0].length;
    double[] flat = new double[rows.length * w];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * w, w);
    }
    return flat;
  }

  /** {@code scan --json}; {@code trigger_images} only when images were written. */
  @JsonPropertyOrder({"out", "n", "verdict", "findings", "detectors", "trigger_images"})
  record ScanJson(
      String out,
      int n,
      String verdict,
      List<Finding> findings,
      List<DetectorLine> detectors,
      @JsonProperty("trigger_images") @JsonInclude(JsonInclude.Include.NON_NULL)
          List<String> triggerImages) {}

  /** A detector's line of {@code scan --json}. */
  sealed interface DetectorLine permits DetectorRow, ScoredDetectorRow {}

  /** A detector's line without a truth file. */
  record DetectorRow(String method, int flagged) implements DetectorLine {}

  /** A detector's line measured against a truth file; {@code auroc} null when undefined. */
  @JsonPropertyOrder({
    "method",
    "flagged",
    "poisons",
    "precision",
    "recall",
    "auroc",
    "recall_at_1_5x"
  })
  record ScoredDetectorRow(
      String method,
      int flagged,
      int poisons,
      double precision,
      double recall,
      Double auroc,
      @JsonProperty("recall_at_1_5x") double recallAtOneAndHalfX)
      implements DetectorLine {}
}
