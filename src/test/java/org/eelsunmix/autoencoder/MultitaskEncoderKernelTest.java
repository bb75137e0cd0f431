package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * MTAEU's encoder kernel: backward pass against central differences, the shared layer on GEMMs against the plain
 * loops it replaced, simplex outputs, the neighbourhoods.
 */
class MultitaskEncoderKernelTest {
  private static final int TASKS = MultitaskEncoderKernel.TASKS;

  /** L = Σ w_pk a_pk, recomputing the last training pass (same noise and dropout masks). */
  private static double loss(MultitaskEncoderKernel k, float[] x, int n, float[] params, float[] w) {
    float[] a = new float[TASKS * n * k.endmembers()];
    k.forward(x, 0, n, params, AbundanceEncoderKernel.Mode.TRAIN_NO_UPDATE, a, 0);
    double l = 0;
    for (int i = 0; i < a.length; i++) {
      l += (double) w[i] * a[i];
    }
    return l;
  }

  private static float[] randomParams(MultitaskEncoderKernel k, Random random) {
    float[] params = new float[k.parameterCount()];
    for (int i = k.statisticsCount(); i < params.length; i++) {
      params[i] = (float) (0.5 * random.nextGaussian());
    }
    for (int i = 0; i < k.statisticsCount(); i++) {
      params[i] = 1f;
    }
    return params;
  }

  @Test
  void backwardMatchesCentralDifferences() {
    int b = 6;
    int r = 3;
    int n = 4;
    MultitaskEncoderKernel k = new MultitaskEncoderKernel(b, r, 3);
    Random random = new Random(13);
    float[] params = randomParams(k, random);
    float[] x = new float[TASKS * n * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    float[] w = new float[TASKS * n * r];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    float[] a = new float[TASKS * n * r];
    k.forward(x, 0, n, params, AbundanceEncoderKernel.Mode.TRAIN, a, 0);
    float[] gradient = new float[k.parameterCount()];
    float[] dx = new float[x.length];
    k.backward(x, 0, n, params, w, 0, gradient, dx);
    double h = 1e-3;
    for (int i = 0; i < params.length; i++) {
      double expected = i < k.statisticsCount() ? 0 : centralDifference(k, x, n, params, w, params, i, h);
      assertEquals(expected, gradient[i], 2e-3 + 2e-2 * Math.abs(gradient[i]), "parameter " + i);
    }
    for (int i = 0; i < x.length; i++) {
      assertEquals(centralDifference(k, x, n, params, w, x, i, h), dx[i], 2e-3 + 2e-2 * Math.abs(dx[i]),
          "input " + i);
    }
  }

  /**
   * The kernel with its shared layer on GEMMs ({@link DenseGemm}) gives the outputs and gradients of the same kernel on
   * {@link DenseMath}'s loops (the implementation before), within float rounding carried through the network: a
   * 303-channel shared layer (two column blocks), 15 neighbourhoods, every mode, the same noise and masks.
   */
  @Test
  void gemmSharedLayerEqualsThePlainLoops() {
    int b = 303;
    int r = 4;
    int n = 15;
    MultitaskEncoderKernel gemm = new MultitaskEncoderKernel(b, r, 9);
    MultitaskEncoderKernel plain = new MultitaskEncoderKernel(b, r, 9).plainSharedLayer();
    Random random = new Random(4);
    float[] params = randomParams(gemm, random);
    for (int i = gemm.statisticsCount(); i < params.length; i++) {
      params[i] *= 0.2f;
    }
    float[] x = new float[TASKS * n * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    float[] w = new float[TASKS * n * r];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) random.nextGaussian();
    }
    float[] paramsPlain = params.clone();
    for (AbundanceEncoderKernel.Mode mode : new AbundanceEncoderKernel.Mode[] {AbundanceEncoderKernel.Mode.INFER,
        AbundanceEncoderKernel.Mode.TRAIN}) {
      float[] a = new float[TASKS * n * r];
      float[] aPlain = new float[TASKS * n * r];
      gemm.forward(x, 0, n, params, mode, a, 0);
      plain.forward(x, 0, n, paramsPlain, mode, aPlain, 0);
      assertClose(aPlain, a, 1e-5, mode + " abundances");
    }
    // The running statistics moved alike.
    assertClose(java.util.Arrays.copyOf(paramsPlain, gemm.statisticsCount()),
        java.util.Arrays.copyOf(params, gemm.statisticsCount()), 1e-6, "running statistics");
    float[] g = new float[gemm.parameterCount()];
    float[] gPlain = new float[gemm.parameterCount()];
    float[] dx = new float[x.length];
    float[] dxPlain = new float[x.length];
    gemm.backward(x, 0, n, params, w, 0, g, dx);
    plain.backward(x, 0, n, params, w, 0, gPlain, dxPlain);
    assertClose(gPlain, g, 1e-4, "parameter gradient");
    assertClose(dxPlain, dx, 1e-4, "input gradient");
  }

  /**
   * Inference gives a pixel the same bits whatever pixels share its batch (Spark partitions pixels arbitrarily),
   * although training runs the shared layer as GEMMs: all at once, one at a time, and in batches of 7.
   */
  @Test
  void inferenceOfAPixelDoesNotDependOnItsBatch() {
    int b = 303;
    int r = 3;
    int pixels = 40;
    MultitaskEncoderKernel k = new MultitaskEncoderKernel(b, r, 2);
    Random random = new Random(8);
    float[] params = randomParams(k, random);
    float[] x = new float[pixels * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    // A training pass first: its GEMM buffers exist, inference must still not use them.
    k.forward(x, 0, pixels / TASKS, params, AbundanceEncoderKernel.Mode.TRAIN, new float[pixels * r], 0);
    float[] all = new float[pixels * TASKS * r];
    k.inferEveryHead(x, 0, pixels, params, all);
    for (int batch : new int[] {1, 7}) {
      float[] parts = new float[pixels * TASKS * r];
      float[] out = new float[batch * TASKS * r];
      for (int start = 0; start < pixels; start += batch) {
        int size = Math.min(batch, pixels - start);
        k.inferEveryHead(x, start * b, size, params, out);
        System.arraycopy(out, 0, parts, start * TASKS * r, size * TASKS * r);
      }
      org.junit.jupiter.api.Assertions.assertArrayEquals(all, parts, "batches of " + batch);
    }
  }

  /** |got − expected| ≤ tolerance · max |expected| elementwise (float rounding amplified through the layers). */
  private static void assertClose(float[] expected, float[] got, double tolerance, String what) {
    double scale = 0;
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      worst = Math.max(worst, Math.abs(expected[i] - got[i]));
    }
    assertTrue(scale > 0, what + " all zero");
    System.out.printf("%s: largest difference %.3g of %.3g%n", what, worst, scale);
    assertTrue(worst <= tolerance * scale, what + ": largest difference " + worst + " of " + scale);
  }

  private static double centralDifference(MultitaskEncoderKernel k, float[] x, int n, float[] params, float[] w,
      float[] varied, int i, double h) {
    float keep = varied[i];
    varied[i] = (float) (keep + h);
    double plus = loss(k, x, n, params, w);
    varied[i] = (float) (keep - h);
    double minus = loss(k, x, n, params, w);
    varied[i] = keep;
    return (plus - minus) / (2 * h);
  }

  @Test
  void headsGiveAbundancesOnTheSimplexInEveryMode() {
    int b = 20;
    int r = 4;
    int n = 10;
    MultitaskEncoderKernel k = new MultitaskEncoderKernel(b, r, 1);
    Random random = new Random(2);
    float[] params = randomParams(k, random);
    float[] x = new float[TASKS * n * b];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    for (AbundanceEncoderKernel.Mode mode : AbundanceEncoderKernel.Mode.values()) {
      float[] a = new float[TASKS * n * r];
      k.forward(x, 0, n, params, mode, a, 0);
      for (int p = 0; p < TASKS * n; p++) {
        double sum = 0;
        for (int j = 0; j < r; j++) {
          assertTrue(a[p * r + j] >= 0f);
          sum += a[p * r + j];
        }
        assertEquals(1.0, sum, 1e-6, mode + " row " + p);
      }
    }
    // The inference pass (last) overwrote what backward needs.
    assertFalse(k.holdsTrainingPass(n));
  }

  @Test
  void neighbourhoodsAreTwoByTwoBlocksMirroredAtTheEdges() {
    // 3 columns, 2 rows: pixel (x, y) = y * 3 + x.
    assertEquals(0, Neighbourhood.task(3, 2, 0, 0));
    assertEquals(1, Neighbourhood.task(3, 2, 0, 1));
    assertEquals(3, Neighbourhood.task(3, 2, 0, 2));
    assertEquals(4, Neighbourhood.task(3, 2, 0, 3));
    // (2, 1), the last pixel: x + 1 → 1, y + 1 → 0.
    assertEquals(4, Neighbourhood.task(3, 2, 5, 1));
    assertEquals(2, Neighbourhood.task(3, 2, 5, 2));
    assertEquals(1, Neighbourhood.task(3, 2, 5, 3));
    // A single column repeats itself.
    assertEquals(0, Neighbourhood.task(1, 1, 0, 3));
  }
}
