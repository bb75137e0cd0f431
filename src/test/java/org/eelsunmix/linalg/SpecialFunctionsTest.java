package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {
  @Test
  void erfMatchesTabulatedValues() {
    // Abramowitz & Stegun table 7.1 / high-precision values.
    assertEquals(0.0, SpecialFunctions.erf(0.0), 0.0);
    assertEquals(0.5204998778130465, SpecialFunctions.erf(0.5), 1e-15);
    assertEquals(0.8427007929497149, SpecialFunctions.erf(1.0), 1e-15);
    assertEquals(0.9953222650189527, SpecialFunctions.erf(2.0), 1e-15);
    assertEquals(0.9999779095030014, SpecialFunctions.erf(3.0), 1e-15);
    assertEquals(-0.8427007929497149, SpecialFunctions.erf(-1.0), 1e-15);
    assertEquals(1.0, SpecialFunctions.erf(40.0), 0.0);
  }

  @Test
  void erfMatchesCommonsMathEverywhere() {
    for (double x = -7; x <= 7; x += 0.0137) {
      assertEquals(Erf.erf(x), SpecialFunctions.erf(x), 2e-14, "erf(" + x + ")");
    }
    // Both sides of the switch between series and continued fraction.
    assertEquals(Erf.erf(2.4999999), SpecialFunctions.erf(2.4999999), 2e-14);
    assertEquals(Erf.erf(2.5), SpecialFunctions.erf(2.5), 2e-14);
  }

  @Test
  void logFactorialMatchesDirectSumsAndLogGamma() {
    double sum = 0.0;
    for (int k = 1; k <= 5000; k++) {
      sum += Math.log(k);
      assertEquals(sum, SpecialFunctions.logFactorial(k), 1e-12 * Math.max(1, sum), "ln " + k + "!");
    }
    for (long k : new long[] {256, 1000, 123456, 10_000_000_000L}) {
      double expected = Gamma.logGamma(k + 1.0);
      assertEquals(expected, SpecialFunctions.logFactorial(k), 1e-14 * expected, "ln " + k + "!");
    }
    assertEquals(0.0, SpecialFunctions.logFactorial(0), 0.0);
    assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logFactorial(-1));
  }
}
