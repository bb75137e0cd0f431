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
}
