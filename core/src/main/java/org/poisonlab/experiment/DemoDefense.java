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
import org.poisonlab.results.BudgetShare;
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

  /**
   * What the defense loop puts in a row: {@code defense} (the default scan) and {@code
   * after_purge}, and {@code defense_hindsight} (the truth-picked detector with its own purge).
   */
  record Defended(DefenseSummary defense, AfterPurge afterPurge, DefenseSummary hindsight) {}

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
   * Scans the poisoned set with every detector that applies (the test split as the clean
   * reference), records the detection-table row and scan file, purges the default scan's flags and,
   * apart, the truth-picked detector's; retrains and evaluates each.
   */
  Defended defend(DemoSetting s, Case c) {
    String attack = c.attack();
    PoisonResult r = c.result();
    Classifier poisonedModel = c.model();
    long t0 = System.nanoTime();
    Dataset poisoned = r.poisoned();
    Set<String> truth = new HashSet<>(r.ids());
    ScanContext context =
        new ScanContext(
            run.derive("scan", s.dataset, c.what(), c.index()),
            poisonedModel instanceof DifferentiableClassifier dc ? dc : null,
            run.options.progress(),
            s.test);
    DefenseScan.Outcome o =
        DefenseScan.run(poisoned, truth, context, run.detectors(poisoned, attack));
    String scanFile = "scans/" + attack + "-" + s.dataset + ".json";
    if (run.options.folder() != null) {
      DefenseScan.writeScanFile(
          run.options.folder().resolve("scans").resolve(attack + "-" + s.dataset + ".json"), o);
    }
    double scanSeconds = Timings.since(t0);

    BudgetShare budget = TableParts.budget(r.ids().size(), s.train.size());
    DefenseScan.Scored best = o.best();
    DefenseScan.Scored chosen = o.combined();
    DefenseSummary defense =
        summary(chosen, o.holding(), budget, o.each().size(), Demo.DEFAULT_RULE, o.verdict());
    DefenseSummary hindsight =
        summary(best, best.name(), budget, o.each().size(), Demo.BEST_RULE, null);

    run.progress(attack + "/" + s.dataset + ": purging the default scan's flags");
    List<String> flagged = DefenseScan.flaggedIds(poisoned, chosen.detection());
    List<String> bestFlagged = o.bestFlaggedIds();
    AfterPurge after = purged(s, Purges.byExample(poisoned, flagged), truth, c);
    AfterPurge afterBest =
        bestFlagged.equals(flagged)
            ? after
            : purged(s, Purges.byExample(poisoned, bestFlagged), truth, c);
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
            o, attack, s.dataset, s.model, budget, run.options.folder() == null ? null : scanFile));
    String name = attack + "/" + s.dataset;
    row.timings.put(name + "/scan", scanSeconds);
    row.timings.put(name + "/purge_and_retrain", Timings.since(t0) - scanSeconds);
    return new Defended(defense, after, hindsight.withAfterPurge(afterBest));
  }

  private static DefenseSummary summary(
      DefenseScan.Scored d,
      String name,
      BudgetShare budget,
      int detectorsRun,
      String rule,
      String verdict) {
    return new DefenseSummary(
        name,
        Rounding.round(d.metrics().precision()),
        Rounding.round(d.metrics().recall()),
        Double.isNaN(d.metrics().auroc()) ? null : Rounding.round(d.metrics().auroc()),
        Rounding.round(d.metrics().recallAtBudget()),
        Rounding.round(d.f1()),
        d.metrics().flaggedCount(),
        budget,
        detectorsRun,
        rule,
        verdict,
        null);
  }

  /**
   * The purge retrained and evaluated; for an untargeted attack also the accuracy the flips cost
   * and the share retraining won back.
   */
  private AfterPurge purged(DemoSetting s, Purges.PurgeResult purged, Set<String> truth, Case c) {
    AfterPurge after = afterPurge(purged, truth, c);
    if (c.on().trigger() == null) {
      double lost = s.cleanAccuracy() - c.eval().accuracy();
      double won = after.accuracy() - c.eval().accuracy();
      after =
          after.withRecovery(
              new FlipRecovery(
                  Rounding.round(c.eval().accuracy()),
                  Rounding.round(lost),
                  lost > 0 ? Rounding.round(won / lost) : null));
    }
    return after;
  }

  /**
   * Retrains on what {@code purged} kept, as the case says, and evaluates: the retrained model's
   * accuracy (and attack success rate), how many examples were removed and how many were poisons.
   */
  private AfterPurge afterPurge(Purges.PurgeResult purged, Set<String> truth, Case c) {
    return afterPurge(row.retrain(c.what(), c.index(), purged, truth, c.retrain(), c.on()));
  }

  static AfterPurge afterPurge(Retraining.Retrained r) {
    return AfterPurge.of(TableParts.score(r.eval()), r.purge().removed(), r.poisonsRemoved());
  }
}
