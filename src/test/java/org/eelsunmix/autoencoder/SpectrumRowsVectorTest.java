package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.junit.jupiter.api.Test;

/**
 * {@link SpectrumRows#FLOAT}'s loops (on the Vector API here, {@link SpectrumRowsVector}, with their scalar tails)
 * against each value's float arithmetic written out in the stated order, bit for bit, for every row length around a
 * vector's eight lanes: so a JVM without the module, which runs the scalar loops, gives the same decoder bits.
 */
class SpectrumRowsVectorTest {
  private static final SpectrumRows<float[]> OPS = SpectrumRows.FLOAT;

  private static float[] random(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
    }
    return v;
  }

  private static void assertBits(float expected, float actual, String what) {
    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(actual), what + ": " + expected + " vs " + actual);
  }

  @Test
  void rowLoopsHaveTheStatedBits() {
    assertTrue(VectorApi.ENABLED && SpectrumRowsVector.usable(), "tests run with the Vector API");
    Random r = new Random(21);
    for (int n = 0; n <= 41; n++) {
      float[] a = random(r, n);
      float[] b = random(r, n);
      float k = (float) r.nextGaussian();
      float l = 0.5f;
      float[] plus = new float[n];
      float[] minus = new float[n];
      OPS.sumDifference(a, b, k, plus, minus, n);
      float[] plus2 = new float[n];
      float[] minus2 = new float[n];
      OPS.sumDifference(a, b, k, plus2, minus2, l, n);
      float[] re = a.clone();
      float[] im = b.clone();
      float c = (float) Math.cos(0.3);
      float s = (float) Math.sin(0.3);
      OPS.rotate(re, im, Math.cos(0.3), Math.sin(0.3), n);
      for (int q = 0; q < n; q++) {
        String what = "n=" + n + " q=" + q;
        float y = k * b[q];
        assertBits(a[q] + y, plus[q], what + " plus");
        assertBits(a[q] - y, minus[q], what + " minus");
        assertBits(a[q] + y, plus2[q], what + " plus (l)");
        assertBits(a[q] - l * y, minus2[q], what + " minus (l)");
        assertBits(a[q] * c - b[q] * s, re[q], what + " rotate re");
        assertBits(a[q] * s + b[q] * c, im[q], what + " rotate im");
      }
      // The row-array loops: two rows of n values.
      float[][] ur = {random(r, n), random(r, n)};
      float[][] ui = {random(r, n), random(r, n)};
      float[][] xr = {random(r, n), random(r, n)};
      float[][] xi = {random(r, n), random(r, n)};
      float[][] cr = {random(r, n), random(r, n)};
      float[][] ci = {random(r, n), random(r, n)};
      float[][] cr0 = {cr[0].clone(), cr[1].clone()};
      float[][] ci0 = {ci[0].clone(), ci[1].clone()};
      OPS.conjugateProductAdd(ur, ui, xr, xi, cr, ci);
      float[][] qr = {random(r, n), random(r, n)};
      float[][] qi = {random(r, n), random(r, n)};
      float[][] gr = {random(r, n), random(r, n)};
      float[][] gi = {random(r, n), random(r, n)};
      float[][] qr0 = {qr[0].clone(), qr[1].clone()};
      float[][] qi0 = {qi[0].clone(), qi[1].clone()};
      float[][] gr0 = {gr[0].clone(), gr[1].clone()};
      float[][] gi0 = {gi[0].clone(), gi[1].clone()};
      OPS.backwardProducts(cr0, ci0, ur, ui, xr, xi, qr, qi, gr, gi);
      float[][] sum = {cr0[0].clone(), cr0[1].clone()};
      OPS.add(xr, sum);
      // A plane of two rows of n values written scaled, then read back zero padded to rows of n + 3.
      float[] plane = new float[2 * n];
      OPS.writePlane(xr, 0.25, 2, n, plane);
      float[][] padded = {random(r, n + 3), random(r, n + 3), random(r, n + 3)};
      OPS.readPlane(plane, 2, n, padded);
      for (int row = 0; row < 2; row++) {
        for (int f = 0; f < n; f++) {
          String what = "n=" + n + " row=" + row + " f=" + f;
          float u = ur[row][f];
          float v = ui[row][f];
          float x = xr[row][f];
          float y = xi[row][f];
          assertBits(cr0[row][f] + (u * x + v * y), cr[row][f], what + " conj re");
          assertBits(ci0[row][f] + (u * y - v * x), ci[row][f], what + " conj im");
          // q += u·ĉ, g += conj(ĉ)·x̂ with ĉ the rows cr0, ci0.
          float p = cr0[row][f];
          float o = ci0[row][f];
          assertBits(qr0[row][f] + (u * p - v * o), qr[row][f], what + " product re");
          assertBits(qi0[row][f] + (u * o + v * p), qi[row][f], what + " product im");
          assertBits(gr0[row][f] + (p * x + o * y), gr[row][f], what + " conj(ĉ)x re");
          assertBits(gi0[row][f] + (p * y - o * x), gi[row][f], what + " conj(ĉ)x im");
          assertBits(cr0[row][f] + x, sum[row][f], what + " add");
          assertBits(0.25f * x, plane[row * n + f], what + " written plane");
          assertBits(0.25f * x, padded[row][f], what + " read plane");
        }
      }
      for (int f = n; f < n + 3; f++) {
        assertBits(0f, padded[0][f], "n=" + n + " padding of row 0");
        assertBits(0f, padded[1][f], "n=" + n + " padding of row 1");
      }
      for (int f = 0; f < n + 3; f++) {
        assertBits(0f, padded[2][f], "n=" + n + " padding row");
      }
    }
  }

  /** Butterfly output {@code t}: {@code (re, im)}, rotated by twiddle {@code t − 1} as the row loops do when asked. */
  private static void assertOutput(float re, float im, boolean rotated, float[] c, float[] s, int t, float actualRe,
      float actualIm, String what) {
    float expectedRe = re;
    float expectedIm = im;
    if (rotated) {
      expectedRe = re * c[t - 1] - im * s[t - 1];
      expectedIm = re * s[t - 1] + im * c[t - 1];
    }
    assertBits(expectedRe, actualRe, what + " output " + t + " re");
    assertBits(expectedIm, actualIm, what + " output " + t + " im");
  }

  /**
   * The fused butterflies ({@link SpectrumRows#butterfly4}, {@link SpectrumRows#butterfly3}: one pass over the
   * values, in registers) against the row loops' operations written out per value ({@code k·b} products, sums and
   * differences, then {@code (x·c − y·s, x·s + y·c)}), with and without the rotation, both signs, every row length
   * around a vector's eight lanes: the same bits as the butterflies as row loops had.
   */
  @Test
  void butterfliesHaveTheRowLoopsBits() {
    Random r = new Random(22);
    for (int n = 0; n <= 41; n++) {
      for (double g : new double[] {-1, 1}) {
        for (boolean rotate : new boolean[] {false, true}) {
          float[][] xr = new float[8][];
          float[][] xi = new float[8][];
          for (int t = 0; t < 8; t++) {
            xr[t] = random(r, n);
            xi[t] = random(r, n);
          }
          double[] angle = {r.nextDouble() * 6, r.nextDouble() * 6, r.nextDouble() * 6};
          float[] c = new float[3];
          float[] s = new float[3];
          for (int t = 0; t < 3; t++) {
            c[t] = (float) Math.cos(angle[t]);
            s[t] = (float) (g * Math.sin(angle[t]));
          }
          // Radix 4: inputs rows 1, 3, 5, 7 (stride 2), outputs rows 0, 3, 6, 9 (stride 3) of twelve.
          float[][] yr = new float[12][n];
          float[][] yi = new float[12][n];
          OPS.butterfly4(xr, xi, 1, 2, yr, yi, 0, 3, g, rotate, Math.cos(angle[0]), g * Math.sin(angle[0]),
              Math.cos(angle[1]), g * Math.sin(angle[1]), Math.cos(angle[2]), g * Math.sin(angle[2]), n, new float[n],
              new float[n]);
          float ng = (float) -g;
          float pg = (float) g;
          for (int q = 0; q < n; q++) {
            String what = "radix 4, n=" + n + " g=" + g + " rotate=" + rotate + " q=" + q;
            float s0r = xr[1][q] + 1f * xr[5][q];
            float d0r = xr[1][q] - 1f * xr[5][q];
            float s0i = xi[1][q] + 1f * xi[5][q];
            float d0i = xi[1][q] - 1f * xi[5][q];
            float er = xr[3][q] + 1f * xr[7][q];
            float d1r = xr[3][q] - 1f * xr[7][q];
            float ei = xi[3][q] + 1f * xi[7][q];
            float d1i = xi[3][q] - 1f * xi[7][q];
            float[] or = {s0r + er, d0r + ng * d1i, s0r - er, d0r - ng * d1i};
            float[] oi = {s0i + ei, d0i + pg * d1r, s0i - ei, d0i - pg * d1r};
            for (int t = 0; t < 4; t++) {
              assertOutput(or[t], oi[t], rotate && t > 0, c, s, t, yr[3 * t][q], yi[3 * t][q], what);
            }
          }
          // Radix 3: inputs rows 0, 3, 6 (stride 3), outputs rows 2, 3, 4 (stride 1).
          float h = (float) (g * Math.sqrt(3) / 2);
          OPS.butterfly3(xr, xi, 0, 3, yr, yi, 2, 1, g * Math.sqrt(3) / 2, rotate, Math.cos(angle[0]),
              g * Math.sin(angle[0]), Math.cos(angle[1]), g * Math.sin(angle[1]), n, new float[n], new float[n]);
          for (int q = 0; q < n; q++) {
            String what = "radix 3, n=" + n + " g=" + g + " rotate=" + rotate + " q=" + q;
            float tr = xr[3][q] + 1f * xr[6][q];
            float dr = xr[3][q] - 1f * xr[6][q];
            float ti = xi[3][q] + 1f * xi[6][q];
            float di = xi[3][q] - 1f * xi[6][q];
            float mr = xr[0][q] - 0.5f * (1f * tr);
            float mi = xi[0][q] - 0.5f * (1f * ti);
            float[] or = {xr[0][q] + 1f * tr, mr + (-h) * di, mr - (-h) * di};
            float[] oi = {xi[0][q] + 1f * ti, mi + h * dr, mi - h * dr};
            for (int t = 0; t < 3; t++) {
              assertOutput(or[t], oi[t], rotate && t > 0, c, s, t, yr[2 + t][q], yi[2 + t][q], what);
            }
          }
        }
      }
    }
  }

  /** The blocked transpose, for every row count around its blocks of eight rows and rows of several lengths. */
  @Test
  void transposeMovesEveryValue() {
    Random r = new Random(23);
    for (int rows = 1; rows <= 19; rows++) {
      for (int length : new int[] {1, 7, 8, 13, 48}) {
        float[][] re = new float[rows][];
        float[][] im = new float[rows][];
        for (int y = 0; y < rows; y++) {
          re[y] = random(r, length);
          im[y] = random(r, length);
        }
        float[][] outRe = new float[length][rows];
        float[][] outIm = new float[length][rows];
        OPS.transpose(re, im, outRe, outIm);
        for (int y = 0; y < rows; y++) {
          for (int x = 0; x < length; x++) {
            assertBits(re[y][x], outRe[x][y], rows + "×" + length + " re at " + y + "," + x);
            assertBits(im[y][x], outIm[x][y], rows + "×" + length + " im at " + y + "," + x);
          }
        }
      }
    }
  }
}
