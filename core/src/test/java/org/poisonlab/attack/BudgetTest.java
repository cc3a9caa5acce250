package org.poisonlab.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.poisonlab.io.BadInputException;

class BudgetTest {

  @Test
  void rateIsRoundedHalfUp() {
    assertEquals(3, Budget.ofRate(0.1).count(25));
    assertEquals(2, Budget.ofRate(0.1).count(24));
    assertEquals(29, Budget.ofRate(0.29).count(100));
  }

  @Test
  void rateGivesAtLeastOneExample() {
    assertEquals(1, Budget.ofRate(0.001).count(10));
  }

  @Test
  void rateIsAShareOfTheWholeSetNotOfTheCandidates() {
    assertEquals(10, Budget.ofRate(0.1).count(100, 50));
  }

  @Test
  void countLargerThanTheCandidatesNamesBothNumbers() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Budget.ofCount(500).count(1000, 300));
    assertTrue(e.getMessage().contains("500") && e.getMessage().contains("300"), e.getMessage());
  }

  @Test
  void rateAskingForMoreThanTheCandidatesNamesBothNumbers() {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Budget.ofRate(0.5).count(100, 40));
    assertTrue(e.getMessage().contains("50") && e.getMessage().contains("40"), e.getMessage());
  }

  @Test
  void rateOnAnEmptyPoolIsRejected() {
    assertThrows(BadInputException.class, () -> Budget.ofRate(1.0).count(0));
  }

  @Test
  void ratesOutsideZeroToOneAreRejected() {
    for (double r : new double[] {0, -0.1, 1.0001, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(BadInputException.class, () -> Budget.ofRate(r), "rate " + r);
    }
    assertEquals(7, Budget.ofRate(1.0).count(7));
  }

  @Test
  void countsBelowOneAreRejected() {
    assertThrows(BadInputException.class, () -> Budget.ofCount(0));
    assertThrows(BadInputException.class, () -> Budget.ofCount(-3));
  }

  @Test
  void countIsTakenAsGiven() {
    assertEquals(17, Budget.ofCount(17).count(17));
  }

  @Test
  void budgetsDescribeThemselvesAsAsked() {
    assertEquals(Map.of("rate", 0.25), Budget.ofRate(0.25).toJson());
    assertEquals(Map.of("count", 4), Budget.ofCount(4).toJson());
  }

  @Test
  void rateCountIsTheNearestWholeNumberButAtLeastOne() {
    qt().withFixedSeed(7)
        .forAll(integers().between(1, 1_000_000), doubles().between(1e-7, 1.0))
        .checkAssert(
            (n, r) -> {
              int k = Budget.ofRate(r).count(n);
              assertTrue(k >= 1 && k <= n, "k=" + k + " n=" + n);
              if (k > 1) {
                assertTrue(Math.abs(k - r * n) <= 0.5 + 1e-9, "k=" + k + " r*n=" + r * n);
              } else {
                assertTrue(r * n < 1.5, "k=1 but r*n=" + r * n);
              }
            });
  }
}
