package org.eelsunmix.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.eelsunmix.linalg.SpecialFunctions;
import org.junit.jupiter.api.Test;

/**
 * The study's statistics against independent references: SciPy 1.10.1's {@code stats.t}, {@code stats.norm} and
 * {@code stats.wilcoxon} (values printed with {@code /usr/bin/python3 -c 'import scipy.stats as st; ...'}, see each
 * test), the signed-rank distribution enumerated over all 2^n sign patterns, and closed forms.
 */
class StudyStatisticsTest {

  /** st.t.ppf(0.975, df), st.t.ppf(0.999, df), st.t.cdf(-1.3, df). */
  private static final double[][] T = {
      {1, 12.706204736432095, 318.3088389855419, 0.20871440016015264},
      {2, 4.302652729911275, 22.32712476997542, 0.16162351590802027},
      {3, 3.182446305284263, 10.214531852405331, 0.14223375436394847},
      {5, 2.5705818366147395, 5.893429532923187, 0.12515031708533858},
      {10, 2.2281388519649385, 4.143700494046623, 0.11138290860342223},
      {19, 2.093024054408263, 3.579400148163749, 0.10457575014866397},
      {30, 2.0422724563012373, 3.385184866818216, 0.10175047926905845},
      {100, 1.9839715184496334, 3.17373948898441, 0.09829473171118307},
      {199, 1.971956544249395, 3.1316896205747877, 0.09755234902332285},
      {2.5, 3.5746548420118773, 13.822193110834316, 0.15024339463535397}};

  @Test
  void studentTQuantilesAndDistributionMatchScipy() {
    for (double[] row : T) {
      double df = row[0];
      assertEquals(row[1], StudentT.quantile(0.975, df), 1e-9 * row[1], "t 0.975 df " + df);
      assertEquals(row[2], StudentT.quantile(0.999, df), 2e-9 * row[2], "t 0.999 df " + df);
      assertEquals(-row[1], StudentT.quantile(0.025, df), 1e-9 * row[1]);
      assertEquals(row[3], StudentT.cdf(-1.3, df), 1e-12, "cdf df " + df);
    }
    // SciPy's own ppf is good to ~1e-9 here: mpmath (30 digits, betainc + findroot) gives t_{0.999,100} =
    // 3.17373949373878293, which this class matches to 1e-15.
    assertEquals(3.17373949373878293, StudentT.quantile(0.999, 100), 1e-14);
    // Tabulated critical values (any statistics textbook's t table): t_{0.975,4} = 2.776, t_{0.95,8} = 1.860.
    assertEquals(2.776, StudentT.quantile(0.975, 4), 5e-4);
    assertEquals(1.860, StudentT.quantile(0.95, 8), 5e-4);
  }

  @Test
  void normalTailMatchesScipy() {
    assertEquals(0.0009676032132183563, SpecialFunctions.normalUpperTail(3.1), 1e-17);
    assertEquals(0.6554217416103242, SpecialFunctions.normalUpperTail(-0.4), 1e-14);
    assertEquals(6.22096057427174e-16, SpecialFunctions.normalUpperTail(8), 1e-27);
  }

  @Test
  void sampleStatisticsAreClosedForms() {
    SampleStatistics s = SampleStatistics.of(new double[] {4, 1, 3, 2});
    assertEquals(4, s.count());
    assertEquals(2.5, s.mean(), 0);
    assertEquals(Math.sqrt(5.0 / 3), s.std(), 1e-15);
    assertEquals(2.5, s.median(), 0);
    double half = 3.182446305284263 * Math.sqrt(5.0 / 3) / 2;
    assertEquals(2.5 - half, s.ciLow(), 1e-12);
    assertEquals(2.5 + half, s.ciHigh(), 1e-12);
    assertEquals(3, SampleStatistics.of(new double[] {5, 3, 1}).median(), 0);
    SampleStatistics one = SampleStatistics.of(new double[] {7});
    assertEquals(7, one.mean(), 0);
    assertTrue(Double.isNaN(one.std()) && Double.isNaN(one.ciLow()));
    // Order does not matter, to the bit.
    double[] v = {0.1, 0.7, 1e-9, 3.3, 0.2, 0.30000000000000004};
    double[] w = {3.3, 0.30000000000000004, 0.2, 1e-9, 0.7, 0.1};
    assertEquals(SampleStatistics.of(v), SampleStatistics.of(w));
  }

  @Test
  void signedRankExactMatchesScipyWithoutTies() {
    // A: st.wilcoxon(a, method="exact").pvalue; B likewise (n = 25, the largest exact n). No ties: SciPy's
    // exact method ranks ties but counts the untied distribution; ties are checked against enumeration below.
    double[] a = {2.341, -2.256, 0.718, -0.268, -0.153, 0.084, -1.72, 0.068, -0.565, 3.623, 0.526, -0.053};
    SignedRankTest ta = SignedRankTest.of(a);
    assertTrue(ta.exact());
    assertEquals(0.85009765625, ta.p(), 1e-14);
    double[] b = {-0.181, -0.568, -0.955, -0.291, 0.582, -0.139, 1.058, -0.1, 0.124, 1.646, 0.645, -0.405, -0.083,
        0.641, 2.035, -0.17, -0.144, 1.102, -0.786, -0.192, 0.983, 0.68, 0.193, 0.77, -2.728};
    SignedRankTest tb = SignedRankTest.of(b);
    assertTrue(tb.exact());
    assertEquals(0.3665854334831238, tb.p(), 1e-13);
  }

  @Test
  void signedRankExactWithTiesAndZerosEqualsBruteForceEnumeration() {
    double[] d = {0.5, -0.5, 1.0, 0, 2.0, 2.0, -1.0, 3.0, 0.5, 4.0};
    SignedRankTest t = SignedRankTest.of(d);
    assertEquals(9, t.n());
    // Brute force: mean ranks of |d| (zeros dropped), every sign pattern equally likely.
    double[] abs = Arrays.stream(d).filter(x -> x != 0).map(Math::abs).toArray();
    int n = abs.length;
    double[] rank = new double[n];
    for (int i = 0; i < n; i++) {
      double less = 0;
      double same = 0;
      for (double x : abs) {
        less += x < abs[i] ? 1 : 0;
        same += x == abs[i] ? 1 : 0;
      }
      rank[i] = less + (same + 1) / 2;
    }
    double w = 0;
    int k = 0;
    for (double x : d) {
      if (x != 0) {
        w += x > 0 ? rank[k] : 0;
        k++;
      }
    }
    assertEquals(w, t.wPlus(), 0);
    int below = 0;
    int above = 0;
    for (int mask = 0; mask < (1 << n); mask++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += (mask >> i & 1) == 1 ? rank[i] : 0;
      }
      below += s <= w + 1e-9 ? 1 : 0;
      above += s >= w - 1e-9 ? 1 : 0;
    }
    assertEquals(Math.min(1, 2.0 * Math.min(below, above) / (1 << n)), t.p(), 1e-15);
  }

  @Test
  void signedRankNormalApproximationMatchesScipyWithTiesAndAZero() {
    // st.wilcoxon(c, method="approx", correction=True, zero_method="wilcox").pvalue; c has ties and a zero.
    double[] c = {1.4, -0.6, -1.3, 0.7, 1.1, -0.0, -0.7, 0.4, 0.3, 1.8, 1.1, 0.6, 1.5, 0.2, -0.5, 1.0, 1.0, 0.2,
        -0.4, 0.6, -2.1, 1.1, 0.9, -1.2, 0.5, -0.6, 1.2, -1.6, -0.5, 1.1, 1.6, -1.8, -0.1, 0.7, -0.2, 2.0, -0.8, 0.8,
        -0.6, 1.8};
    SignedRankTest t = SignedRankTest.of(c);
    assertFalse(t.exact());
    assertEquals(39, t.n());
    assertEquals(0.09798644118464814, t.p(), 1e-12);
  }

  @Test
  void aMethodAgainstItselfHasNoEvidence() {
    SignedRankTest t = SignedRankTest.of(new double[] {0, 0, 0});
    assertEquals(1, t.p(), 0);
    assertEquals(0, t.n());
  }

  @Test
  void bootstrapIntervalsAgainstClosedForms() {
    // Two values 0 and 1: resample means are 0, ½, 1 with probabilities ¼, ½, ¼; the 2.5 % and 97.5 % points of
    // 2 000 such means are 0 and 1.
    assertArrayEquals(new double[] {0, 1}, Bootstrap.meanInterval(new double[] {0, 1}, 2000, 0.95, 5), 0);
    // A constant sample has a degenerate interval.
    assertArrayEquals(new double[] {2.5, 2.5}, Bootstrap.meanInterval(new double[] {2.5, 2.5, 2.5}, 100, 0.95, 1),
        0);
    // For a large sample it approaches the normal interval mean ± 1.96 s/√n (here 0 ± 1.96·√(1/12)/√400).
    double[] u = new double[400];
    for (int i = 0; i < u.length; i++) {
      u[i] = (i + 0.5) / u.length - 0.5;
    }
    double[] ci = Bootstrap.meanInterval(u, 2000, 0.95, 11);
    double half = 1.959963984540054 * Math.sqrt(1.0 / 12) / 20;
    assertEquals(-half, ci[0], 0.1 * half);
    assertEquals(half, ci[1], 0.1 * half);
    // Same seed, same interval; another seed, another.
    assertArrayEquals(ci, Bootstrap.meanInterval(u, 2000, 0.95, 11), 0);
    assertFalse(Arrays.equals(ci, Bootstrap.meanInterval(u, 2000, 0.95, 12)));
  }
}
