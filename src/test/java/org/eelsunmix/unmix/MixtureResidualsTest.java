package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MixtureResiduals}: the Vector API's lanes (one pixel each) and the four-pixel loop give every pixel the bits
 * of a plain one-pixel loop written here (fit {@code Σ_r a_r M_rc} from 0 in endmember order, squares added in
 * channel order), including pixels with NaN, negative abundances and a zero spectrum.
 */
class MixtureResidualsTest {

  @ParameterizedTest
  @CsvSource({"1, 200", "2, 13", "3, 200", "3, 157", "4, 903", "7, 31"})
  void everyPathGivesTheOnePixelLoopsBits(int r, int b) {
    assertTrue(VectorApi.ENABLED && MixtureResiduals.VECTOR, "the test JVM runs with the Vector API module");
    Random random = new Random(31L * r + b);
    // Whole vectors, then (with eight lanes) a group of four and a single pixel; with four lanes a fourth vector and a
    // single pixel, and the group of four is checked on the first pixels below.
    int pixels = 3 * MixtureResidualsVector.lanes() + 5;
    int vectors = pixels / MixtureResidualsVector.lanes() * MixtureResidualsVector.lanes();
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

    double[] out = new double[pixels + 3];
    double[] work = new double[MixtureResiduals.workLength(r, b)];
    int done = MixtureResiduals.lanes(y, offset, pixels, a, 1, m, r, b, out, 3, work);
    assertEquals(vectors, done);
    int checked = done;
    if (pixels - done >= 4) {
      MixtureResiduals.four(y, offset + done * b, a, 1 + done * r, m, r, b, out, 3 + done);
      checked += 4;
    }
    for (int p = 0; p < checked; p++) {
      double expected = onePixel(y, offset + p * b, a, 1 + p * r, m, r, b);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(out[3 + p]),
          "pixel " + p + ": " + expected + " vs " + out[3 + p]);
    }
    // The group of four on pixels 3 .. 6 (the zero spectrum, negative abundances and the NaN among them), whatever
    // the lane count.
    double[] fours = new double[4];
    MixtureResiduals.four(y, offset + 3 * b, a, 1 + 3 * r, m, r, b, fours, 0);
    for (int p = 0; p < 4; p++) {
      double expected = onePixel(y, offset + (3 + p) * b, a, 1 + (3 + p) * r, m, r, b);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(fours[p]), "four, pixel " + (3 + p));
    }
    // The channel-major copy made once (as FclsResiduals shares it between endmember sets) gives the same bits.
    double[] copy = new double[MixtureResiduals.channelMajorLength(pixels, b)];
    float[] block = java.util.Arrays.copyOfRange(y, offset, y.length);
    MixtureResiduals.channelMajor(block, 0, pixels, b, copy);
    double[] shared = new double[pixels];
    double[] abundances = java.util.Arrays.copyOfRange(a, 1, a.length);
    assertEquals(done, MixtureResiduals.lanes(copy, pixels, abundances, 0, m, r, b, shared, 0, work));
    for (int p = 0; p < done; p++) {
      assertEquals(Double.doubleToRawLongBits(out[3 + p]), Double.doubleToRawLongBits(shared[p]), "shared copy " + p);
    }
    // NMF's entry point routes a whole block through the lanes, the fours and single pixels.
    float[] own = java.util.Arrays.copyOfRange(y, offset, y.length);
    double[] w = java.util.Arrays.copyOfRange(a, 1, a.length);
    double[] all = new double[pixels];
    Nmf.pixelResidualsSquared(own, pixels, b, w, m, r, all);
    double total = 0;
    for (int p = 0; p < pixels; p++) {
      double expected = onePixel(y, offset + p * b, a, 1 + p * r, m, r, b);
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(all[p]), "NMF pixel " + p);
      total += expected;
    }
    assertEquals(Double.doubleToRawLongBits(total),
        Double.doubleToRawLongBits(Nmf.residualSquared(own, pixels, b, w, m, r)));
    assertTrue(Double.isNaN(out[3 + 6]));
  }

  private static double onePixel(float[] y, int o, double[] a, int q, double[] m, int r, int b) {
    double sum = 0;
    for (int c = 0; c < b; c++) {
      double fit = 0;
      for (int t = 0; t < r; t++) {
        fit += a[q + t] * m[t * b + c];
      }
      double e = y[o + c] - fit;
      sum += e * e;
    }
    return sum;
  }
}
