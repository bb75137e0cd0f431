package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The truncated-normal sampler against the distribution itself: mean and variance against the analytic moments
 * (computed here by quadrature of the density, independently of the sampler's formulas) within 5 standard errors,
 * and a Kolmogorov–Smirnov test of the whole distribution at the 0.1 % level, on intervals covering every proposal:
 * two-sided around the mean, narrow and wide, one-sided either way, and far tails up to 40 standard deviations.
 */
class TruncatedNormalTest {
  private static final int DRAWS = 20_000;

  @ParameterizedTest(name = "N({0}, {1}²) on [{2}, {3}]")
  @CsvSource({
      "0, 1, -1, 2",          // contains the mean, narrow: uniform proposal
      "0, 1, -3, 4",          // contains the mean, wide: normal rejection
      "0, 1, -Infinity, 0.5", // one-sided, containing the mean
      "2, 0.5, 3, Infinity",  // right tail, 2 sd out: exponential proposal
      "0, 1, 0.1, 0.3",       // narrow band just right of the mean: uniform proposal
      "0, 1, -Infinity, -6",  // left tail, mirrored
      "0, 1, 40, Infinity",   // far tail
      "0, 1, 10, 10.05",      // far two-sided band
      "5, 2, -Infinity, -75", // far left tail of a shifted, scaled normal
      "0, 1, -1e-3, 2e-3"})   // a sliver: nearly uniform
  void momentsAndDistributionMatchTheTruncatedNormal(double mean, double sd, double lo, double hi) {
    KeyedRandom rng = new KeyedRandom(KeyedRandom.key(7, Double.doubleToLongBits(lo + hi)));
    double[] x = new double[DRAWS];
    for (int i = 0; i < DRAWS; i++) {
      x[i] = TruncatedNormal.sample(rng, mean, sd, lo, hi);
      assertTrue(x[i] >= lo && x[i] <= hi, "draw " + x[i] + " outside [" + lo + ", " + hi + "]");
    }
    Reference ref = new Reference((lo - mean) / sd, (hi - mean) / sd);
    double m = Arrays.stream(x).average().orElseThrow();
    double v = Arrays.stream(x).map(t -> (t - m) * (t - m)).sum() / (DRAWS - 1);
    double expectedMean = mean + sd * ref.mean;
    double expectedVar = sd * sd * ref.variance;
    assertEquals(expectedMean, m, 5 * Math.sqrt(expectedVar / DRAWS), "mean");
    // the variance of a sample variance is about (μ4 − σ⁴)/n; μ4 ≤ 3σ⁴ for these (sub-Gaussian) laws
    assertEquals(expectedVar, v, 5 * expectedVar * Math.sqrt(2.0 / DRAWS), "variance");
    Arrays.sort(x);
    double d = 0;
    for (int i = 0; i < DRAWS; i++) {
      double f = ref.cdf((x[i] - mean) / sd);
      d = Math.max(d, Math.max(Math.abs(f - (double) i / DRAWS), Math.abs(f - (i + 1.0) / DRAWS)));
    }
    assertTrue(d < 1.95 / Math.sqrt(DRAWS), "Kolmogorov–Smirnov distance " + d);
  }

  @Test
  void degenerateIntervalsAndScalesAreExact() {
    KeyedRandom rng = new KeyedRandom(1);
    assertEquals(2.5, TruncatedNormal.sample(rng, 0, 1, 2.5, 2.5));
    assertEquals(1.0, TruncatedNormal.sample(rng, 3, 0, -1, 1));
    assertEquals(-1.0, TruncatedNormal.sample(rng, Double.NEGATIVE_INFINITY, 1, -1, 1));
    double flat = TruncatedNormal.sample(rng, 0, Double.POSITIVE_INFINITY, 4, 5);
    assertTrue(flat >= 4 && flat <= 5, "flat density draw " + flat);
    assertEquals(1e200, TruncatedNormal.sample(rng, 0, 1, 1e200, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, 0, 1, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, Double.NaN, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> TruncatedNormal.sample(rng, 0, -1, 0, 1));
  }

  @Test
  void theSameKeyGivesTheSameDraws() {
    double[] first = new double[50];
    KeyedRandom rng = new KeyedRandom(99);
    for (int i = 0; i < first.length; i++) {
      first[i] = TruncatedNormal.sample(rng, 1, 2, -0.5, 8);
    }
    rng.reset(99);
    for (double v : first) {
      assertEquals(v, TruncatedNormal.sample(rng, 1, 2, -0.5, 8), 0);
    }
  }

  /**
   * The standard normal truncated to [a, b], by Simpson's rule on the unnormalised density
   * {@code exp((c² − t²)/2)} (c the bound nearest zero, so far tails do not underflow), on a grid fine enough for
   * 1e-9 relative accuracy; infinite bounds are cut where the density is below 1e-30 of its peak.
   */
  private static final class Reference {
    private final double a;
    private final double step;
    private final double[] cumulative;
    final double mean;
    final double variance;

    Reference(double a, double b) {
      double c = a > 0 ? a : b < 0 ? b : 0;
      double reach = Math.sqrt(c * c + 140); // exp(−70) ≈ 4e-31
      double lo = Double.isInfinite(a) ? -reach : a;
      double hi = Double.isInfinite(b) ? reach : b;
      if (a > 0) {
        hi = Math.min(hi, a + 140 / a + 1);
      } else if (b < 0) {
        lo = Math.max(lo, b - 140 / -b - 1);
      }
      int n = 200_000;
      this.a = lo;
      this.step = (hi - lo) / n;
      double[] f = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        double t = lo + i * step;
        f[i] = Math.exp(-0.5 * (t - c) * (t + c));
      }
      cumulative = new double[n / 2 + 1];
      double z = 0;
      double m1 = 0;
      double m2 = 0;
      for (int i = 0; i < n; i += 2) {
        double t0 = lo + i * step;
        double t1 = t0 + step;
        double t2 = t1 + step;
        z += step / 3 * (f[i] + 4 * f[i + 1] + f[i + 2]);
        m1 += step / 3 * (t0 * f[i] + 4 * t1 * f[i + 1] + t2 * f[i + 2]);
        m2 += step / 3 * (t0 * t0 * f[i] + 4 * t1 * t1 * f[i + 1] + t2 * t2 * f[i + 2]);
        cumulative[i / 2 + 1] = z;
      }
      for (int i = 0; i < cumulative.length; i++) {
        cumulative[i] /= z;
      }
      mean = m1 / z;
      variance = m2 / z - mean * mean;
    }

    /** The CDF at t, interpolated linearly between the grid's double steps. */
    double cdf(double t) {
      double u = (t - a) / (2 * step);
      if (u <= 0) {
        return 0;
      }
      if (u >= cumulative.length - 1) {
        return 1;
      }
      int i = (int) u;
      return cumulative[i] + (u - i) * (cumulative[i + 1] - cumulative[i]);
    }
  }
}
