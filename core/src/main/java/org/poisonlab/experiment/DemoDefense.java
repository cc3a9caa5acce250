package org.poisonlab.experiment;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.poisonlab.attack.PoisonResult;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.defense.Purges;
import org.poisonlab.defense.ScanContext;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.model.Classifier;
import org.poisonlab.model.DifferentiableClassifier;
import org.poisonlab.results.AfterPurge;
import org.poisonlab.results.DefenseSummary;
import org.poisonlab.results.FlipRecovery;
import org.poisonlab.results.Score;

/**
 * The demo's defense loop for one row: scan the poisoned set with every detector that applies, keep
 * the detection-table row and scan file, purge the best detector's flags, retrain and measure what
 * is left of the attack.
 */
final class DemoDefense {
  private final DemoRows row;
  private final DemoRun run;

  DemoDefense(DemoRows row) {
    this.row = row;
    this.run = row.run;
  }

  /** What the defense loop puts in a row: {@code defense} and {@code after_purge}. */
  record Defended(DefenseSummary defense, AfterPurge afterPurge) {}

  /**
   * A poisoned training set to defend.
   *
   * @param attack the row's attack
   * @param result the poisoned set and its truth
   * @param model the model trained on it (given to the detectors that use one)
   * @param eval that model's evaluation
   * @param what the step's name, for seeds
   * @param index the step's key, for seeds
   * @param retrain retrains on a purged set with the poisoned model's own configuration and seed
   * @param on how a retrained model is evaluated (the poisoned model's evaluation seed)
   */
  record Case(
      String attack,
      PoisonResult result,
      Classifier model,
      EvalReport eval,
      String what,
      int index,
      Function<Dataset, Classifier> retrain,
      Retraining.Evaluated on) {}

  /** Defends sweep point {@code p}, retrained and evaluated as it was. */
  Defended defend(DemoSetting s, String attack, DemoRows.Point p, Trigger trigger, String target) {
    return defend(
        s,
        new Case(
            attack,
            p.result(),
            p.model(),
            p.poisoned(),
            p.what(),
            p.index(),
            data -> run.train(s, data, p.what(), p.index()),
            new Retraining.Evaluated(
                s.test, trigger, target, run.derive("eval", s.dataset, p.what(), p.index()))));
  }

  /**
   * Scans the poisoned set with every detector that applies, records the detection-table row and
   * scan file, purges the best detector's flags, retrains and evaluates.
   */
  Defended defend(DemoSetting s, Case c) {
    String attack = c.attack();
    PoisonResult r = c.result();
    Classifier poisonedModel = c.model();
    EvalReport poisonedEval = c.eval();
    Trigger trigger = c.on().trigger();
    long t0 = System.nanoTime();
    Dataset poisoned = r.poisoned();
    Set<String> truth = new HashSet<>(r.ids());
    ScanContext context =
        new ScanContext(
            run.derive("scan", s.dataset, c.what(), c.index()),
            poisonedModel instanceof DifferentiableClassifier dc ? dc : null,
            run.options.progress());
    DefenseScan.Outcome o = DefenseScan.run(poisoned, truth, context, d -> run.runs(d, attack));
    String scanFile = "scans/" + attack + "-" + s.dataset + ".json";
    if (run.options.folder() != null) {
      DefenseScan.writeScanFile(
          run.options.folder().resolve("scans").resolve(attack + "-" + s.dataset + ".json"), o);
    }
    double scanSeconds = Timings.since(t0);

    DefenseScan.Scored best = o.best();
    DefenseSummary defense =
        new DefenseSummary(
            best.name(),
            Rounding.round(best.metrics().precision()),
            Rounding.round(best.metrics().recall()),
            Double.isNaN(best.metrics().auroc()) ? null : Rounding.round(best.metrics().auroc()),
            Rounding.round(best.metrics().recallAtBudget()),
            Rounding.round(best.f1()),
            best.metrics().flaggedCount(),
            TableParts.budget(r.ids().size(), s.train.size()),
            o.each().size(),
            Demo.BEST_RULE);

    run.progress(attack + "/" + s.dataset + ": purging " + best.name() + "'s flags");
    List<String> flagged = o.bestFlaggedIds();
    Purges.PurgeResult purged = Purges.byExample(poisoned, flagged);
    AfterPurge after = afterPurge(purged, truth, c);
    if (trigger == null) {
      // untargeted: the accuracy the flips cost and the share retraining on the pruned set won back
      double lost = s.cleanAccuracy() - poisonedEval.accuracy();
      double won = after.accuracy() - poisonedEval.accuracy();
      after =
          after.withRecovery(
              new FlipRecovery(
                  Rounding.round(poisonedEval.accuracy()),
                  Rounding.round(lost),
                  lost > 0 ? Rounding.round(won / lost) : null));
    }
    if (attack.equals("semantic")) {
      // data provenance: remove whole sources whose flagged share is improbably high
      Purges.PurgeResult bySource = Purges.bySource(poisoned, flagged, Purges.ALPHA);
      AfterPurge retrained = afterPurge(bySource, truth, c);
      after =
          after.withBySource(
              DefenseScan.bySourceJson(poisoned, bySource, truth)
                  .retrained(
                      new Score(retrained.accuracy(), retrained.attackSuccessRate(), null),
                      DefenseScan.removedSourcesJson(bySource)));
    }

    row.detectionRows.add(
        DefenseScan.row(
            o,
            attack,
            s.dataset,
            s.model,
            TableParts.budget(r.ids().size(), s.train.size()),
            run.options.folder() == null ? null : scanFile,
            scanSeconds,
            Timings.since(t0) - scanSeconds));
    return new Defended(defense, after);
  }

  /**
   * Retrains on what {@code purged} kept, as the case says, and evaluates: the retrained model's
   * accuracy (and attack success rate), how many examples were removed and how many were poisons.
   */
  static AfterPurge afterPurge(Purges.PurgeResult purged, Set<String> truth, Case c) {
    return afterPurge(Retraining.retrain(purged, truth, c.retrain(), c.on()));
  }

  static AfterPurge afterPurge(Retraining.Retrained r) {
    return AfterPurge.of(TableParts.score(r.eval()), r.purge().removed(), r.poisonsRemoved());
  }
}
