package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Fft2d}'s pruned transforms (a zero-padded patch's columns only) against the full transforms, bit for bit,
 * and the full forward transform against the DFT's definition summed in double.
 */
class Fft2dTest {
  private static final int NY = 48;
  private static final int NX = 36;

  /** A complex image of {@code h × w} Gaussian values, zero padded to {@code NY × NX}. */
  private static float[][][] patch(Random r, int h, int w) {
    float[][][] p = new float[2][NY][NX];
    for (float[][] part : p) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          part[y][x] = (float) r.nextGaussian();
        }
      }
    }
    return p;
  }

  private static float[][] copy(float[][] rows) {
    float[][] c = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      c[i] = rows[i].clone();
    }
    return c;
  }

  @Test
  void prunedTransformsHaveTheFullTransformsBits() {
    Fft2d<float[]> fft = new Fft2d<>(NY, NX, SpectrumRows.FLOAT);
    Fft2d.Work<float[]> work = fft.work();
    Random r = new Random(31);
    for (int width : new int[] {1, 8, 13, 24, 30, 36}) {
      float[][][] p = patch(r, 40, width);
      float[][] fullRe = fft.spectrum();
      float[][] fullIm = fft.spectrum();
      fft.forward(copy(p[0]), copy(p[1]), fullRe, fullIm, work);
      float[][] re = fft.spectrum();
      float[][] im = fft.spectrum();
      // Stale values in the output rows and beyond the patch's columns must not matter.
      for (float[] row : re) {
        java.util.Arrays.fill(row, Float.NaN);
      }
      fft.forward(copy(p[0]), copy(p[1]), width, re, im, work);
      for (int kx = 0; kx < NX; kx++) {
        for (int ky = 0; ky < NY; ky++) {
          String at = "width " + width + " at kx=" + kx + ", ky=" + ky;
          assertEquals(Float.floatToIntBits(fullRe[kx][ky]), Float.floatToIntBits(re[kx][ky]), at + " re");
          assertEquals(Float.floatToIntBits(fullIm[kx][ky]), Float.floatToIntBits(im[kx][ky]), at + " im");
        }
      }
      float[][] backRe = fft.image();
      float[][] backIm = fft.image();
      fft.inverse(copy(fullRe), copy(fullIm), backRe, backIm, work);
      float[][] prunedRe = fft.image();
      float[][] prunedIm = fft.image();
      fft.inverse(copy(fullRe), copy(fullIm), prunedRe, prunedIm, width, work);
      for (int y = 0; y < NY; y++) {
        for (int x = 0; x < width; x++) {
          String at = "inverse, width " + width + " at y=" + y + ", x=" + x;
          assertEquals(Float.floatToIntBits(backRe[y][x]), Float.floatToIntBits(prunedRe[y][x]), at + " re");
          assertEquals(Float.floatToIntBits(backIm[y][x]), Float.floatToIntBits(prunedIm[y][x]), at + " im");
        }
      }
    }
  }

  @Test
  void forwardIsTheDiscreteFourierTransform() {
    Fft2d<double[]> fft = new Fft2d<>(NY, NX, SpectrumRows.DOUBLE);
    Random r = new Random(32);
    double[][] re = new double[NY][NX];
    double[][] im = new double[NY][NX];
    for (int y = 0; y < NY; y++) {
      for (int x = 0; x < NX; x++) {
        re[y][x] = r.nextGaussian();
        im[y][x] = r.nextGaussian();
      }
    }
    double[][] sRe = fft.spectrum();
    double[][] sIm = fft.spectrum();
    double[][] inRe = new double[NY][];
    double[][] inIm = new double[NY][];
    for (int y = 0; y < NY; y++) {
      inRe[y] = re[y].clone();
      inIm[y] = im[y].clone();
    }
    fft.forward(inRe, inIm, sRe, sIm, fft.work());
    for (int kx = 0; kx < NX; kx += 5) {
      for (int ky = 0; ky < NY; ky += 7) {
        double a = 0;
        double b = 0;
        for (int y = 0; y < NY; y++) {
          for (int x = 0; x < NX; x++) {
            double t = -2 * Math.PI * ((double) ky * y / NY + (double) kx * x / NX);
            a += re[y][x] * Math.cos(t) - im[y][x] * Math.sin(t);
            b += re[y][x] * Math.sin(t) + im[y][x] * Math.cos(t);
          }
        }
        assertEquals(a, sRe[kx][ky], 1e-9, "re at kx=" + kx + ", ky=" + ky);
        assertEquals(b, sIm[kx][ky], 1e-9, "im at kx=" + kx + ", ky=" + ky);
      }
    }
  }

  /** The kernel transforms on the taps' columns only (which wrap around the edges) against the full transforms. */
  @Test
  void columnTransformsHaveTheFullTransformsBits() {
    Fft2d<float[]> fft = new Fft2d<>(NY, NX, SpectrumRows.FLOAT);
    Fft2d.Work<float[]> work = fft.work();
    Random r = new Random(33);
    for (int k : new int[] {1, 3, 13}) {
      int[] columns = new int[k];
      for (int j = 0; j < k; j++) {
        columns[j] = Math.floorMod(j - k / 2, NX);
      }
      float[][] fullRe = fft.image();
      float[][] fullIm = fft.image();
      float[][] packedRe = fft.image();
      float[][] packedIm = fft.image();
      for (int i = 0; i < k; i++) {
        int y = Math.floorMod(i - k / 2, NY);
        for (int j = 0; j < k; j++) {
          float a = (float) r.nextGaussian();
          float b = (float) r.nextGaussian();
          fullRe[y][columns[j]] = a;
          fullIm[y][columns[j]] = b;
          packedRe[y][j] = a;
          packedIm[y][j] = b;
        }
      }
      float[][] sRe = fft.spectrum();
      float[][] sIm = fft.spectrum();
      fft.forward(fullRe, fullIm, sRe, sIm, work);
      float[][] pRe = fft.spectrum();
      float[][] pIm = fft.spectrum();
      for (float[] row : pRe) {
        java.util.Arrays.fill(row, Float.NaN);
      }
      fft.forwardColumns(packedRe, packedIm, k, columns, pRe, pIm, work);
      for (int kx = 0; kx < NX; kx++) {
        for (int ky = 0; ky < NY; ky++) {
          String at = "k=" + k + " at kx=" + kx + ", ky=" + ky;
          assertEquals(Float.floatToIntBits(sRe[kx][ky]), Float.floatToIntBits(pRe[kx][ky]), at + " re");
          assertEquals(Float.floatToIntBits(sIm[kx][ky]), Float.floatToIntBits(pIm[kx][ky]), at + " im");
        }
      }
      // Any spectrum back to the taps' columns.
      float[][][] g = {fft.spectrum(), fft.spectrum()};
      for (float[][] part : g) {
        for (float[] row : part) {
          for (int i = 0; i < row.length; i++) {
            row[i] = (float) r.nextGaussian();
          }
        }
      }
      float[][] backRe = fft.image();
      float[][] backIm = fft.image();
      fft.inverse(copy(g[0]), copy(g[1]), backRe, backIm, work);
      float[][] colRe = fft.image();
      float[][] colIm = fft.image();
      fft.inverseColumns(copy(g[0]), copy(g[1]), colRe, colIm, k, columns, work);
      for (int y = 0; y < NY; y++) {
        for (int j = 0; j < k; j++) {
          String at = "inverse, k=" + k + " at y=" + y + ", column " + columns[j];
          assertEquals(Float.floatToIntBits(backRe[y][columns[j]]), Float.floatToIntBits(colRe[y][j]), at + " re");
          assertEquals(Float.floatToIntBits(backIm[y][columns[j]]), Float.floatToIntBits(colIm[y][j]), at + " im");
        }
      }
    }
  }
}
