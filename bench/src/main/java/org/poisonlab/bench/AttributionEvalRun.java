package org.poisonlab.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attribution.AttributionEvaluation;
import org.poisonlab.attribution.Attributor;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.attribution.EvaluationResult;
import org.poisonlab.attribution.EvaluationSetup;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.io.Json;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Runs a named attributor through the evaluation metrics on the reference settings
 * (docs/methods/attribution-evaluation.md) and prints one JSON object (long per-point arrays left
 * out):
 *
 * <ul>
 *   <li>{@code loo}: Koh and Liang's Fig. 2 on binary logistic regression, Fashion-MNIST T-shirt
 *       ("0") against shirt ("6"), the first 3,000 training images of the two classes, L-BFGS with
 *       L2 {@code --l2}; the top {@code --top-k} (100) training points by |score| of {@code
 *       --loo-tests} (1, as in the paper) test points drawn with the seed.
 *   <li>{@code lds}: multinomial logistic regression on the first {@code --train-size} (5,000)
 *       Fashion-MNIST training and first {@code --test-size} (500) test images (dattri's setting),
 *       L-BFGS, L2 {@code --l2}; {@code --subsets} (50) half-subsets, output: the test loss. With
 *       {@code --model mlp} the model is a ReLU MLP of widths {@code --hidden} (128,64: dattri's
 *       MNIST MLP 784-128-64-10) trained by Adam (learning rate 1e-3, batch 64, {@code --epochs}
 *       20, L2 {@code --l2}); subset models start from a fresh He initialisation.
 *   <li>{@code time}: one attribution of the first {@code --train-size} training images on the
 *       first {@code --test-size} test images with the image model above; prints its seconds and
 *       diagnostics, and the seconds of each of its steps on standard error.
 *   <li>{@code mislabel}: SpamAssassin's training split with 10 % of labels flipped uniformly
 *       (seeded), logistic regression with the text defaults (L-BFGS, L2 1e-6); self-influence.
 * </ul>
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.AttributionEvalRun --method gradient-dot [--metrics lds,loo,mislabel] \
 *     [--option KEY=VALUE]... [--parallel P] [--compare-parallel] [--seed S] [--l2 X] \
 *     [--model logreg|mlp] [--hidden 128,64] [--epochs 20] [--train-size 5000] [--test-size 500]
 * </pre>
 */
public final class AttributionEvalRun {
  private AttributionEvalRun() {}

  public static void main(String[] args) {
    String method = null;
    List<String> metrics = List.of("lds", "loo", "mislabel");
    Map<String, String> options = new LinkedHashMap<>();
    int parallel = Runtime.getRuntime().availableProcessors();
    boolean compare = false;
    long seed = 0;
    double l2 = 1e-3;
    int topK = 100;
    int looTests = 1;
    int subsets = 50;
    String modelKind = "logreg";
    int[] hidden = {128, 64};
    int epochs = 20;
    int trainSize = 5000;
    int testSize = 500;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--method" -> method = args[++i];
        case "--metrics" -> metrics = List.of(args[++i].split(","));
        case "--option" -> {
          String[] kv = args[++i].split("=", 2);
          options.put(kv[0], kv[1]);
        }
        case "--parallel" -> parallel = Integer.parseInt(args[++i]);
        case "--compare-parallel" -> compare = true;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--l2" -> l2 = Double.parseDouble(args[++i]);
        case "--top-k" -> topK = Integer.parseInt(args[++i]);
        case "--loo-tests" -> looTests = Integer.parseInt(args[++i]);
        case "--subsets" -> subsets = Integer.parseInt(args[++i]);
        case "--model" -> modelKind = args[++i];
        case "--hidden" ->
            hidden =
                java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--train-size" -> trainSize = Integer.parseInt(args[++i]);
        case "--test-size" -> testSize = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (method == null) {
      throw new IllegalArgumentException(
          "--method NAME is required; one of " + Attributors.names());
    }
    Attributor attributor = Attributors.byName(method);
    ObjectNode out = Json.mapper().createObjectNode();
    out.put("method", method);
    out.set("options", Json.mapper().valueToTree(options));
    out.put("seed", seed);
    out.put("l2", l2);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    TrainConfig imageLogreg =
        new TrainConfig(
            "logreg",
            "lbfgs",
            new int[0],
            1,
            128,
            0.1,
            l2,
            1000,
            TrainConfig.DEFAULT_TEXT_BUCKETS,
            0);
    TrainConfig imageMlp =
        new TrainConfig(
            "mlp", "adam", hidden, epochs, 64, 1e-3, l2, 100, TrainConfig.DEFAULT_TEXT_BUCKETS, 0);
    TrainConfig image = modelKind.equals("mlp") ? imageMlp : imageLogreg;
    out.put(
        "model",
        image.model() + (modelKind.equals("mlp") ? java.util.Arrays.toString(hidden) : ""));
    for (String metric : metrics) {
      long start = System.nanoTime();
      ObjectNode row;
      switch (metric) {
        case "loo" -> {
          Set<String> pair = Set.of("0", "6");
          Dataset train = classes(load("fashion-mnist", "train"), pair, 3000);
          Dataset test = classes(load("fashion-mnist", "test"), pair, Integer.MAX_VALUE);
          EvaluationSetup s = setup(train, test.examples(), imageLogreg, seed, options, parallel);
          row = trim(AttributionEvaluation.leaveOneOut(attributor, s, looTests, topK));
          row.put("train_size", train.size());
        }
        case "lds" -> {
          Dataset train = first(load("fashion-mnist", "train"), trainSize);
          Dataset test = first(load("fashion-mnist", "test"), testSize);
          EvaluationSetup s = setup(train, test.examples(), image, seed, options, parallel);
          EvaluationResult.Datamodeling d =
              AttributionEvaluation.linearDatamodeling(attributor, s, subsets, 0.5, "loss");
          row = trim(d);
          row.put("train_size", train.size());
          row.put("test_size", test.size());
          row.put("model_test_accuracy", accuracy(s.model(), test));
          if (compare) {
            int other = parallel == 1 ? Runtime.getRuntime().availableProcessors() : 1;
            EvaluationResult.Datamodeling e =
                AttributionEvaluation.linearDatamodeling(
                    attributor, s.withParallel(other), subsets, 0.5, "loss");
            row.put("other_parallel", other);
            row.put("other_seconds", e.seconds());
            row.put("same_result", java.util.Arrays.equals(d.perTest(), e.perTest()));
          }
        }
        case "mislabel" -> {
          Dataset clean = load("spamassassin", "train");
          PoisonResult flip =
              Attacks.labelFlip(new Budget.Rate(0.1), FlipMode.uniform()).apply(clean, seed);
          Dataset flipped = flip.poisoned();
          TrainConfig text = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
          EvaluationSetup s = setup(flipped, List.of(), text, seed, options, parallel);
          row = trim(AttributionEvaluation.mislabelCurve(attributor, s, new HashSet<>(flip.ids())));
        }
        case "time" -> {
          // one attribution of the first --train-size training images on --test-size test images
          Dataset train = first(load("fashion-mnist", "train"), trainSize);
          Dataset test = first(load("fashion-mnist", "test"), testSize);
          DifferentiableClassifier model = Trainers.train(train, image, seed, null, null);
          long a0 = System.nanoTime();
          org.poisonlab.attribution.Attribution a =
              attributor.attribute(
                  new org.poisonlab.attribution.AttributionRequest(
                      model, train, test.examples(), image, seed, options, System.err::println));
          row = Json.mapper().createObjectNode();
          row.put("train_size", train.size());
          row.put("test_size", test.size());
          row.put("parameters", model.parameterCount());
          row.put("attribution_seconds", (System.nanoTime() - a0) / 1e9);
          row.set("diagnostics", Json.mapper().valueToTree(a.diagnostics()));
        }
        default -> throw new IllegalArgumentException("unknown metric " + metric);
      }
      row.put("total_seconds", (System.nanoTime() - start) / 1e9);
      out.set(metric, row);
      System.err.println(metric + ": " + Json.pretty(row));
    }
    System.out.println(Json.pretty(out));
  }

  private static EvaluationSetup setup(
      Dataset train,
      List<Example> test,
      TrainConfig config,
      long seed,
      Map<String, String> options,
      int parallel) {
    // the default tolerance: leave-one-out refits the reference tightly itself
    DifferentiableClassifier model = Trainers.train(train, config, seed, null, null);
    return new EvaluationSetup(model, train, test, config, seed, options, parallel, null);
  }

  private static double accuracy(DifferentiableClassifier m, Dataset test) {
    int[] predicted = m.predict(test.examples());
    int[] truth = m.labelIndices(test.examples());
    int right = 0;
    for (int i = 0; i < truth.length; i++) {
      right += predicted[i] == truth[i] ? 1 : 0;
    }
    return (double) right / truth.length;
  }

  private static Dataset load(String name, String split) {
    return PinnedDatasets.load(name, split, PinnedDatasets.home(), null);
  }

  private static Dataset first(Dataset d, int n) {
    return new Dataset(d.name() + "[:" + n + "]", d.examples().subList(0, Math.min(n, d.size())));
  }

  private static Dataset classes(Dataset d, Set<String> labels, int max) {
    List<Example> out = new ArrayList<>();
    for (Example e : d) {
      if (labels.contains(e.label()) && out.size() < max) {
        out.add(e);
      }
    }
    return new Dataset(d.name() + labels, out);
  }

  /** The summary without per-point arrays, except the mislabel curve at every tenth point. */
  private static ObjectNode trim(EvaluationResult r) {
    ObjectNode m = Json.mapper().valueToTree(r.summary());
    m.remove("per_test");
    if (r instanceof EvaluationResult.LeaveOneOut l) {
      List<LooFigures> tests = new ArrayList<>();
      for (EvaluationResult.LooPoint p : l.points()) {
        tests.add(new LooFigures(p.testIndex(), p.pearson(), p.spearman(), p.slope()));
      }
      m.set("tests", Json.mapper().valueToTree(tests));
    }
    if (r instanceof EvaluationResult.Mislabel mis) {
      List<Double> curve = new ArrayList<>();
      for (int q = 9; q < 100; q += 10) {
        curve.add(mis.found()[q]);
      }
      m.set("found_at_10_20_to_100_percent", Json.mapper().valueToTree(curve));
      m.remove("inspected");
      m.remove("found");
    }
    return m;
  }

  /** A leave-one-out test point's correlations, without its arrays. */
  @JsonPropertyOrder({"test_index", "pearson", "spearman", "slope"})
  record LooFigures(
      @JsonProperty("test_index") int testIndex, double pearson, double spearman, double slope) {}
}
