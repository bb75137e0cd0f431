package org.eelsunmix.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The percentile bootstrap interval of a mean (Efron &amp; Tibshirani 1993, §13.3): B resamples of the n values
 * with replacement, drawn from one seeded {@link SplittableRandom} in the values' order, each resample's mean, and
 * the α/2 and 1 − α/2 quantiles of those B means (linear interpolation between order statistics, position
 * (B − 1)·q, as NumPy's default {@code percentile}). Same values, order and seed ⇒ the same interval.
 */
public final class Bootstrap {
  private Bootstrap() {}

  /** The resamples of the study's paired comparisons. */
  public static final int RESAMPLES = 2000;

  /**
   * @param values the sample (not modified), n ≥ 1
   * @param resamples B ≥ 1
   * @param level the interval's coverage, e.g. 0.95
   * @param seed the resampling stream's seed
   * @return {low, high}
   */
  public static double[] meanInterval(double[] values, int resamples, double level, long seed) {
    int n = values.length;
    if (n == 0 || resamples < 1 || !(level > 0 && level < 1)) {
      throw new IllegalArgumentException("needs values, resamples >= 1 and a level in (0, 1)");
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[resamples];
    for (int b = 0; b < resamples; b++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += values[random.nextInt(n)];
      }
      means[b] = sum / n;
    }
    Arrays.sort(means);
    double alpha = 1 - level;
    return new double[] {quantile(means, alpha / 2), quantile(means, 1 - alpha / 2)};
  }

  /** The q-quantile of sorted values, linear between order statistics at position (n − 1)·q. */
  public static double quantile(double[] sorted, double q) {
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
