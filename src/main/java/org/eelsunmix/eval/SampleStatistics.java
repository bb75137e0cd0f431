package org.eelsunmix.eval;

import java.util.Arrays;

/**
 * Summary statistics of one sample computed from its sorted values, so that they do not depend on the order in
 * which the values arrived (any partitioning of a study gives the same bits): mean (summed in ascending order),
 * sample standard deviation (n − 1), median (mean of the two middle values for even n) and the 95 % Student-t
 * interval of the mean, mean ± t_{0.975, n−1} · s / √n ({@link StudentT}). Undefined entries are NaN (the std and
 * the interval need n ≥ 2; everything needs n ≥ 1).
 *
 * @param count n
 * @param mean the arithmetic mean
 * @param std the sample standard deviation
 * @param median the median
 * @param ciLow lower end of the 95 % t interval
 * @param ciHigh upper end of the 95 % t interval
 */
public record SampleStatistics(int count, double mean, double std, double median, double ciLow, double ciHigh) {
  /** The statistics of {@code values} (not modified; NaNs are not expected). */
  public static SampleStatistics of(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    if (n == 0) {
      return new SampleStatistics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double sum = 0;
    for (double x : v) {
      sum += x;
    }
    double mean = sum / n;
    double median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    if (n == 1) {
      return new SampleStatistics(1, mean, Double.NaN, median, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double std = Math.sqrt(ss / (n - 1));
    double half = StudentT.quantile(0.975, n - 1) * std / Math.sqrt(n);
    return new SampleStatistics(n, mean, std, median, mean - half, mean + half);
  }
}
