package org.eelsunmix.report;

import java.util.Arrays;
import java.util.List;

/**
 * The session page's "does not fit the model" flag: an acquisition's mean RMSE is an outlier when it lies above
 * {@code median + 5·σ̂} of the session's earlier acquisitions, with the robust spread
 * {@code σ̂ = max(1.4826·MAD, 1 % of the median)} (MAD, the median absolute deviation, scaled to a normal
 * distribution's σ; Rousseeuw &amp; Croux 1993; the floor keeps a series of near-identical acquisitions from
 * flagging a change of a fraction of a percent). At least {@link #MIN_EARLIER} earlier acquisitions are needed
 * before anything is flagged.
 */
public final class RmseOutlier {
  /** Earlier acquisitions needed before any flag. */
  public static final int MIN_EARLIER = 3;
  /** How many robust standard deviations above the median count as "far". */
  public static final double FACTOR = 5;

  private RmseOutlier() {}

  /** The mean RMSE above which an acquisition is flagged, given the earlier ones' (+∞ while too few). */
  public static double threshold(List<Double> earlier) {
    double[] v = earlier.stream().filter(Double::isFinite).mapToDouble(Double::doubleValue).toArray();
    if (v.length < MIN_EARLIER) {
      return Double.POSITIVE_INFINITY;
    }
    double median = median(v);
    double[] dev = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      dev[i] = Math.abs(v[i] - median);
    }
    double sigma = Math.max(1.4826 * median(dev), 0.01 * Math.abs(median));
    return median + FACTOR * sigma;
  }

  /** Whether {@code rmse} is far above the {@code earlier} acquisitions' mean RMSEs. */
  public static boolean isOutlier(double rmse, List<Double> earlier) {
    return rmse > threshold(earlier);
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }
}
