package org.eelsunmix.eval;

import org.eelsunmix.linalg.SpecialFunctions;

/**
 * Student's t distribution with any (real, positive) degrees of freedom ν: the distribution function through the
 * regularised incomplete beta function,
 *
 * <pre>  P(T ≤ t) = 1 − ½ I_{ν/(ν+t²)}(ν/2, ½)   for t ≥ 0   (Abramowitz &amp; Stegun 26.7.1, 26.5.27)</pre>
 *
 * and its inverse by bisection on that function (monotone, so the quantile is found to the last bits whatever ν).
 * {@link #quantile(double, double)} gives the 95 % interval factor t_{0.975, n−1} of the study's aggregates.
 */
public final class StudentT {
  private StudentT() {}

  /** P(T ≤ t) for ν degrees of freedom (ν &gt; 0). */
  public static double cdf(double t, double nu) {
    requireDegrees(nu);
    if (Double.isNaN(t)) {
      return Double.NaN;
    }
    if (Double.isInfinite(t)) {
      return t > 0 ? 1 : 0;
    }
    double tail = 0.5 * SpecialFunctions.regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /** The p-quantile (0 &lt; p &lt; 1) for ν degrees of freedom (ν &gt; 0): the t with {@code cdf(t, ν) = p}. */
  public static double quantile(double p, double nu) {
    requireDegrees(nu);
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("p must be in (0, 1), got " + p);
    }
    if (p == 0.5) {
      return 0;
    }
    if (p < 0.5) {
      return -quantile(1 - p, nu);
    }
    // Upper tail q = 1 − p = ½ I_x(ν/2, ½) with x = ν/(ν+t²): solve for x in (0, 1), where I_x grows with x, then
    // t = sqrt(ν (1 − x) / x). Bisection on x keeps full relative precision for small tails.
    double target = 2 * (1 - p);
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 200 && hi - lo > 0; i++) {
      double mid = 0.5 * (lo + hi);
      if (mid == lo || mid == hi) {
        break;
      }
      if (SpecialFunctions.regularizedBeta(mid, nu / 2, 0.5) < target) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double x = 0.5 * (lo + hi);
    return Math.sqrt(nu * (1 - x) / x);
  }

  private static void requireDegrees(double nu) {
    if (!(nu > 0)) {
      throw new IllegalArgumentException("degrees of freedom must be positive, got " + nu);
    }
  }
}
