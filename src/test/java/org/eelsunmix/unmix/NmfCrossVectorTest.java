package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.api.Test;

/**
 * {@link NmfCrossVector} (NMF's {@code WᵀY} accumulation on the Vector API) against the scalar loop of
 * {@link NmfStatistics#add}, bit for bit: both vector shapes, every row subset of R = 1–5 (rows with a zero
 * abundance are skipped, as the scalar loop skips them), channel counts with and without a tail of fewer than eight.
 */
class NmfCrossVectorTest {

  @Test
  void crossProductHasTheScalarLoopsBits() {
    assertTrue(VectorApi.ENABLED, "the tests run with --add-modules=jdk.incubator.vector (pom.xml's argLine)");
    SplittableRandom random = new SplittableRandom(11);
    for (int b : new int[] {3, 8, 31, 200, 203}) {
      float[] y = new float[3 * b + 5];
      for (int i = 0; i < y.length; i++) {
        y[i] = (float) (random.nextDouble() * 1000);
      }
      for (int r = 1; r <= 5; r++) {
        for (int mask = 0; mask < (1 << r); mask++) {
          for (boolean wide : new boolean[] {true, false}) {
            double[] expected = new double[r * b];
            for (int i = 0; i < expected.length; i++) {
              expected[i] = random.nextDouble() * 1e6 - 5e5;
            }
            double[] actual = expected.clone();
            int[] rows = new int[r];
            double[] ws = new double[r];
            int n = 0;
            for (int s = 0; s < r; s++) {
              if ((mask & (1 << s)) != 0) {
                rows[n] = s;
                ws[n++] = random.nextDouble();
              }
            }
            for (int k = 0; k < n; k++) { // the scalar loop of NmfStatistics.add, from offset 5
              for (int c = 0; c < b; c++) {
                expected[rows[k] * b + c] += ws[k] * y[5 + c];
              }
            }
            NmfCrossVector.add(actual, b, y, 5, rows, ws, n, wide);
            for (int i = 0; i < expected.length; i++) {
              assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]),
                  "B=" + b + " R=" + r + " rows " + Integer.toBinaryString(mask) + " wide " + wide + " at " + i);
            }
          }
        }
      }
    }
  }
}
