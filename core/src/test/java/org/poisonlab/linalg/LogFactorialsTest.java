package org.poisonlab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

class LogFactorialsTest {
  /** ln of a big integer to double precision, from its leading digits and its length. */
  private static double ln(BigInteger x) {
    int shift = Math.max(0, x.bitLength() - 60);
    return Math.log(new BigDecimal(x.shiftRight(shift)).doubleValue()) + shift * Math.log(2);
  }

  private static BigInteger factorial(int n) {
    BigInteger f = BigInteger.ONE;
    for (int i = 2; i <= n; i++) {
      f = f.multiply(BigInteger.valueOf(i));
    }
    return f;
  }

  @Test
  void factorialsMatchExactArithmeticBothSidesOfTheSeriesSwitch() {
    for (int n : new int[] {0, 1, 10, 255, 256, 300, 5000}) {
      double exact = ln(factorial(n));
      assertEquals(exact, LogFactorials.logFactorial(n), 1e-13 * Math.max(1, exact), "n = " + n);
    }
  }

  @Test
  void binomialCoefficientsMatchExactArithmetic() {
    int[][] cases = {{10, 3}, {600, 600}, {4812, 37}, {60000, 600}};
    for (int[] c : cases) {
      BigInteger exact = factorial(c[0]).divide(factorial(c[1]).multiply(factorial(c[0] - c[1])));
      double want = exact.signum() == 0 ? 0 : ln(exact);
      assertEquals(
          want, LogFactorials.logChoose(c[0], c[1]), 1e-9 * Math.max(1, want), c[0] + "," + c[1]);
    }
    assertEquals(
        new BigDecimal(Math.log(120)).round(MathContext.DECIMAL64).doubleValue(),
        LogFactorials.logChoose(10, 3),
        1e-12);
  }

  @Test
  void undefinedArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> LogFactorials.logChoose(3, 4));
    assertThrows(IllegalArgumentException.class, () -> LogFactorials.logFactorial(-1));
  }
}
