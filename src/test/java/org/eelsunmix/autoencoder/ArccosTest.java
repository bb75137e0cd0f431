package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Arccos} against the JDK's {@link StrictMath#acos} (fdlibm, the independent reference), bit for bit: random
 * arguments over the whole domain, arguments close to ±1 (the spectral angle of well-fitted pixels) and close to 0,
 * every branch's edge, ±1, ±0, subnormals, NaN and arguments outside the domain.
 */
class ArccosTest {
  private static void same(double x) {
    assertEquals(Double.doubleToRawLongBits(StrictMath.acos(x)), Double.doubleToRawLongBits(Arccos.of(x)),
        () -> "acos(" + x + "): " + StrictMath.acos(x) + " vs " + Arccos.of(x));
  }

  @Test
  void givesStrictMathsBits() {
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 1_000_000; i++) {
      same(r.nextDouble(-1, 1));
      double sign = r.nextBoolean() ? 1 : -1;
      same(sign * (1 - Math.scalb(r.nextDouble(), -r.nextInt(60))));
      same(sign * Math.scalb(r.nextDouble(), -r.nextInt(70)));
    }
    for (double x : new double[] {1, -1, 0, -0.0, 0.5, -0.5, Math.nextDown(0.5), Math.nextUp(0.5),
        Math.nextDown(-0.5), Math.nextUp(-0.5), Math.nextDown(1.0), Math.nextUp(-1.0), Math.scalb(1.0, -57),
        Math.scalb(1.0, -56), Double.MIN_VALUE, -Double.MIN_VALUE, Double.NaN, Math.nextUp(1.0), -2, 3,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      same(x);
    }
  }
}
