package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MixtureResiduals}: the Vector API's path and the scalar twin give every pixel the bits of the stated order
 * written out here (eight partial sums over {@code c mod 8}, the leftover channels into the first, then
 * {@code (s0 + s1) + (s2 + s3)}), and both are within a few roundings of the exact residual (BigDecimal), on every
 * remainder of B mod 8, including pixels with NaN, negative abundances and a zero spectrum; NMF's and FCLS's entry
 * points give the same bits.
 */
class MixtureResidualsTest {

  @ParameterizedTest
  @CsvSource({"1, 200", "2, 13", "3, 200", "3, 157", "3, 2", "4, 903", "4, 200", "4, 2", "7, 31", "3, 3"})
  void everyPathGivesTheStatedOrdersBitsCloseToTheExactSum(int r, int b) {
    assertTrue(VectorApi.ENABLED && MixtureResiduals.VECTOR, "the test JVM runs with the Vector API module");
    Random random = new Random(31L * r + b);
    int pixels = 9;
    int offset = 2;
    double[] m = new double[r * b];
    for (int i = 0; i < m.length; i++) {
      m[i] = 50 + 400 * random.nextDouble();
    }
    float[] y = new float[offset + pixels * b];
    double[] a = new double[1 + pixels * r];
    for (int p = 0; p < pixels; p++) {
      for (int t = 0; t < r; t++) {
        a[1 + p * r + t] = p % 5 == 0 ? -0.25 + random.nextDouble() : random.nextDouble();
      }
      for (int c = 0; c < b; c++) {
        y[offset + p * b + c] = p == 4 ? 0f : (float) Math.rint(1000 * random.nextDouble());
      }
    }
    y[offset + 6 * b + b / 2] = Float.NaN;

    double[] all = new double[pixels];
    MixtureResiduals.all(y, offset, pixels, a, 1, m, r, b, all);
    for (int p = 0; p < pixels; p++) {
      int yo = offset + p * b;
      int ao = 1 + p * r;
      double expected = statedOrder(y, yo, a, ao, m, r, b);
      String what = "pixel " + p + " R=" + r + " B=" + b;
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(all[p]), what);
      assertEquals(Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(MixtureResiduals.oneScalar(y, yo, a, ao, m, r, b)), what + " scalar");
      assertEquals(Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(MixtureResidualsVector.one(y, yo, a, ao, m, r, b)), what + " vector");
      // Both vector shapes, whichever this machine uses (DoubleLanes): eight lanes in one vector or in two.
      assertEquals(Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(MixtureResidualsVector.anyWide(y, yo, a, ao, m, r, b)), what + " eight lanes");
      assertEquals(Double.doubleToRawLongBits(expected),
          Double.doubleToRawLongBits(MixtureResidualsVector.anyNarrow(y, yo, a, ao, m, r, b)), what + " 2 x 4 lanes");
      if (r == 4) {
        assertEquals(Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(MixtureResidualsVector.fourWide(y, yo, a, ao, m, b)), what + " R=4, eight lanes");
        assertEquals(Double.doubleToRawLongBits(expected),
            Double.doubleToRawLongBits(MixtureResidualsVector.fourNarrow(y, yo, a, ao, m, b)), what + " R=4, 2 x 4");
      }
      if (r == 3) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(
            MixtureResidualsVector.threeWide(y, yo, a[ao], a[ao + 1], a[ao + 2], m, b)), what + " R=3, eight lanes");
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(
            MixtureResidualsVector.threeNarrow(y, yo, a[ao], a[ao + 1], a[ao + 2], m, b)), what + " R=3, 2 x 4 lanes");
      }
      if (p != 6) {
        double exact = exact(y, yo, a, ao, m, r, b);
        assertEquals(exact, all[p], 1e-13 * exact, what + " against the exact sum");
      }
    }
    assertTrue(Double.isNaN(all[6]));

    // NMF's entry points: per pixel the same bits, the total added in pixel order.
    float[] own = java.util.Arrays.copyOfRange(y, offset, y.length);
    double[] w = java.util.Arrays.copyOfRange(a, 1, a.length);
    double[] nmf = new double[pixels];
    Nmf.pixelResidualsSquared(own, pixels, b, w, m, r, nmf);
    double total = 0;
    for (int p = 0; p < pixels; p++) {
      assertEquals(Double.doubleToRawLongBits(all[p]), Double.doubleToRawLongBits(nmf[p]), "NMF pixel " + p);
      assertEquals(Double.doubleToRawLongBits(all[p]),
          Double.doubleToRawLongBits(Nmf.pixelResidualSquared(own, p * b, w, p * r, m, r, b)), "NMF one " + p);
      total += all[p];
    }
    assertEquals(Double.doubleToRawLongBits(total),
        Double.doubleToRawLongBits(Nmf.residualSquared(own, pixels, b, w, m, r)));
  }

  /**
   * The order of {@link MixtureResiduals}' class comment, written out with an array of eight sums: the reference the
   * block kernels' tests compare bits with.
   */
  static double statedOrder(float[] y, int o, double[] a, int q, double[] m, int r, int b) {
    double[] s = new double[8];
    int whole = b - b % 8;
    for (int c = 0; c < b; c++) {
      double fit = 0;
      for (int t = 0; t < r; t++) {
        fit += a[q + t] * m[t * b + c];
      }
      double e = y[o + c] - fit;
      s[c < whole ? c % 8 : 0] += e * e;
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  }

  private static double exact(float[] y, int o, double[] a, int q, double[] m, int r, int b) {
    BigDecimal sum = BigDecimal.ZERO;
    for (int c = 0; c < b; c++) {
      BigDecimal e = new BigDecimal(y[o + c]);
      for (int t = 0; t < r; t++) {
        e = e.subtract(new BigDecimal(a[q + t]).multiply(new BigDecimal(m[t * b + c])));
      }
      sum = sum.add(e.multiply(e));
    }
    return sum.round(MathContext.DECIMAL64).doubleValue();
  }
}
