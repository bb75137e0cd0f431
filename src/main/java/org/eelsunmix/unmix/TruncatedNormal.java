package org.eelsunmix.unmix;

/**
 * Exact draws from a normal distribution truncated to an interval, {@code N(μ, σ²)} restricted to
 * {@code [lo, hi]} (either bound may be infinite), by accept–reject with the proposals of Robert (Statistics and
 * Computing 5:121–125, 1995) on the standardised interval {@code [α, β] = [(lo − μ)/σ, (hi − μ)/σ]}:
 *
 * <ul>
 *   <li>{@code α < 0 < β}: a uniform proposal on [α, β] accepted with probability {@code exp(−z²/2)} when the
 *       interval is narrower than √(2π), else plain normal draws kept when they fall inside (acceptance ≥ ½ then);
 *   <li>{@code 0 ≤ α} (and by symmetry {@code β ≤ 0}): a uniform proposal accepted with
 *       {@code exp((α² − z²)/2)} when {@code β ≤ α + 2√e/(α + √(α² + 4)) · exp((α² − α√(α² + 4))/4)} (Robert's
 *       rule: then it beats the exponential), else the translated exponential {@code α + E/λ*},
 *       {@code λ* = (α + √(α² + 4))/2}, accepted with {@code exp(−(z − λ*)²/2)} and {@code z ≤ β}.</li>
 * </ul>
 *
 * Every acceptance probability stays bounded away from zero for any α and β, including far tails (α = 40 accepts
 * more than 99.9 % of exponential proposals), so no case falls back to approximations. {@code (α² − z²)} is
 * evaluated as {@code −(z − α)(z + α)} to keep its precision far out. All randomness comes from a
 * {@link KeyedRandom}, so draws are reproducible from its key.
 */
public final class TruncatedNormal {
  private static final double SQRT_2PI = StrictMath.sqrt(2 * Math.PI);
  private static final double TWO_SQRT_E = 2 * StrictMath.sqrt(Math.E);
  /** Beyond this α the distribution's width (≈ 1/α) is far below α's ulp: the draw is α. */
  private static final double FAR = 1e100;

  private TruncatedNormal() {}

  /**
   * One draw from {@code N(mean, sd²)} truncated to {@code [lo, hi]}.
   *
   * @param sd ≥ 0; 0 gives {@code mean} clamped into the interval; +∞ (a flat density) needs finite bounds
   * @throws IllegalArgumentException when {@code lo > hi}, a value is NaN, or sd = +∞ with an infinite bound
   */
  public static double sample(KeyedRandom rng, double mean, double sd, double lo, double hi) {
    if (!(lo <= hi) || Double.isNaN(mean) || !(sd >= 0)) {
      throw new IllegalArgumentException("need lo <= hi, a mean and sd >= 0; got [" + lo + ", " + hi + "], mean "
          + mean + ", sd " + sd);
    }
    if (lo == hi) {
      return lo;
    }
    if (sd == 0 || Double.isInfinite(mean)) {
      return clamp(mean, lo, hi);
    }
    if (Double.isInfinite(sd)) {
      if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
        throw new IllegalArgumentException("a flat density needs a finite interval, got [" + lo + ", " + hi + "]");
      }
      return clamp(lo + (hi - lo) * rng.nextDouble(), lo, hi);
    }
    double z = standard(rng, (lo - mean) / sd, (hi - mean) / sd);
    return clamp(mean + sd * z, lo, hi); // the interval holds z; rounding of mean + sd z must not leave it
  }

  /** One draw from the standard normal truncated to {@code [a, b]}, {@code a ≤ b}. */
  public static double standard(KeyedRandom rng, double a, double b) {
    if (!(a <= b)) {
      throw new IllegalArgumentException("need a <= b, got [" + a + ", " + b + "]");
    }
    if (a == b) {
      return a;
    }
    if (a >= 0) {
      return upperTail(rng, a, b);
    }
    if (b <= 0) {
      return -upperTail(rng, -b, -a);
    }
    if (b - a <= SQRT_2PI) {
      while (true) {
        double z = a + (b - a) * rng.nextDouble();
        if (rng.nextDouble() <= StrictMath.exp(-0.5 * z * z)) {
          return z;
        }
      }
    }
    while (true) {
      double z = rng.nextGaussian();
      if (z >= a && z <= b) {
        return z;
      }
    }
  }

  /** {@code 0 ≤ a < b ≤ ∞}. */
  private static double upperTail(KeyedRandom rng, double a, double b) {
    if (a > FAR) {
      return a;
    }
    double root = StrictMath.sqrt(a * a + 4);
    double uniformLimit = a + TWO_SQRT_E / (a + root) * StrictMath.exp((a * a - a * root) / 4);
    if (b <= uniformLimit) {
      while (true) {
        double z = a + (b - a) * rng.nextDouble();
        if (rng.nextDouble() <= StrictMath.exp(-0.5 * (z - a) * (z + a))) {
          return z;
        }
      }
    }
    double lambda = (a + root) / 2;
    while (true) {
      double z = a + rng.nextExponential() / lambda;
      double d = z - lambda;
      if (z <= b && rng.nextDouble() <= StrictMath.exp(-0.5 * d * d)) {
        return z;
      }
    }
  }

  private static double clamp(double v, double lo, double hi) {
    return v < lo ? lo : v > hi ? hi : v;
  }
}
