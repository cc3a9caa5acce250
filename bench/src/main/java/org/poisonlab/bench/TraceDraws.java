package org.poisonlab.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.poisonlab.attack.AttackerSources;
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
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.model.Trainers;

/**
 * Tracing image backdoors drawn at random: for each of {@code DRAWS} seeded draws (patch width and
 * height 2–6, corner anywhere in the image, shape solid, L or checker, target any class, 1–5
 * attacker sources) poisons 1 % of a fashion-mnist subsample, fits the default MLP once with
 * checkpoints, traces 20 triggered test inputs labelled with the target by each TracIn variant and
 * prints recall@k (k = the poison count), then the mean and minimum per variant. With {@code
 * purge}, also the accuracy and attack success rate after purging each variant's top k.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *     org.poisonlab.bench.TraceDraws 8 2026 10000 'tracin-saliency,tracin-saliency:center=label' purge
 * </pre>
 *
 * <p>Arguments: draws, seed, subsample (0 = all), variants (comma-separated {@code NAME[:k=v;k=v]},
 * NAME {@code tracin} or {@code tracin-saliency}), optionally {@code purge}.
 */
public final class TraceDraws {
  private TraceDraws() {}

  /** One random trigger and target. */
  record Draw(Trigger trigger, String target, int sources, long poisonSeed) {}

  static Draw draw(SplittableRandom rng) {
    int w = 2 + rng.nextInt(5);
    int h = 2 + rng.nextInt(5);
    int x = rng.nextInt(29 - w);
    int y = rng.nextInt(29 - h);
    Trigger.PatchTrigger.Shape shape =
        Trigger.PatchTrigger.Shape.values()[
            rng.nextInt(Trigger.PatchTrigger.Shape.values().length)];
    Trigger t = new Trigger.PatchTrigger(w, h, x, y, 255, shape);
    return new Draw(t, Integer.toString(rng.nextInt(10)), 1 + rng.nextInt(5), rng.nextLong());
  }

  static Dataset fashionMnist(String split) {
    return PinnedDatasets.load("fashion-mnist", split, PinnedDatasets.home(), null);
  }

  /** Every (size / subsample)-th example, or all for 0. */
  static Dataset subsample(Dataset train, int subsample) {
    if (subsample <= 0 || subsample >= train.size()) {
      return train;
    }
    int[] keep = new int[subsample];
    for (int i = 0; i < subsample; i++) {
      keep[i] = (int) ((long) i * train.size() / subsample);
    }
    return train.subset(keep);
  }

  /**
   * One draw applied: the poisoned set and its poison ids, the model's checkpoints and final model,
   * its evaluation, and 20 triggered test inputs of other classes labelled with the target.
   */
  record Scenario(
      Dataset poisoned,
      Set<String> truth,
      List<Checkpoint> checkpoints,
      DifferentiableClassifier model,
      EvalReport before,
      List<Example> behaviour) {}

  static Scenario scenario(Draw draw, Dataset train, Dataset test, TrainConfig config) {
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofRate(0.01),
                draw.trigger(),
                draw.target(),
                AttackerSources.generated(draw.sources()))
            .apply(train, draw.poisonSeed());
    List<Checkpoint> checkpoints =
        Trainers.trainWithCheckpoints(r.poisoned(), config, 0, null, null);
    DifferentiableClassifier model = checkpoints.get(checkpoints.size() - 1).model();
    EvalReport before = Evaluation.evaluate(model, test, draw.trigger(), draw.target(), 0);
    List<Example> behaviour = new ArrayList<>();
    SplittableRandom br = new SplittableRandom(1);
    for (Example e : test) {
      if (behaviour.size() < 20 && !e.label().equals(draw.target())) {
        behaviour.add(draw.trigger().apply(e, br).withLabel(draw.target()));
      }
    }
    return new Scenario(
        r.poisoned(), new HashSet<>(r.ids()), checkpoints, model, before, behaviour);
  }

  /** The ids of the {@code k} highest-scoring examples, highest first. */
  static List<String> top(double[] scores, Dataset d, int k) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < scores.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (u, v) -> Double.compare(scores[v], scores[u]));
    List<String> top = new ArrayList<>(k);
    for (int q = 0; q < k; q++) {
      top.add(d.get(order[q]).id());
    }
    return top;
  }

  /** The share of {@code truth} among {@code top} (recall@k when {@code top} has k = |truth|). */
  static double recall(List<String> top, Set<String> truth) {
    return (double) top.stream().filter(truth::contains).count() / truth.size();
  }

  public static void main(String[] args) {
    int draws = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    int subsample = Integer.parseInt(args[2]);
    List<String> methods = List.of(args[3].split(","));
    boolean purge = args.length > 4 && args[4].equals("purge");
    Set<Integer> only = new HashSet<>();
    if (args.length > 5) {
      for (String d : args[5].split(",")) {
        only.add(Integer.parseInt(d));
      }
    }
    Dataset train = subsample(fashionMnist("train"), subsample);
    Dataset test = fashionMnist("test");
    TrainConfig config = TrainConfig.defaults("mlp", Dataset.Kind.IMAGE);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] sum = new double[methods.size()];
    double[] min = new double[methods.size()];
    java.util.Arrays.fill(min, 1);
    int run = 0;
    for (int d = 0; d < draws; d++) {
      Draw draw = draw(rng);
      if (!only.isEmpty() && !only.contains(d)) {
        continue;
      }
      run++;
      Scenario sc = scenario(draw, train, test, config);
      Dataset poisoned = sc.poisoned();
      Set<String> truth = sc.truth();
      List<Checkpoint> checkpoints = sc.checkpoints();
      DifferentiableClassifier model = sc.model();
      EvalReport before = sc.before();
      List<Example> behaviour = sc.behaviour();
      System.out.printf(
          "draw %d: %s → %s, %d sources, %d poisons; model accuracy %.4f, ASR %.3f%n",
          d,
          draw.trigger().spec(),
          draw.target(),
          draw.sources(),
          truth.size(),
          before.accuracy(),
          before.attackSuccessRate());
      for (int q = 0; q < methods.size(); q++) {
        String spec = methods.get(q);
        String name = spec.split(":")[0];
        Map<String, String> options = new LinkedHashMap<>();
        if (spec.contains(":")) {
          for (String kv : spec.substring(spec.indexOf(':') + 1).split(";")) {
            options.put(kv.split("=")[0], kv.split("=")[1]);
          }
        }
        long s0 = System.nanoTime();
        Attribution a =
            Attributors.tracIn(name, checkpoints)
                .attribute(
                    new AttributionRequest(model, poisoned, behaviour, config, 0, options, null));
        double secs = (System.nanoTime() - s0) / 1e9;
        List<String> top = top(a.aggregate(), poisoned, truth.size());
        double recall = recall(top, truth);
        sum[q] += recall;
        min[q] = Math.min(min[q], recall);
        String after = "";
        if (purge) {
          DifferentiableClassifier retrained =
              Trainers.train(Purges.byExample(poisoned, top).kept(), config, 0, null, null);
          EvalReport e = Evaluation.evaluate(retrained, test, draw.trigger(), draw.target(), 0);
          after =
              String.format(
                  "  after purge: accuracy %.4f, ASR %.3f", e.accuracy(), e.attackSuccessRate());
        }
        System.out.printf("  %-50s recall@k %.3f %6.1f s%s%n", spec, recall, secs, after);
      }
    }
    for (int q = 0; q < methods.size(); q++) {
      System.out.printf(
          "%-52s mean recall@k %.3f, min %.3f over %d draws%n",
          methods.get(q), sum[q] / run, min[q], run);
    }
  }
}
