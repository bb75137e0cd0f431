package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.eelsunmix.linalg.VectorApi;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link WinogradTransformsVector}: F(4×4, 3×3)'s transforms on the Vector API give the same bits as the scalar
 * reference ({@link WinogradConvolution} with {@code vector = false}): forward (Bᵀ d B, Aᵀ M A), ∂W and ∂b after the
 * forward pass and alone (A ∂Y Aᵀ) and ∂x (the flipped convolution, on the vector path too), in float and double,
 * with channel counts that are and are not multiples of the lanes (the scalar reference finishes a row) and sides
 * that 4 does not divide. Also checked against the direct convolution's value at a few points (the closed form).
 * Then seeded CNNAEU training: the same losses, abundances and endmembers with the scalar and the vector transforms,
 * and twice with the vector ones.
 */
class WinogradTransformsVectorTest {
  private static INDArray random(SplittableRandom r, DataType t, long... shape) {
    INDArray a = Nd4j.create(t, shape);
    double[] v = new double[(int) a.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    NdBuffers.write(v, a);
    return a;
  }

  /** The arrays' elements as raw bits (float or double), for an exact comparison. */
  private static long[] bits(INDArray a) {
    long[] out = new long[(int) a.length()];
    if (a.dataType() == DataType.FLOAT) {
      float[] f = a.data().asFloat();
      for (int i = 0; i < out.length; i++) {
        out[i] = Float.floatToRawIntBits(f[i]);
      }
    } else {
      double[] d = a.data().asDouble();
      for (int i = 0; i < out.length; i++) {
        out[i] = Double.doubleToRawLongBits(d[i]);
      }
    }
    return out;
  }

  /** z, ∂W, ∂b, ∂x (backward after forward) and ∂W again (backward alone) of one instance. */
  private static INDArray[] run(WinogradConvolution k, INDArray x, INDArray wt, INDArray b, INDArray dz) {
    DataType t = x.dataType();
    long n = x.size(0);
    long c = x.size(1);
    long o = wt.size(0);
    long h = x.size(2);
    long w = x.size(3);
    INDArray z = Nd4j.create(t, n, o, h, w);
    INDArray dW = Nd4j.create(t, o, c, 3, 3);
    INDArray dB = Nd4j.create(t, o);
    INDArray dx = Nd4j.create(t, n, c, h, w);
    INDArray dW2 = Nd4j.create(t, o, c, 3, 3);
    k.forward(x, wt, b, z);
    k.backwardAfterForward(x, wt, dz, dW, dB, dx);
    k.backward(x, wt, dz, dW2, null, null);
    return new INDArray[] {z, dW, dB, dx, dW2};
  }

  @Test
  void vectorTransformsGiveTheScalarReferencesBits() {
    assertTrue(VectorApi.ENABLED, "tests run with --add-modules=jdk.incubator.vector");
    SplittableRandom r = new SplittableRandom(7);
    String[] names = {"z", "∂W", "∂b", "∂x", "∂W alone"};
    // {channels, filters, height, width}: lanes' multiples, odd counts (tails), CNNAEU's 200 → 48.
    int[][] shapes = {{16, 32, 8, 8}, {13, 7, 10, 7}, {35, 19, 9, 13}, {200, 48, 12, 10}};
    for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (int[] s : shapes) {
        int n = 3;
        INDArray x = random(r, t, n, s[0], s[2], s[3]);
        INDArray wt = random(r, t, s[1], s[0], 3, 3);
        INDArray b = random(r, t, s[1]);
        INDArray dz = random(r, t, n, s[1], s[2], s[3]);
        WinogradConvolution vector = new WinogradConvolution(s[0], s[1], 3, 4, true);
        WinogradConvolution scalar = new WinogradConvolution(s[0], s[1], 3, 4, false);
        assertTrue(vector.vector(), "the vector path is usable on this machine");
        assertFalse(scalar.vector());
        INDArray[] a = run(vector, x, wt, b, dz);
        INDArray[] e = run(scalar, x, wt, b, dz);
        for (int i = 0; i < a.length; i++) {
          assertArrayEquals(bits(e[i]), bits(a[i]), t + " " + java.util.Arrays.toString(s) + ": " + names[i]);
        }
        // One output of each patch by the direct sum (closed form), so equal bits are also right values.
        double[] xd = x.castTo(DataType.DOUBLE).data().asDouble();
        double[] wd = wt.castTo(DataType.DOUBLE).data().asDouble();
        double[] zd = a[0].castTo(DataType.DOUBLE).data().asDouble();
        int c = s[0];
        int o = s[1];
        int h = s[2];
        int w = s[3];
        for (int p = 0; p < n; p++) {
          int f = (p * 5) % o;
          int y = h - 1 - p;
          int xx = (p * 3) % w;
          double sum = b.getDouble(f);
          for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < 3; i++) {
              for (int j = 0; j < 3; j++) {
                int yy = y + i - 1;
                int x2 = xx + j - 1;
                if (yy >= 0 && yy < h && x2 >= 0 && x2 < w) {
                  sum += wd[((f * c + ch) * 3 + i) * 3 + j] * xd[((p * c + ch) * h + yy) * w + x2];
                }
              }
            }
          }
          double got = zd[((p * o + f) * h + y) * w + xx];
          assertEquals(sum, got, (t == DataType.FLOAT ? 2e-4 : 1e-11) * Math.max(1, Math.abs(sum)) * c / 8,
              t + " " + java.util.Arrays.toString(s) + " z at patch " + p);
        }
      }
    }
  }

  @Test
  void seededTrainingIsTheSameWithTheScalarAndTheVectorTransforms() {
    assertTrue(VectorApi.ENABLED, "tests run with --add-modules=jdk.incubator.vector");
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    CnnaeuOptions o = new CnnaeuOptions(3, 5).withEpochs(2).withPatches(30, 16).withDecoderSize(5);
    boolean previous = WinogradConvolution.useVector(false);
    AutoencoderResult[] runs = new AutoencoderResult[3];
    try {
      runs[0] = Cnnaeu.train(cube.image(), o);
      WinogradConvolution.useVector(true);
      runs[1] = Cnnaeu.train(cube.image(), o);
      runs[2] = Cnnaeu.train(cube.image(), o);
    } finally {
      WinogradConvolution.useVector(previous);
    }
    for (int k = 1; k < 3; k++) {
      assertArrayEquals(runs[0].losses(), runs[k].losses(), "run " + k + " losses");
      assertArrayEquals(runs[0].unmixing().abundances().values(), runs[k].unmixing().abundances().values());
      assertEquals(runs[0].unmixing().endmembers(), runs[k].unmixing().endmembers());
    }
  }
}
