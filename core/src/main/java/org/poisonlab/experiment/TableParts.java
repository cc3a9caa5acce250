package org.poisonlab.experiment;

import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.McNemar;
import org.poisonlab.model.TrainConfig;
import org.poisonlab.results.BudgetShare;
import org.poisonlab.results.EvalVerdict;
import org.poisonlab.results.Score;
import org.poisonlab.results.TrainSettings;

/** The small typed pieces of a results row, rounded as results files round them. */
final class TableParts {
  private TableParts() {}

  /** {@code count} poisons in a training set of {@code n}. */
  static BudgetShare budget(int count, int n) {
    return new BudgetShare(count, Rounding.round(count / (double) n));
  }

  /** The accuracy and attack success rate (if any) of {@code e}; accuracy null for no model. */
  static Score score(EvalReport e) {
    if (e == null) {
      return new Score(null, null, null);
    }
    Double asr = e.attackSuccessRate() == null ? null : Rounding.round(e.attackSuccessRate());
    return new Score(Rounding.round(e.accuracy()), asr, null);
  }

  /** McNemar's test as evaluation's verdict. */
  static EvalVerdict verdict(McNemar.Result mc) {
    return new EvalVerdict(
        mc.detectableByEval(), Rounding.roundP(mc.pValue()), "mcnemar", mc.b(), mc.c());
  }

  /** The optimizer, epochs, learning rate and weight decay of {@code c}. */
  static TrainSettings settings(TrainConfig c) {
    return new TrainSettings(c.optimizer(), c.epochs(), c.learningRate(), c.l2());
  }
}
