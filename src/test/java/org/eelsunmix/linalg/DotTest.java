package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inner products against naive loops and exact (BigDecimal) sums, on every length 0..17 (so each remainder of the
 * eight-way unrolling is hit) and at non-zero offsets.
 */
class DotTest {

  private static double exact(double[] a, int aOffset, double[] b, int bOffset, int n) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      s = s.add(new BigDecimal(a[aOffset + i]).multiply(new BigDecimal(b[bOffset + i])));
    }
    return s.doubleValue();
  }

  /** The documented eight-sum order written out: sums of c ≡ j (mod 8) over whole groups, the tail into s0. */
  private static double eightSums(double[] d, int base, int n, double[] y, int offset) {
    double[] s = new double[8];
    int whole = n - n % 8;
    for (int c = 0; c < whole; c++) {
      s[c % 8] += d[base + c] * y[offset + c];
    }
    for (int c = whole; c < n; c++) {
      s[0] += d[base + c] * y[offset + c];
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  }

  private static double[] random(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * Math.exp(3 * r.nextGaussian());
    }
    return v;
  }

  private static double bound(double[] a, int aOffset, double[] b, int bOffset, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs(a[aOffset + i] * b[bOffset + i]);
    }
    return 1e-14 * s;
  }

  @Test
  void indexOrderDotIsTheNaiveLoop() {
    Random r = new Random(1);
    for (int n = 0; n <= 17; n++) {
      double[] a = random(r, n);
      double[] b = random(r, n + 2);
      double naive = 0;
      for (int i = 0; i < n; i++) {
        naive += a[i] * b[i];
      }
      assertEquals(naive, Dot.dot(a, b), 0.0, "n=" + n);
      assertEquals(exact(a, 0, b, 0, n), Dot.dot(a, b), bound(a, 0, b, 0, n), "n=" + n);
      double[] c = random(r, n + 5);
      assertEquals(exact(c, 3, b, 1, n), Dot.dot(c, 3, b, 1, n), bound(c, 3, b, 1, n), "offsets, n=" + n);
    }
  }

  @Test
  void unrolledRowProductsMatchExactSumsAndTheirDocumentedOrder() {
    Random r = new Random(2);
    for (int n = 0; n <= 17; n++) {
      int base = 3;
      int offset = 5;
      double[] d = random(r, base + 2 * n);
      double[] y = random(r, offset + n);
      float[] yf = new float[y.length];
      double[] yWidened = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        yf[i] = (float) y[i];
        yWidened[i] = yf[i];
      }
      double row0 = Dot.unrolled(d, base, n, y, offset);
      assertEquals(exact(d, base, y, offset, n), row0, bound(d, base, y, offset, n), "n=" + n);
      assertEquals(eightSums(d, base, n, y, offset), row0, 0.0, "eight-sum order, n=" + n);
      double row0f = Dot.unrolled(d, base, n, yf, offset);
      assertEquals(eightSums(d, base, n, yWidened, offset), row0f, 0.0, "float y, n=" + n);

      // The pair kernel gives each row bit for bit what the one-row kernel gives.
      double[] out = new double[4];
      Dot.unrolledPair(d, base, n, yf, offset, out, 1);
      assertEquals(row0f, out[1], 0.0, "pair row 0, n=" + n);
      assertEquals(Dot.unrolled(d, base + n, n, yf, offset), out[2], 0.0, "pair row 1, n=" + n);
      assertEquals(eightSums(d, base + n, n, yWidened, offset), out[2], 0.0, "pair row 1 order, n=" + n);
    }
  }

  /** The Vector API path (this JVM has it: pom.xml's argLine) gives the scalar reference's bits, every remainder. */
  @Test
  void vectorRowProductsHaveTheScalarBits() {
    org.junit.jupiter.api.Assertions.assertTrue(VectorApi.ENABLED, "tests run with --add-modules=jdk.incubator.vector");
    Random r = new Random(4);
    for (int n = 0; n <= 211; n += n < 17 ? 1 : 13) {
      int base = 1;
      int offset = 2;
      double[] d = random(r, base + 2 * n);
      double[] y = random(r, offset + n);
      float[] yf = new float[y.length];
      for (int i = 0; i < y.length; i++) {
        yf[i] = (float) (y[i] * 1000);
      }
      assertBits(Dot.unrolledScalar(d, base, n, y, offset), Dot.unrolled(d, base, n, y, offset), "double y, n=" + n);
      assertBits(Dot.unrolledScalar(d, base, n, yf, offset), Dot.unrolled(d, base, n, yf, offset), "float y, n=" + n);
      double[] expected = new double[3];
      double[] got = new double[3];
      pairScalar(d, base, n, yf, offset, expected, 1);
      Dot.unrolledPair(d, base, n, yf, offset, got, 1);
      assertBits(expected[1], got[1], "pair row 0, n=" + n);
      assertBits(expected[2], got[2], "pair row 1, n=" + n);

      // Two spectra at once: each the pair kernel's bits (the second spectrum lies past the first, overlapping).
      float[] two = new float[offset + 2 * n + 3];
      for (int i = 0; i < two.length; i++) {
        two[i] = (float) (1000 * r.nextGaussian());
      }
      double[] a = new double[3];
      double[] b = new double[3];
      Dot.unrolledPairTwice(d, base, n, two, offset, offset + n / 2 + 3, a, b, 1);
      double[] one = new double[3];
      pairScalar(d, base, n, two, offset, one, 1);
      assertBits(one[1], a[1], "two spectra, first, row 0, n=" + n);
      assertBits(one[2], a[2], "two spectra, first, row 1, n=" + n);
      pairScalar(d, base, n, two, offset + n / 2 + 3, one, 1);
      assertBits(one[1], b[1], "two spectra, second, row 0, n=" + n);
      assertBits(one[2], b[2], "two spectra, second, row 1, n=" + n);

      // Both vector shapes, whichever this machine uses (DoubleLanes): eight lanes in one vector or in two.
      assertBits(Dot.unrolledScalar(d, base, n, yf, offset), DotVector.unrolledWide(d, base, n, yf, offset),
          "eight lanes, float y, n=" + n);
      assertBits(Dot.unrolledScalar(d, base, n, yf, offset), DotVector.unrolledNarrow(d, base, n, yf, offset),
          "2 x 4 lanes, float y, n=" + n);
      assertBits(Dot.unrolledScalar(d, base, n, y, offset), DotVector.unrolledWide(d, base, n, y, offset),
          "eight lanes, double y, n=" + n);
      assertBits(Dot.unrolledScalar(d, base, n, y, offset), DotVector.unrolledNarrow(d, base, n, y, offset),
          "2 x 4 lanes, double y, n=" + n);
      double[] wa = new double[3];
      double[] wb = new double[3];
      DotVector.unrolledPairTwiceWide(d, base, n, two, offset, offset + n / 2 + 3, wa, wb, 1);
      double[] na = new double[3];
      double[] nb = new double[3];
      DotVector.unrolledPairTwiceNarrow(d, base, n, two, offset, offset + n / 2 + 3, na, nb, 1);
      for (int k = 1; k <= 2; k++) {
        assertBits(a[k], wa[k], "eight lanes, two spectra, first, n=" + n);
        assertBits(b[k], wb[k], "eight lanes, two spectra, second, n=" + n);
        assertBits(a[k], na[k], "2 x 4 lanes, two spectra, first, n=" + n);
        assertBits(b[k], nb[k], "2 x 4 lanes, two spectra, second, n=" + n);
      }
    }
  }

  /** Two rows by the scalar reference. */
  private static void pairScalar(double[] d, int base, int n, float[] y, int offset, double[] out, int p) {
    out[p] = Dot.unrolledScalar(d, base, n, y, offset);
    out[p + 1] = Dot.unrolledScalar(d, base + n, n, y, offset);
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), what);
  }
}
