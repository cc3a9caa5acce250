package org.poisonlab.defense;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BinomialTest {
  @Test
  void upperTailMatchesDirectSums() {
    // P(Bin(10, 0.3) >= 7) = sum_{i=7}^{10} C(10,i) 0.3^i 0.7^(10-i)
    double direct = 0;
    double[] c = {120, 45, 10, 1};
    for (int i = 7; i <= 10; i++) {
      direct += c[i - 7] * Math.pow(0.3, i) * Math.pow(0.7, 10 - i);
    }
    assertEquals(Math.log(direct), Binomial.logUpperTail(7, 10, 0.3), 1e-10);
    assertEquals(-Math.log10(direct), Binomial.score(7, 10, 0.3), 1e-10);
  }

  @Test
  void farTailsStayFiniteInLogSpace() {
    // P(Bin(600, 0.1) >= 600) = 0.1^600, far below the smallest double
    assertEquals(600, Binomial.score(600, 600, 0.1), 1e-9);
  }

  @Test
  void noExcessIsNoEvidence() {
    assertEquals(0, Binomial.score(3, 10, 0.3), 0);
    assertEquals(0, Binomial.score(0, 10, 0.3), 0);
  }
}
