package org.poisonlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.poisonlab.eval.EvalReport;
import org.poisonlab.eval.McNemar;
import org.poisonlab.model.TrainConfig;

/** The small JSON pieces of the demo's table. */
final class DemoJson {
  private DemoJson() {}

  static Map<String, Object> budgetJson(int count, int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("rate", Rounding.round(count / (double) n));
    return m;
  }

  /** The accuracy and attack success rate (if any) of {@code e}; accuracy null for no model. */
  static Map<String, Object> evalJson(EvalReport e) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (e == null) {
      m.put("accuracy", null);
      return m;
    }
    m.put("accuracy", Rounding.round(e.accuracy()));
    if (e.attackSuccessRate() != null) {
      m.put("attack_success_rate", Rounding.round(e.attackSuccessRate()));
    }
    return m;
  }

  static Map<String, Object> mcnemarJson(McNemar.Result mc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", mc.detectableByEval());
    m.put("p_value", Rounding.roundP(mc.pValue()));
    m.put("test", "mcnemar");
    m.put("b", mc.b());
    m.put("c", mc.c());
    return m;
  }

  static Map<String, Object> configJson(TrainConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", c.optimizer());
    m.put("epochs", c.epochs());
    m.put("learning_rate", c.learningRate());
    m.put("l2", c.l2());
    return m;
  }
}
