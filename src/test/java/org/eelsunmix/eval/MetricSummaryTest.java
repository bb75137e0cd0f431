package org.eelsunmix.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricSummaryTest {

  /** Two-pass reference: mean, then Σ(x − mean)². */
  private static double[] twoPass(double[] x) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double m2 = 0;
    for (double v : x) {
      m2 += (v - mean) * (v - mean);
    }
    return new double[] {mean, m2};
  }

  @Test
  void singlePassMatchesTwoPass() {
    MetricSummary s = MetricSummary.of(2, 4, 4, 4, 5, 5, 7, 9);
    assertEquals(8, s.count());
    assertEquals(5.0, s.mean(), 1e-15);
    assertEquals(4.0, s.variance(), 1e-15);
    assertEquals(32.0 / 7, s.sampleVariance(), 1e-14);
    assertEquals(Math.sqrt(32.0 / 7), s.sampleStd(), 1e-14);
    assertEquals(2.0, s.min(), 0.0);
    assertEquals(9.0, s.max(), 0.0);
  }

  @Test
  void mergeOfSplitsEqualsOnePassOverAll() {
    Random random = new Random(31);
    for (int trial = 0; trial < 50; trial++) {
      int n = 2 + random.nextInt(200);
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = 1e3 + random.nextGaussian() * 0.01; // large offset, small spread: the hard case for naive sums
      }
      MetricSummary whole = MetricSummary.of(x);
      // Split into three random pieces, summarise each, merge in two different groupings.
      int a = random.nextInt(n + 1);
      int b = a + random.nextInt(n - a + 1);
      MetricSummary p = MetricSummary.of(java.util.Arrays.copyOfRange(x, 0, a));
      MetricSummary q = MetricSummary.of(java.util.Arrays.copyOfRange(x, a, b));
      MetricSummary r = MetricSummary.of(java.util.Arrays.copyOfRange(x, b, n));
      MetricSummary left = p.merge(q).merge(r);
      MetricSummary right = p.merge(q.merge(r));
      double[] ref = twoPass(x);
      for (MetricSummary s : new MetricSummary[] {whole, left, right}) {
        assertEquals(n, s.count());
        assertEquals(ref[0], s.mean(), 1e-12 * Math.abs(ref[0]));
        assertEquals(ref[1], s.sumSquaredDeviations(), 1e-9 * ref[1]);
        assertEquals(whole.min(), s.min(), 0.0);
        assertEquals(whole.max(), s.max(), 0.0);
      }
    }
  }

  @Test
  void emptyAndMissingValues() {
    MetricSummary e = MetricSummary.empty();
    assertEquals(0, e.count());
    assertTrue(Double.isNaN(e.mean()) && Double.isNaN(e.variance()) && Double.isNaN(e.sampleStd()));
    MetricSummary s = MetricSummary.of(1, Double.NaN, 3);
    assertEquals(2, s.count());
    assertEquals(1, s.missing());
    assertEquals(2.0, s.mean(), 0.0);
    MetricSummary merged = e.merge(s).merge(MetricSummary.of(Double.NaN)).merge(e);
    assertEquals(s.count(), merged.count());
    assertEquals(2, merged.missing());
    assertEquals(s.mean(), merged.mean(), 0.0);
    assertTrue(Double.isNaN(MetricSummary.of(5).sampleStd()));
  }
}
