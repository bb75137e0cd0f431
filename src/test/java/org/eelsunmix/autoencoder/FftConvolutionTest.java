package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link BatchedFft}, {@link Fft2d} and {@link FftConvolution} against brute force in double: the DFT by its
 * definition, and the convolution's forward pass, weight gradient and input gradient written out as direct sums
 * (every border pixel, kernels larger than the patch, odd channel counts, non-square patches); double rows to 1e-10
 * of the largest value, float rows (a float network) to {@value #FLOAT_TOLERANCE}.
 */
class FftConvolutionTest {
  /**
   * Float rows against the double references, relative to the largest value: float rounding through two transforms
   * of ≈ 48 points and sums over channels and patches (largest seen on these shapes 3.1e-7; printed by {@link #check}).
   */
  static final double FLOAT_TOLERANCE = 1e-6;

  @Test
  void batchedTransformIsTheDft() {
    SplittableRandom r = new SplittableRandom(1);
    for (int n : new int[] {1, 2, 3, 4, 6, 8, 9, 12, 16, 18, 27, 48, 64}) {
      int batch = 3;
      double[][] re = new double[n][batch];
      double[][] im = new double[n][batch];
      for (int t = 0; t < n; t++) {
        for (int b = 0; b < batch; b++) {
          re[t][b] = r.nextDouble(-1, 1);
          im[t][b] = r.nextDouble(-1, 1);
        }
      }
      for (boolean inverse : new boolean[] {false, true}) {
        double[][] tr = copy(re);
        double[][] ti = copy(im);
        new BatchedFft<>(n, SpectrumRows.DOUBLE).transform(tr, ti, batch, inverse, new double[n][batch],
            new double[n][batch], new double[batch], new double[batch]);
        float[][] fr = floats(re);
        float[][] fi = floats(im);
        new BatchedFft<>(n, SpectrumRows.FLOAT).transform(fr, fi, batch, inverse, new float[n][batch],
            new float[n][batch], new float[batch], new float[batch]);
        double sign = inverse ? 1 : -1;
        for (int b = 0; b < batch; b++) {
          for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int t = 0; t < n; t++) {
              double angle = sign * 2 * Math.PI * ((long) k * t % n) / n;
              double c = Math.cos(angle);
              double s = Math.sin(angle);
              sr += re[t][b] * c - im[t][b] * s;
              si += re[t][b] * s + im[t][b] * c;
            }
            assertEquals(sr, tr[k][b], 1e-12 * n, "n=" + n + " k=" + k);
            assertEquals(si, ti[k][b], 1e-12 * n, "n=" + n + " k=" + k);
            assertEquals(sr, fr[k][b], 4e-7 * n, "float n=" + n + " k=" + k);
            assertEquals(si, fi[k][b], 4e-7 * n, "float n=" + n + " k=" + k);
          }
        }
      }
    }
  }

  private static float[][] floats(double[][] a) {
    float[][] f = new float[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        f[i][j] = (float) a[i][j];
      }
    }
    return f;
  }

  private static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  @Test
  void twoDimensionalInverseUndoesTheForward() {
    SplittableRandom r = new SplittableRandom(2);
    Fft2d<double[]> f = new Fft2d<>(12, 18, SpectrumRows.DOUBLE);
    double[][] re = f.image();
    double[][] im = f.image();
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 18; x++) {
        re[y][x] = r.nextDouble(-1, 1);
        im[y][x] = r.nextDouble(-1, 1);
      }
    }
    double[][] a = copy(re);
    double[][] b = copy(im);
    double[][] sr = f.spectrum();
    double[][] si = f.spectrum();
    Fft2d.Work<double[]> w = f.work();
    f.forward(a, b, sr, si, w);
    // The spectrum's [kx][ky] entry for (ky, kx) = (1, 2) against the definition.
    double er = 0;
    double ei = 0;
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 18; x++) {
        double angle = -2 * Math.PI * (y / 12.0 + 2 * x / 18.0);
        er += re[y][x] * Math.cos(angle) - im[y][x] * Math.sin(angle);
        ei += re[y][x] * Math.sin(angle) + im[y][x] * Math.cos(angle);
      }
    }
    assertEquals(er, sr[2][1], 1e-11);
    assertEquals(ei, si[2][1], 1e-11);
    f.inverse(sr, si, a, b, w);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 18; x++) {
        assertEquals(re[y][x], a[y][x] / f.size(), 1e-13);
        assertEquals(im[y][x], b[y][x] / f.size(), 1e-13);
      }
    }
  }

  private static double[] random(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    return v;
  }

  private static void round(double[] v) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) v[i];
    }
  }

  private static INDArray array(double[] v, long... shape) {
    return array(DataType.DOUBLE, v, shape);
  }

  private static INDArray array(DataType type, double[] v, long... shape) {
    INDArray a = Nd4j.create(type, shape);
    NdBuffers.write(v, a);
    return a;
  }

  private static double[] values(INDArray a) {
    double[] v = new double[(int) a.length()];
    NdBuffers.read(a, v);
    return v;
  }

  /** Asserts each value within {@code tolerance} of the largest expected; returns the largest such difference. */
  private static double assertClose(double[] expected, double[] actual, double tolerance, String what) {
    double largest = 0;
    for (double e : expected) {
      largest = Math.max(largest, Math.abs(e));
    }
    assertTrue(largest > 0, what + " is all zero");
    assertArrayEquals(expected, actual, tolerance * largest, what);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / largest);
    }
    return worst;
  }

  /** One shape in both types: forward, ∂W and ∂x against the direct sums. */
  private static void check(int in, int out, int k, int n, int h, int w) {
    check(in, out, k, n, h, w, DataType.DOUBLE, 1e-10);
    check(in, out, k, n, h, w, DataType.FLOAT, FLOAT_TOLERANCE);
  }

  private static void check(int in, int out, int k, int n, int h, int w, DataType type, double tolerance) {
    String what = type + " " + in + "→" + out + " k" + k + " " + n + "×" + h + "×" + w;
    SplittableRandom r = new SplittableRandom(k * 131L + h * 7L + out);
    double[] x = random(r, n * in * h * w);
    double[] wt = random(r, out * in * k * k);
    double[] dz = random(r, n * out * h * w);
    if (type == DataType.FLOAT) { // the direct sums of the float-rounded values the float layer sees
      round(x);
      round(wt);
      round(dz);
    }
    int p = k / 2;
    double[] z = new double[n * out * h * w];
    double[] dW = new double[wt.length];
    double[] dx = new double[x.length];
    for (int s = 0; s < n; s++) {
      for (int o = 0; o < out; o++) {
        for (int c = 0; c < in; c++) {
          for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
              double weight = wt[((o * in + c) * k + i) * k + j];
              for (int y = 0; y < h; y++) {
                int yy = y + i - p;
                if (yy < 0 || yy >= h) {
                  continue;
                }
                for (int xx = 0; xx < w; xx++) {
                  int xj = xx + j - p;
                  if (xj < 0 || xj >= w) {
                    continue;
                  }
                  int zi = ((s * out + o) * h + y) * w + xx;
                  int xi = ((s * in + c) * h + yy) * w + xj;
                  z[zi] += weight * x[xi];
                  dW[((o * in + c) * k + i) * k + j] += dz[zi] * x[xi];
                  dx[xi] += weight * dz[zi];
                }
              }
            }
          }
        }
      }
    }
    FftConvolution conv = new FftConvolution(in, out, k);
    INDArray xa = array(type, x, n, in, h, w);
    INDArray wa = array(type, wt, out, in, k, k);
    INDArray za = Nd4j.create(type, n, out, h, w);
    conv.forward(xa, wa, null, za);
    double e1 = assertClose(z, values(za), tolerance, what + " forward");
    INDArray dWa = Nd4j.create(type, out, in, k, k);
    INDArray dxa = Nd4j.create(type, n, in, h, w);
    conv.backward(xa, wa, array(type, dz, n, out, h, w), dWa, null, dxa);
    double e2 = assertClose(dW, values(dWa), tolerance, what + " ∂W");
    double e3 = assertClose(dx, values(dxa), tolerance, what + " ∂x");
    System.out.printf("%s: largest relative differences forward %.2g, ∂W %.2g, ∂x %.2g%n", what, e1, e2, e3);
    // Again with new weights: the kept kernel spectra must follow them.
    double[] wt2 = random(r, wt.length);
    conv.forward(xa, array(type, wt2, out, in, k, k), null, za);
    double[] z2 = values(za);
    FftConvolution fresh = new FftConvolution(in, out, k);
    fresh.forward(xa, array(type, wt2, out, in, k, k), null, za);
    assertArrayEquals(values(za), z2, what + " after a weight change");
  }

  @Test
  void decoderShapesEqualTheDirectConvolution() {
    check(3, 7, 13, 3, 9, 11);
    check(4, 6, 13, 2, 40, 40);
    check(2, 5, 5, 4, 3, 6);
    check(1, 1, 7, 1, 5, 5);
    // More pairs than chunks: several pairs per chunk, the last chunk short.
    check(2, 37, 5, 2, 6, 4);
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    resultsDoNotDependOnTheThreadCount(DataType.DOUBLE);
    resultsDoNotDependOnTheThreadCount(DataType.FLOAT);
  }

  private static void resultsDoNotDependOnTheThreadCount(DataType type) {
    SplittableRandom r = new SplittableRandom(9);
    int in = 3;
    int out = 41;
    int k = 7;
    int n = 5;
    int h = 8;
    INDArray x = array(type, random(r, n * in * h * h), n, in, h, h);
    INDArray w = array(type, random(r, out * in * k * k), out, in, k, k);
    INDArray dz = array(type, random(r, n * out * h * h), n, out, h, h);
    double[][] seen = new double[3][];
    int previous = PatchWorkers.threads();
    try {
      for (int threads = 1; threads <= 3; threads++) {
        PatchWorkers.setThreads(threads);
        FftConvolution conv = new FftConvolution(in, out, k);
        INDArray z = Nd4j.create(type, n, out, h, h);
        INDArray dW = Nd4j.create(type, out, in, k, k);
        INDArray dx = Nd4j.create(type, n, in, h, h);
        conv.forward(x, w, null, z);
        conv.backward(x, w, dz, dW, null, dx);
        seen[threads - 1] = Nd4j.concat(0, z.reshape(-1), dW.reshape(-1), dx.reshape(-1)).castTo(DataType.DOUBLE)
            .toDoubleVector();
      }
    } finally {
      PatchWorkers.setThreads(previous);
    }
    assertArrayEquals(seen[0], seen[1]);
    assertArrayEquals(seen[0], seen[2]);
  }
}
