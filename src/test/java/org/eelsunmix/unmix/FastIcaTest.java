package org.eelsunmix.unmix;

import org.eelsunmix.core.Unmixing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.SpectralAngle;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** FastICA recovers known non-Gaussian sources mixed by a known matrix, up to permutation, sign and scale. */
class FastIcaTest {
  static final int SIDE = 64;
  static final int B = 12;

  /** Known sources (pixel-major, n = 3): uniform, Laplace and binary ±1, independent draws. */
  static double[][] sources(long seed) {
    Random random = new Random(seed);
    double[][] s = new double[SIDE * SIDE][3];
    for (double[] p : s) {
      p[0] = Math.sqrt(3) * (2 * random.nextDouble() - 1);
      double u = random.nextDouble() - 0.5;
      p[1] = -Math.signum(u) * Math.log(1 - 2 * Math.abs(u)) / Math.sqrt(2);
      p[2] = random.nextBoolean() ? 1 : -1;
    }
    return s;
  }

  /** Random positive mixing spectra (3 × B). */
  static double[][] mixing(long seed) {
    Random random = new Random(seed);
    double[][] a = new double[3][B];
    for (double[] row : a) {
      for (int j = 0; j < B; j++) {
        row[j] = 0.2 + random.nextDouble();
      }
    }
    return a;
  }

  /** y = 20 + Σ_r s_r a_r, as a spectrum image (no noise: the data are exactly rank 3 around their mean). */
  static SpectrumImage image(double[][] s, double[][] a) {
    float[] data = new float[s.length * B];
    for (int p = 0; p < s.length; p++) {
      for (int j = 0; j < B; j++) {
        double v = 20;
        for (int r = 0; r < 3; r++) {
          v += s[p][r] * a[r][j];
        }
        data[p * B + j] = (float) v;
      }
    }
    return new SpectrumImage("mix", SIDE, SIDE, EnergyAxis.ofEv(100, 1, B), data);
  }

  static double correlation(double[] x, double[] y) {
    double mx = 0;
    double my = 0;
    for (int i = 0; i < x.length; i++) {
      mx += x[i] / x.length;
      my += y[i] / y.length;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  static final int[][] PERMUTATIONS = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

  @Test
  void recoversKnownSourcesAndMixingUpToPermutationSignAndScale() {
    for (long seed : new long[] {1, 2, 3}) {
      double[][] truth = sources(seed);
      double[][] a = mixing(seed + 100);
      SpectrumImage image = image(truth, a);
      IndependentComponents ic = FastIca.fit(image, new FastIca.Options(3, seed));
      assertTrue(ic.converged(), "converged in " + ic.iterations());
      Abundances maps = ic.maps(image);
      double[][] estimated = new double[3][];
      double[][] expected = new double[3][truth.length];
      for (int r = 0; r < 3; r++) {
        estimated[r] = maps.map(r);
        for (int p = 0; p < truth.length; p++) {
          expected[r][p] = truth[p][r];
        }
      }
      // Best assignment by brute force over the 6 permutations, scored by |correlation|.
      double best = -1;
      int[] match = null;
      for (int[] perm : PERMUTATIONS) {
        double score = 0;
        for (int r = 0; r < 3; r++) {
          score += Math.abs(correlation(expected[r], estimated[perm[r]]));
        }
        if (score > best) {
          best = score;
          match = perm;
        }
      }
      for (int r = 0; r < 3; r++) {
        double c = Math.abs(correlation(expected[r], estimated[match[r]]));
        assertTrue(c > 0.99, "seed " + seed + ", source " + r + ": |correlation| " + c);
        double cos = Math.abs(Math.cos(SpectralAngle.between(a[r], ic.mixing()[match[r]])));
        assertTrue(cos > 0.99, "seed " + seed + ", mixing spectrum " + r + ": |cosine| " + cos);
      }
    }
  }

  @Test
  void conventionsSourceMeansPositiveUnitVarianceExactReconstruction() {
    SpectrumImage image = image(sources(4), mixing(104));
    IndependentComponents ic = FastIca.fit(image, new FastIca.Options(3, 9));
    double[] s = new double[3];
    double[] mean = new double[3];
    double[] square = new double[3];
    double residual = 0;
    double power = 0;
    for (int p = 0; p < image.pixels(); p++) {
      ic.sources(image.data(), p * B, s);
      for (int r = 0; r < 3; r++) {
        mean[r] += s[r] / image.pixels();
        square[r] += s[r] * s[r] / image.pixels();
      }
      residual += ic.residualSquared(image.data(), p * B, s);
      for (int j = 0; j < B; j++) {
        power += image.data()[p * B + j] * image.data()[p * B + j];
      }
    }
    for (int r = 0; r < 3; r++) {
      assertTrue(ic.sourceMeans()[r] > 0, "source mean " + r);
      assertEquals(ic.sourceMeans()[r], mean[r], 1e-6);
      assertEquals(1, square[r] - mean[r] * mean[r], 1e-6, "unit variance of source " + r);
    }
    assertTrue(residual / power < 1e-12, "rank-3 data are reconstructed: " + residual / power);
    // Proportions: non-negative, summing to one; each source's extremes map to 0 and 1 before normalising.
    Unmixing u = ic.proportions(image);
    for (int p = 0; p < image.pixels(); p++) {
      double sum = 0;
      for (int r = 0; r < 3; r++) {
        double v = u.abundances().values()[p * 3 + r];
        assertTrue(v >= 0);
        sum += v;
      }
      assertEquals(1, sum, 1e-12);
    }
  }

  @Test
  void statisticsMergeExactlyAndDecorrelationIsOrthogonal() {
    double[] w = FastIca.start(3, 5);
    double[] wwt = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          wwt[i * 3 + j] += w[i * 3 + k] * w[j * 3 + k];
        }
        assertEquals(i == j ? 1 : 0, wwt[i * 3 + j], 1e-12);
      }
    }
    Random random = new Random(3);
    double[] z = new double[300];
    for (int i = 0; i < z.length; i++) {
      z[i] = random.nextGaussian();
    }
    IcaStatistics all = new IcaStatistics(w, 3);
    IcaStatistics first = new IcaStatistics(w, 3);
    IcaStatistics second = new IcaStatistics(w, 3);
    for (int p = 0; p < 100; p++) {
      all.add(z, 3 * p);
      (p < 37 ? first : second).add(z, 3 * p);
    }
    first.merge(second);
    assertEquals(100, first.count());
    // Reference for one entry by the definition: Σ_p tanh(w_1 · z_p) z_p[2] and Σ_p (1 − tanh²(w_0 · z_p)).
    double gz12 = 0;
    double dg0 = 0;
    for (int p = 0; p < 100; p++) {
      double u1 = w[3] * z[3 * p] + w[4] * z[3 * p + 1] + w[5] * z[3 * p + 2];
      double u0 = w[0] * z[3 * p] + w[1] * z[3 * p + 1] + w[2] * z[3 * p + 2];
      gz12 += Math.tanh(u1) * z[3 * p + 2];
      dg0 += 1 - Math.tanh(u0) * Math.tanh(u0);
    }
    assertEquals(gz12, all.sumGz()[5], 1e-12);
    assertEquals(dg0, all.sumDerivative()[0], 1e-12);
    for (int i = 0; i < 9; i++) {
      assertEquals(all.sumGz()[i], first.sumGz()[i], 1e-12);
    }
  }

  @Test
  void badOptionsAreNamed() {
    assertEquals("components", assertThrows(BadInputException.class, () -> new FastIca.Options(0, 1)).source());
    assertEquals("tol", assertThrows(BadInputException.class, () -> new FastIca.Options(3, -1, 10, 1)).source());
    assertEquals("maxIterations",
        assertThrows(BadInputException.class, () -> new FastIca.Options(3, 1e-4, 0, 1)).source());
    SpectrumImage image = image(sources(1), mixing(1));
    BadInputException e = assertThrows(BadInputException.class,
        () -> FastIca.fit(image, new FastIca.Options(B + 1, 1)));
    assertTrue(e.getMessage().contains("only " + B + " channels"), e.getMessage());
    // Rank-3 data cannot be whitened to 5 components.
    e = assertThrows(BadInputException.class, () -> FastIca.fit(image, new FastIca.Options(5, 1)));
    assertTrue(e.getMessage().startsWith("components: ") && e.getMessage().contains("only 3"), e.getMessage());
  }

  @Test
  void icaAsAnUnmixingMethodGivesProportionsOnABuiltInCube() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32), 0);
    Unmixing u = org.eelsunmix.spark.ml.UnmixingMethods.byName("ica").unmix(cube.image(), 3, 1);
    assertEquals(3, u.endmembers().count());
    for (int p = 0; p < u.abundances().pixels(); p++) {
      double sum = 0;
      for (int r = 0; r < 3; r++) {
        assertTrue(u.abundances().values()[p * 3 + r] >= 0);
        sum += u.abundances().values()[p * 3 + r];
      }
      assertEquals(1, sum, 1e-12);
    }
  }
}
