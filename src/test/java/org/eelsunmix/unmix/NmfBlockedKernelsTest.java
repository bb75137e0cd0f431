package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * The blocked NMF kernels (coordinate-descent lanes, two-pixel projections, four-pixel residuals) against a plain
 * one-pixel-at-a-time reference written here as the loops read before the blocking: every result must be the same
 * bits, for every R that exercises another grouping, for block sizes that leave partial lanes, pairs and quads, and
 * for pixels that are all zero or converge at once.
 */
class NmfBlockedKernelsTest {

  /** Plain reference: {@code y · v_t}, channel order from 0. */
  static double dot(double[] v, int t, int b, float[] y, int yOffset) {
    double s = 0;
    for (int c = 0; c < b; c++) {
      s += v[t * b + c] * y[yOffset + c];
    }
    return s;
  }

  static double[] gram(double[] h, int r, int b) {
    double[] g = new double[r * r];
    for (int s = 0; s < r; s++) {
      for (int t = 0; t <= s; t++) {
        double v = 0;
        for (int c = 0; c < b; c++) {
          v += h[s * b + c] * h[t * b + c];
        }
        g[s * r + t] = v;
        g[t * r + s] = v;
      }
    }
    return g;
  }

  /** Plain reference of one coordinate-descent step (Cichocki &amp; Phan 2009), returning Σ|projected gradient|. */
  static double cdStep(double[] hh, int r, double[] g, double[] w, int wo) {
    double violation = 0;
    for (int t = 0; t < r; t++) {
      double grad = -g[t];
      for (int s = 0; s < r; s++) {
        grad += hh[t * r + s] * w[wo + s];
      }
      double wt = w[wo + t];
      violation += Math.abs(wt == 0 ? Math.min(0.0, grad) : grad);
      if (hh[t * r + t] != 0) {
        w[wo + t] = Math.max(wt - grad / hh[t * r + t], 0.0);
      }
    }
    return violation;
  }

  /** Plain reference of a pixel's squared residual: the order {@link MixtureResiduals} states. */
  static double residual(float[] y, int yo, double[] w, int wo, double[] h, int r, int b) {
    return MixtureResidualsTest.statedOrder(y, yo, w, wo, h, r, b);
  }

  /** Plain reference of the transform's coordinate descent for one pixel (w from 0, per-pixel stopping rule). */
  static double plainSolve(float[] y, int p, double[] h, int r, int b, double tol, int cap, double[] w) {
    double[] hh = gram(h, r, b);
    double[] g = new double[r];
    for (int t = 0; t < r; t++) {
      g[t] = dot(h, t, b, y, p * b);
      w[p * r + t] = 0;
    }
    double first = 0;
    for (int k = 1; k <= cap; k++) {
      double v = cdStep(hh, r, g, w, p * r);
      if (k == 1) {
        first = v;
      }
      if (first == 0 || v / first <= tol) {
        break;
      }
    }
    return residual(y, p * b, w, p * r, h, r, b);
  }

  /** Counts in [0, 50) with some all-zero pixels, endmembers with some zero entries. */
  static float[] spectra(SplittableRandom random, int n, int b) {
    float[] y = new float[n * b];
    for (int i = 0; i < n; i++) {
      if (i % 11 == 3) {
        continue; // an empty pixel: g = 0, stops after one step
      }
      for (int c = 0; c < b; c++) {
        y[i * b + c] = (float) Math.floor(random.nextDouble(50));
      }
    }
    return y;
  }

  static double[] endmembers(SplittableRandom random, int r, int b) {
    double[] h = new double[r * b];
    for (int i = 0; i < h.length; i++) {
      h[i] = i % 7 == 0 ? 0 : random.nextDouble(3);
    }
    return h;
  }

  /** The lane step on the Vector API ({@link NmfLanesVector}) and the scalar lanes: same bits, step after step. */
  @Test
  void vectorLaneStepHasTheScalarBits() {
    assertTrue(org.eelsunmix.linalg.VectorApi.ENABLED, "tests run with --add-modules=jdk.incubator.vector");
    SplittableRandom random = new SplittableRandom(16);
    int b = 19;
    int lanes = NmfAbundanceUpdate.LANES;
    for (int r = 1; r <= 6; r++) {
      double[] h = endmembers(random, r, b);
      if (r == 3) {
        java.util.Arrays.fill(h, b, 2 * b, 0.0); // (HHᵀ)_11 = 0: that coordinate is never updated
      }
      NmfAbundanceUpdate step = new NmfAbundanceUpdate(NmfSolver.CD, h, r);
      double[] g = new double[r * lanes];
      for (int i = 0; i < g.length; i++) {
        g[i] = i % 5 == 0 ? 0.0 : random.nextDouble(-50, 200); // some negative: coordinates pinned at zero
      }
      double[] wVector = new double[r * lanes];
      double[] wScalar = new double[r * lanes];
      double[] vVector = new double[lanes];
      double[] vScalar = new double[lanes];
      for (int k = 0; k < 40; k++) {
        step.updateLanes(wVector, g, vVector, new double[lanes]);
        step.updateLanesScalar(wScalar, g, vScalar, new double[lanes]);
        for (int i = 0; i < wScalar.length; i++) {
          assertEquals(Double.doubleToRawLongBits(wScalar[i]), Double.doubleToRawLongBits(wVector[i]),
              "R=" + r + ", step " + k + ", w[" + i + "]");
        }
        for (int l = 0; l < lanes; l++) {
          assertEquals(Double.doubleToRawLongBits(vScalar[l]), Double.doubleToRawLongBits(vVector[l]),
              "R=" + r + ", step " + k + ", violation of lane " + l);
        }
      }
    }
  }

  @Test
  void blockedTransformIsTheOnePixelCoordinateDescentBitForBit() {
    SplittableRandom random = new SplittableRandom(15);
    int b = 23;
    for (int r = 1; r <= 7; r++) {
      double[] h = endmembers(random, r, b);
      if (r == 4) {
        java.util.Arrays.fill(h, 2 * b, 3 * b, 0.0); // an all-zero endmember: (HHᵀ)_tt = 0, its coordinate stays
      }
      for (int n : new int[] {1, 2, 3, 5, 8, 9, 17, 37}) {
        float[] y = spectra(random, n, b);
        for (double tol : new double[] {1e-4, 0}) {
          int cap = tol == 0 ? 13 : 500;
          double[] expectedW = new double[n * r];
          double[] expectedRes = new double[n];
          for (int p = 0; p < n; p++) {
            expectedRes[p] = plainSolve(y, p, h, r, b, tol, cap, expectedW);
          }
          NmfAbundances kernel = new NmfAbundances(NmfSolver.CD, h, r, tol, cap, false);
          double[] w = new double[n * r];
          double[] res = new double[n];
          kernel.solveBlock(y, n, w, res, new double[kernel.blockWorkLength()]);
          String what = "R=" + r + ", n=" + n + ", tol=" + tol;
          assertArrayEquals(expectedW, w, 0.0, what);
          assertArrayEquals(expectedRes, res, 0.0, what);
          // one pixel at a time, with sum-to-one: the fractions of the same w
          NmfAbundances fractions = new NmfAbundances(NmfSolver.CD, h, r, tol, cap, true);
          double[] f = new double[n * r];
          double[] fr = new double[n];
          fractions.solveBlock(y, n, f, fr, new double[fractions.blockWorkLength()]);
          double[] sums = NmfAbundances.endmemberSums(h, r);
          for (int p = 0; p < n; p++) {
            NmfAbundances.toFractions(expectedW, p * r, sums);
          }
          assertArrayEquals(expectedW, f, 0.0, what + ", sum to one");
          assertArrayEquals(expectedRes, fr, 0.0, what + ", sum to one");
        }
      }
    }
  }

  /** The block path and the pixel path of the multiplicative update, and of both solvers on a real cube. */
  @Test
  void blockedTransformEqualsPixelByPixelOnASyntheticCube() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24)
        .withBlock(3).withSeed(4), 0).image();
    int b = image.channels();
    int n = image.pixels();
    Nmf.Result fit = Nmf.fit(image, new Nmf.Options(3, 0).withMaxIterations(20));
    double[][] m = fit.unmixing().endmembers().matrix();
    double[] h = new double[3 * b];
    for (int t = 0; t < 3; t++) {
      System.arraycopy(m[t], 0, h, t * b, b);
    }
    for (NmfSolver solver : NmfSolver.values()) {
      NmfAbundances kernel = new NmfAbundances(solver, h, 3, 1e-4, 200, false);
      double[] expected = new double[n * 3];
      double[] expectedRes = new double[n];
      double[] work = new double[kernel.workLength()];
      for (int p = 0; p < n; p++) {
        expectedRes[p] = kernel.solve(image.data(), p * b, expected, p * 3, work);
        if (solver == NmfSolver.CD) {
          double[] plain = new double[n * 3];
          assertEquals(plainSolve(image.data(), p, h, 3, b, 1e-4, 200, plain), expectedRes[p], 0.0);
          for (int t = 0; t < 3; t++) {
            assertEquals(plain[p * 3 + t], expected[p * 3 + t], 0.0);
          }
        }
      }
      double[] w = new double[n * 3];
      double[] res = new double[n];
      kernel.solveBlock(image.data(), n, w, res, new double[kernel.blockWorkLength()]);
      assertArrayEquals(expected, w, 0.0, solver.cliName());
      assertArrayEquals(expectedRes, res, 0.0, solver.cliName());
    }
  }

  @Test
  void blockedProjectionsAndResidualsAreThePlainSumsBitForBit() {
    SplittableRandom random = new SplittableRandom(3);
    int b = 31;
    for (int r = 1; r <= 8; r++) {
      double[] v = endmembers(random, r, b);
      for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 13, 16, 17, 25}) {
        float[] y = spectra(random, n + 2, b);
        double[] out = new double[n * r];
        NmfProjections.projectBlock(v, r, b, y, 2, n, out); // from pixel 2: offsets are honoured
        double[] w = new double[n * r];
        for (int i = 0; i < n * r; i++) {
          w[i] = i % 5 == 0 ? 0 : random.nextDouble();
        }
        double expectedTotal = 0;
        double[] res = new double[n];
        float[] own = java.util.Arrays.copyOfRange(y, 2 * b, (n + 2) * b);
        Nmf.pixelResidualsSquared(own, n, b, w, v, r, res);
        for (int i = 0; i < n; i++) {
          for (int t = 0; t < r; t++) {
            assertEquals(dot(v, t, b, y, (i + 2) * b), out[i * r + t], 0.0, "R=" + r + ", n=" + n);
          }
          double e = residual(own, i * b, w, i * r, v, r, b);
          assertEquals(e, res[i], 0.0);
          expectedTotal += e;
        }
        assertEquals(expectedTotal, Nmf.residualSquared(own, n, b, w, v, r), 0.0);
      }
    }
  }

  /** A fit's passes over a block (start, part norms, iteration) against the per-pixel kernels, bit for bit. */
  @Test
  void blockPassesEqualThePerPixelKernels() {
    SplittableRandom random = new SplittableRandom(8);
    int b = 19;
    int n = NmfPixelBlock.CHUNK + 37; // a full chunk and a partial one
    for (int r = 1; r <= 5; r++) {
      float[] y = spectra(random, n, b);
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = NmfInitialisation.drawKey("a", i / 17, i % 17);
      }
      NmfPixelBlock block = new NmfPixelBlock(y, keys, b);
      SpectralMoments moments = block.addMoments(new SpectralMoments(b));
      NmfInitialisation start = NmfInitialisation.nndsvd(NmfInitialisation.NNDSVDA, moments, r, 5);
      double[] partNorms = block.addPartNorms(start, new double[start.partNormsLength()]);
      double[] expectedNorms = new double[start.partNormsLength()];
      for (int i = 0; i < n; i++) {
        start.addPartNorms(y, i * b, expectedNorms);
      }
      assertArrayEquals(expectedNorms, partNorms, 0.0, "part norms, R=" + r);
      start = start.withPartNorms(partNorms);

      double[] w = new double[n * r];
      NmfStatistics stats = block.start(start, w, new NmfStatistics(r, b));
      double[] expectedW = new double[n * r];
      NmfStatistics expected = new NmfStatistics(r, b);
      for (int i = 0; i < n; i++) {
        start.abundances(y, i * b, keys[i], expectedW, i * r);
        expected.add(y, i * b, expectedW, i * r);
      }
      assertArrayEquals(expectedW, w, 0.0, "start, R=" + r);
      assertSameStatistics(expected, stats, "start, R=" + r);

      double[] h = start.endmembers();
      for (NmfSolver solver : NmfSolver.values()) {
        NmfAbundanceUpdate step = new NmfAbundanceUpdate(solver, h, r);
        double[] next = w.clone();
        NmfStatistics after = block.update(step, next, new NmfStatistics(r, b));
        double[] plain = w.clone();
        NmfStatistics plainStats = new NmfStatistics(r, b);
        double[] hh = gram(h, r, b);
        double violation = 0;
        for (int i = 0; i < n; i++) {
          if (solver == NmfSolver.CD) {
            double[] g = new double[r];
            for (int t = 0; t < r; t++) {
              g[t] = dot(h, t, b, y, i * b);
            }
            violation += cdStep(hh, r, g, plain, i * r);
          } else {
            step.update(y, i * b, plain, i * r, new double[step.workLength()]);
          }
          plainStats.add(y, i * b, plain, i * r);
        }
        plainStats.addViolation(violation);
        assertArrayEquals(plain, next, 0.0, solver + ", R=" + r);
        assertSameStatistics(plainStats, after, solver + ", R=" + r);
        assertTrue(after.count() == n);
      }
    }
  }

  static void assertSameStatistics(NmfStatistics expected, NmfStatistics actual, String what) {
    assertEquals(expected.count(), actual.count(), what);
    assertEquals(expected.dataNormSquared(), actual.dataNormSquared(), 0.0, what);
    assertEquals(expected.violation(), actual.violation(), 0.0, what);
    assertArrayEquals(expected.abundanceGram(), actual.abundanceGram(), 0.0, what);
    assertArrayEquals(expected.abundanceCross(), actual.abundanceCross(), 0.0, what);
  }
}
