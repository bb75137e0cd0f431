package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.api.Test;

/**
 * {@link SadRowsVector}'s loops against each value's arithmetic written out (float widened to double, double products
 * and sums in the scalar loops' order, the gradient rounded to float), bit for bit, for every length around a vector's
 * four lanes: a JVM without the Vector API gives the same loss and gradient.
 */
class SadRowsVectorTest {
  private static float[] floats(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
    }
    return v;
  }

  private static double[] doubles(Random r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
    }
    return v;
  }

  @Test
  void loopsHaveTheScalarBits() {
    assertTrue(VectorApi.ENABLED && SadRowsVector.usable(), "tests run with the Vector API");
    Random r = new Random(41);
    for (int n = 0; n <= 41; n++) {
      float[] y = floats(r, n);
      float[] h = floats(r, n);
      double[] dot = doubles(r, n);
      double[] yy = doubles(r, n);
      double[] hh = doubles(r, n);
      double[] dot0 = dot.clone();
      double[] yy0 = yy.clone();
      double[] hh0 = hh.clone();
      // y read in place from a longer row, at an offset that is not a whole vector (as from the batch itself).
      int from = n % 5;
      float[] row = new float[from + n + 3];
      System.arraycopy(y, 0, row, from, n);
      // Both double shapes (DoubleLanes: eight lanes in one vector or two) give the same bits.
      double[][] wide = {dot.clone(), yy.clone(), hh.clone()};
      double[][] narrow = {dot.clone(), yy.clone(), hh.clone()};
      assertEquals(SadRowsVector.sumsWide(row, from, h, wide[0], wide[1], wide[2], n),
          SadRowsVector.sumsNarrow(row, from, h, narrow[0], narrow[1], narrow[2], n));
      for (int k = 0; k < 3; k++) {
        for (int p = 0; p < n; p++) {
          assertEquals(Double.doubleToLongBits(narrow[k][p]), Double.doubleToLongBits(wide[k][p]), "n=" + n + " sums");
        }
      }
      int done = SadRowsVector.sums(row, from, h, dot, yy, hh, n);
      assertEquals(n - n % 8, done, "n=" + n + ": the whole passes of eight");
      double[] alpha = doubles(r, n);
      double[] beta = doubles(r, n);
      float[] g = h.clone();
      float[] gw = h.clone();
      float[] gn = h.clone();
      SadRowsVector.gradientWide(alpha, beta, row, from, gw, n);
      SadRowsVector.gradientNarrow(alpha, beta, row, from, gn, n);
      for (int p = 0; p < n; p++) {
        assertEquals(Float.floatToIntBits(gn[p]), Float.floatToIntBits(gw[p]), "n=" + n + " p=" + p + " gradient");
      }
      assertEquals(done, SadRowsVector.gradient(alpha, beta, row, from, g, n));
      for (int p = done; p < n; p++) {
        assertEquals(Float.floatToIntBits(h[p]), Float.floatToIntBits(g[p]), "n=" + n + " p=" + p + " left alone");
      }
      for (int p = 0; p < done; p++) {
        double a = y[p];
        double e = h[p];
        String at = "n=" + n + " p=" + p;
        assertEquals(Double.doubleToLongBits(dot0[p] + a * e), Double.doubleToLongBits(dot[p]), at + " y·ŷ");
        assertEquals(Double.doubleToLongBits(yy0[p] + a * a), Double.doubleToLongBits(yy[p]), at + " y·y");
        assertEquals(Double.doubleToLongBits(hh0[p] + e * e), Double.doubleToLongBits(hh[p]), at + " ŷ·ŷ");
        assertEquals(Float.floatToIntBits((float) (alpha[p] * a + beta[p] * e)), Float.floatToIntBits(g[p]),
            at + " gradient");
      }
      for (int p = done; p < n; p++) {
        assertEquals(Double.doubleToLongBits(dot0[p]), Double.doubleToLongBits(dot[p]), "n=" + n + ": tail untouched");
        assertEquals(Float.floatToIntBits(h[p]), Float.floatToIntBits(g[p]), "n=" + n + ": tail untouched");
      }
    }
  }
}
