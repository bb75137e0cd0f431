package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.api.Test;

/**
 * {@link DenseMath}'s LeakyReLU, forward and backward, on the Vector API path against the scalar loops, bit for bit:
 * NaN, ±0, ±∞, subnormals, negative and positive values, every length around a vector's lanes, at an offset, and
 * against the definition written out here.
 */
class LeakyReluVectorTest {
  private static final float[] SPECIAL = {Float.NaN, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
      Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -3.5f, 2.25f, Float.MAX_VALUE, -Float.MAX_VALUE};

  @Test
  void vectorLoopsHaveTheScalarBits() {
    assertTrue(VectorApi.ENABLED && LeakyReluVector.usable(), "tests run with the Vector API");
    Random random = new Random(9);
    float slope = 0.01f;
    for (int n = 0; n <= 41; n++) {
      float[] z = new float[n + 5];
      float[] d = new float[n + 5];
      for (int i = 0; i < z.length; i++) {
        z[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        d[i] = random.nextInt(5) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
      }
      float[] h = new float[z.length];
      float[] hScalar = new float[z.length];
      DenseMath.leakyRelu(z, 3, n, slope, h);
      DenseMath.leakyReluScalar(z, 3, n, slope, hScalar);
      float[] back = d.clone();
      float[] backScalar = d.clone();
      DenseMath.leakyReluBackward(z, 3, n, slope, back);
      DenseMath.leakyReluBackwardScalar(z, 3, n, slope, backScalar);
      for (int i = 0; i < z.length; i++) {
        String what = "n=" + n + " i=" + i + " z=" + z[i];
        assertEquals(Float.floatToRawIntBits(hScalar[i]), Float.floatToRawIntBits(h[i]), what);
        assertEquals(Float.floatToRawIntBits(backScalar[i]), Float.floatToRawIntBits(back[i]), what);
        boolean inside = i >= 3 && i < 3 + n;
        float expectedH = inside ? (z[i] > 0 ? z[i] : slope * z[i]) : 0f;
        float expectedBack = inside && z[i] <= 0 ? d[i] * slope : d[i];
        assertEquals(Float.floatToRawIntBits(expectedH), Float.floatToRawIntBits(h[i]), "definition " + what);
        assertEquals(Float.floatToRawIntBits(expectedBack), Float.floatToRawIntBits(back[i]), "definition " + what);
      }
    }
  }
}
