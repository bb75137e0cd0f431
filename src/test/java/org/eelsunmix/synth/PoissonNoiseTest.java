package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.junit.jupiter.api.Test;

class PoissonNoiseTest {
  private static final int SAMPLES = 1_000_000;

  /**
   * Sample mean and variance against λ. The standard errors are sqrt(λ/n) for the mean and
   * sqrt((λ + 2λ²)/n) for the variance (fourth central moment of a Poisson variable λ + 3λ²); a fixed seed makes
   * the test deterministic, and 5 standard errors would be a 1-in-a-million miss for a correct sampler.
   */
  @Test
  void meanAndVarianceMatchTheory() {
    double[] means = {0.01, 0.3, 2.5, 9.99, 10.0, 10.5, 25.0, 300.0, 1e5, 1e9};
    PoissonNoise noise = new PoissonNoise(new SplittableRandom(20240501L));
    for (double lambda : means) {
      double sum = 0;
      double sumSq = 0;
      for (int i = 0; i < SAMPLES; i++) {
        double k = noise.sample(lambda);
        double d = k - lambda;
        sum += d;
        sumSq += d * d;
      }
      double meanError = sum / SAMPLES;
      double variance = sumSq / SAMPLES - meanError * meanError;
      double meanSe = Math.sqrt(lambda / SAMPLES);
      double varianceSe = Math.sqrt((lambda + 2 * lambda * lambda) / SAMPLES);
      assertTrue(Math.abs(meanError) < 5 * meanSe,
          String.format("λ = %g: sample mean off by %g (SE %g)", lambda, meanError, meanSe));
      assertTrue(Math.abs(variance - lambda) < 5 * varianceSe,
          String.format("λ = %g: sample variance %g (SE %g)", lambda, variance, varianceSe));
    }
  }

  /**
   * The whole distribution, by Pearson's χ² against the exact probabilities (commons-math), for one mean on the
   * inversion branch and three on the PTRS branch; bins with fewer than 5 expected draws are pooled into the
   * tails. The threshold is the 0.999 quantile of χ² with (bins − 1) degrees of freedom.
   */
  @Test
  void distributionPassesChiSquare() {
    PoissonNoise noise = new PoissonNoise(new SplittableRandom(99));
    for (double lambda : new double[] {4.0, 10.0, 15.0, 80.0}) {
      PoissonDistribution exact = new PoissonDistribution(lambda);
      int lo = 0;
      while (exact.cumulativeProbability(lo) * SAMPLES < 5) {
        lo++;
      }
      int hi = lo;
      while ((1 - exact.cumulativeProbability(hi)) * SAMPLES >= 5) {
        hi++;
      }
      // Bins: [0, lo], lo+1 ... hi-1 each, [hi, ∞).
      long[] observed = new long[hi - lo + 1];
      for (int i = 0; i < SAMPLES; i++) {
        long k = noise.sample(lambda);
        observed[(int) (Math.min(Math.max(k, lo), hi) - lo)]++;
      }
      double chi2 = 0;
      for (int b = 0; b < observed.length; b++) {
        int k = lo + b;
        double p = b == 0 ? exact.cumulativeProbability(lo)
            : b == observed.length - 1 ? 1 - exact.cumulativeProbability(hi - 1) : exact.probability(k);
        double e = p * SAMPLES;
        chi2 += (observed[b] - e) * (observed[b] - e) / e;
      }
      double limit = new ChiSquaredDistribution(observed.length - 1).inverseCumulativeProbability(0.999);
      assertTrue(chi2 < limit, String.format("λ = %g: χ² = %.1f over %d bins, limit %.1f", lambda, chi2,
          observed.length, limit));
    }
  }

  /**
   * The small means of a low-dose cube (dose 1e2 over 200 or 903 channels: 0.01 to 1 count per channel, far less
   * in the weak channels): P(0) = e^{−λ} and P(1) = λe^{−λ} against their binomial standard errors, and never a
   * negative or huge count.
   */
  @Test
  void smallMeansOfALowDoseCube() {
    PoissonNoise noise = new PoissonNoise(new SplittableRandom(7));
    for (double lambda : new double[] {1e-6, 1e-4, 1e-3, 0.0123, 0.11, 0.5}) {
      int zeros = 0;
      int ones = 0;
      for (int i = 0; i < SAMPLES; i++) {
        long k = noise.sample(lambda);
        assertTrue(k >= 0 && k < 20, "λ = " + lambda + " gave " + k);
        zeros += k == 0 ? 1 : 0;
        ones += k == 1 ? 1 : 0;
      }
      double p0 = Math.exp(-lambda);
      double p1 = lambda * p0;
      assertEquals(p0, (double) zeros / SAMPLES, 5 * Math.sqrt(p0 * (1 - p0) / SAMPLES) + 1e-12, "P(0), λ = " + lambda);
      assertEquals(p1, (double) ones / SAMPLES, 5 * Math.sqrt(p1 * (1 - p1) / SAMPLES) + 1e-12, "P(1), λ = " + lambda);
    }
  }

  @Test
  void sameSeedSameCounts() {
    PoissonNoise a = new PoissonNoise(new SplittableRandom(5));
    PoissonNoise b = new PoissonNoise(new SplittableRandom(5));
    double[] means = {0, 0.5, 3, 12, 1e4, 7, 0, 250};
    float[] ca = new float[means.length + 2];
    float[] cb = new float[means.length + 2];
    a.sample(means, 0, ca, 2, means.length);
    b.sample(means, 0, cb, 2, means.length);
    assertArrayEquals(ca, cb);
    assertEquals(0f, ca[0]);
    assertEquals(0f, ca[2], "a zero mean gives zero counts");
    assertEquals(0f, ca[8]);
  }

  @Test
  void badMeansAreRefused() {
    PoissonNoise noise = new PoissonNoise(new SplittableRandom(1));
    assertThrows(IllegalArgumentException.class, () -> noise.sample(-1));
    assertThrows(IllegalArgumentException.class, () -> noise.sample(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> noise.sample(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> noise.sample(2e15));
  }
}
