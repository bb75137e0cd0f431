package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The encoder's hand-written backward pass against central differences of its forward pass. */
class AbundanceEncoderKernelTest {

  /** L = Σ w_pk a_pk for fixed weights w: its gradient is the backward pass of dA = w. */
  private static double loss(AbundanceEncoderKernel k, float[] x, int n, float[] params, float[] w) {
    float[] a = new float[n * k.endmembers()];
    k.forward(x, 0, n, params, AbundanceEncoderKernel.Mode.TRAIN_NO_UPDATE, a, 0);
    double l = 0;
    for (int i = 0; i < a.length; i++) {
      l += (double) w[i] * a[i];
    }
    return l;
  }

  @Test
  void backwardMatchesCentralDifferences() {
    int b = 7;
    int r = 2;
    int n = 5;
    AbundanceEncoderKernel k = new AbundanceEncoderKernel(b, r);
    Random random = new Random(11);
    float[] params = new float[k.parameterCount()];
    for (int i = k.trainedOffset(); i < params.length; i++) {
      params[i] = (float) (0.5 * random.nextGaussian());
    }
    for (int j = 0; j < r; j++) {
      params[k.varianceOffset() + j] = 1f;
      params[k.gammaOffset() + j] = 1f + 0.2f * j;
      params[k.alphaOffset() + j] = 0.05f;
    }
    float[] x = new float[n * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    float[] w = new float[n * r];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    float[] a = new float[n * r];
    k.forward(x, 0, n, params, AbundanceEncoderKernel.Mode.TRAIN_NO_UPDATE, a, 0);
    float[] gradient = new float[k.parameterCount()];
    float[] dx = new float[n * b];
    k.backward(x, 0, n, params, w, 0, gradient, dx);
    // Float arithmetic: differences with step 1e-3 agree to about 1e-3 absolute, 2 % relative.
    for (int i = k.trainedOffset(); i < params.length; i++) {
      assertEquals(centralDifference(k, x, n, params, w, params, i), gradient[i], 2e-3 + 2e-2 * Math.abs(gradient[i]),
          "parameter " + i);
    }
    for (int i = 0; i < x.length; i++) {
      assertEquals(centralDifference(k, x, n, params, w, x, i), dx[i], 2e-3 + 2e-2 * Math.abs(dx[i]), "input " + i);
    }
    assertTrue(params.length - k.trainedOffset() > 100);
  }

  /** (L(v_i + h) − L(v_i − h)) / 2h, where {@code varied} is {@code x} or {@code params}. */
  private static double centralDifference(AbundanceEncoderKernel k, float[] x, int n, float[] params, float[] w,
      float[] varied, int i) {
    float h = 1e-3f;
    float keep = varied[i];
    varied[i] = keep + h;
    double plus = loss(k, x, n, params, w);
    varied[i] = keep - h;
    double minus = loss(k, x, n, params, w);
    varied[i] = keep;
    return (plus - minus) / (2 * h);
  }

  @Test
  void abundancesAreNonNegativeAndSumToOne() {
    int b = 30;
    int r = 4;
    int n = 50;
    AbundanceEncoderKernel k = new AbundanceEncoderKernel(b, r);
    Random random = new Random(5);
    float[] params = new float[k.parameterCount()];
    for (int i = k.trainedOffset(); i < params.length; i++) {
      params[i] = (float) random.nextGaussian();
    }
    for (int j = 0; j < r; j++) {
      params[k.varianceOffset() + j] = 1f;
      params[k.alphaOffset() + j] = 0.3f;
    }
    float[] x = new float[n * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    for (AbundanceEncoderKernel.Mode mode : AbundanceEncoderKernel.Mode.values()) {
      float[] a = new float[n * r];
      k.forward(x, 0, n, params, mode, a, 0);
      for (int p = 0; p < n; p++) {
        double sum = 0;
        for (int j = 0; j < r; j++) {
          assertTrue(a[p * r + j] >= 0f);
          sum += a[p * r + j];
        }
        assertEquals(1.0, sum, 1e-6, mode + " pixel " + p);
      }
    }
  }
}
