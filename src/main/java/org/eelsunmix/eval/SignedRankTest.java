package org.eelsunmix.eval;

import java.util.Arrays;
import org.eelsunmix.linalg.SpecialFunctions;

/**
 * The two-sided Wilcoxon signed-rank test of paired differences (Wilcoxon 1945), zeros dropped (Wilcoxon's
 * convention, scipy's {@code zero_method='wilcox'}): the n non-zero |d| are ranked (ties get their mean rank) and
 * W⁺ is the sum of the ranks of the positive differences.
 *
 * <ul>
 *   <li>n ≤ {@value #EXACT_MAX}: the exact permutation distribution of W⁺ (each sign ± with probability ½),
 *       counted by dynamic programming over the doubled ranks (integers even with ties), and
 *       p = min(1, 2 · min(P(W⁺ ≤ w), P(W⁺ ≥ w)));</li>
 *   <li>n &gt; {@value #EXACT_MAX}: the normal approximation with tie and continuity correction,
 *       z = (|W⁺ − n(n+1)/4| − ½) / σ, σ² = n(n+1)(2n+1)/24 − Σ(t³ − t)/48 over tie groups of size t,
 *       p = 2 (1 − Φ(max(z, 0))).</li>
 * </ul>
 *
 * With no non-zero difference (e.g. a method compared with itself) there is no evidence either way: p = 1.
 *
 * @param n non-zero differences
 * @param wPlus W⁺, the rank sum of the positive differences
 * @param p two-sided p-value
 * @param exact whether p comes from the exact distribution
 */
public record SignedRankTest(int n, double wPlus, double p, boolean exact) {
  /** Largest n tested with the exact distribution. */
  public static final int EXACT_MAX = 25;

  /** Whether the positive differences carry less rank than the negative ones (the first of the pair is lower). */
  public boolean firstLower() {
    return wPlus < n * (n + 1) / 4.0;
  }

  /** The test of {@code differences} (not modified). */
  public static SignedRankTest of(double[] differences) {
    double[] abs = Arrays.stream(differences).filter(d -> d != 0 && !Double.isNaN(d)).map(Math::abs).sorted()
        .toArray();
    int n = abs.length;
    if (n == 0) {
      return new SignedRankTest(0, 0, 1, true);
    }
    // Doubled mean ranks (integers), and the tie correction.
    int[] rank2 = new int[n];
    double ties = 0;
    for (int i = 0; i < n;) {
      int j = i;
      while (j + 1 < n && abs[j + 1] == abs[i]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        rank2[k] = i + j + 2; // 2 · mean of ranks i+1 .. j+1
      }
      double t = j - i + 1;
      ties += t * t * t - t;
      i = j + 1;
    }
    int w2 = 0;
    for (double d : differences) {
      if (d > 0) {
        w2 += rank2[Arrays.binarySearch(abs, d)];
      }
    }
    double wPlus = w2 / 2.0;
    if (n <= EXACT_MAX) {
      int total2 = 0;
      for (int r : rank2) {
        total2 += r;
      }
      // count[s] = number of sign patterns with doubled W⁺ = s.
      double[] count = new double[total2 + 1];
      count[0] = 1;
      int reach = 0;
      for (int r : rank2) {
        for (int s = reach; s >= 0; s--) {
          if (count[s] != 0) {
            count[s + r] += count[s];
          }
        }
        reach += r;
      }
      double below = 0;
      double above = 0;
      for (int s = 0; s <= total2; s++) {
        if (s <= w2) {
          below += count[s];
        }
        if (s >= w2) {
          above += count[s];
        }
      }
      double all = Math.pow(2, n);
      return new SignedRankTest(n, wPlus, Math.min(1, 2 * Math.min(below, above) / all), true);
    }
    double mean = n * (n + 1) / 4.0;
    double sd = Math.sqrt(n * (n + 1.0) * (2 * n + 1) / 24 - ties / 48);
    double z = sd == 0 ? 0 : Math.max(0, Math.abs(wPlus - mean) - 0.5) / sd;
    return new SignedRankTest(n, wPlus, Math.min(1, 2 * SpecialFunctions.normalUpperTail(z)), false);
  }
}
