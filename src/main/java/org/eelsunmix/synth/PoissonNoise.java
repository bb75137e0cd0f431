package org.eelsunmix.synth;

import java.util.Objects;
import java.util.SplittableRandom;
import org.eelsunmix.linalg.SpecialFunctions;

/**
 * Shot noise of electron counting: draws {@code k ~ Poisson(λ)} from a seeded {@link SplittableRandom}, so that
 * the same seed gives the same counts on every JVM (the JDK has no Poisson sampler of its own).
 *
 * <p>Two exact methods, chosen by the mean:
 * <ul>
 *   <li>{@code λ < 10}: inversion by sequential search, {@code k = min{k : U ≤ Σ_{j≤k} e^{−λ} λʲ/j!}}
 *       (Devroye 1986, <i>Non-Uniform Random Variate Generation</i>, §X.3.2); about λ + 1 steps.</li>
 *   <li>{@code λ ≥ 10}: PTRS, the transformed rejection with squeeze of W. Hörmann, "The transformed rejection
 *       method for generating Poisson random variables", <i>Insurance: Mathematics and Economics</i> 12 (1993)
 *       39–45: {@code k = ⌊(2a/u_s + b)U + λ + 0.43⌋} with {@code U ~ U(−½, ½)}, {@code u_s = ½ − |U|}, accepted
 *       at once when {@code u_s ≥ 0.07} and {@code V ≤ v_r}, else by comparing
 *       {@code ln V + ln(1/α) − ln(a/u_s² + b)} with {@code −λ + k ln λ − ln k!}; about 1.1 pairs of uniforms per
 *       draw whatever λ.</li>
 * </ul>
 *
 * <p>Not thread-safe (one instance per stream, like its generator).
 */
public final class PoissonNoise {
  /** Means above this are refused: counts beyond 2⁵³ are no longer whole numbers in a double. */
  public static final double MAX_MEAN = 1e15;
  private static final double PTRS_THRESHOLD = 10.0;

  private final SplittableRandom random;

  /** @param random the generator to draw from (used, not copied) */
  public PoissonNoise(SplittableRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * One count {@code k ~ Poisson(mean)}; a mean of 0 gives 0.
   *
   * @throws IllegalArgumentException for a negative, non-finite or too large mean
   */
  public long sample(double mean) {
    if (!(mean >= 0.0 && mean <= MAX_MEAN)) {
      throw new IllegalArgumentException("a Poisson mean must lie in [0, " + MAX_MEAN + "], got " + mean);
    }
    if (mean == 0.0) {
      return 0;
    }
    return mean < PTRS_THRESHOLD ? inversion(mean) : ptrs(mean);
  }

  /**
   * Replaces each expected count in {@code expected[from, from + n)} by a Poisson draw with that mean, writing
   * the counts as floats to {@code counts[to, to + n)}. Allocation-free, for per-pixel loops.
   */
  public void sample(double[] expected, int from, float[] counts, int to, int n) {
    for (int i = 0; i < n; i++) {
      counts[to + i] = sample(expected[from + i]);
    }
  }

  private long inversion(double mean) {
    double u = random.nextDouble();
    double p = StrictMath.exp(-mean);
    double cumulative = p;
    long k = 0;
    // The cumulative sum may stop a few ulps short of 1; once the terms underflow, u is in the far tail anyway.
    while (u > cumulative && p > 0.0) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }

  private long ptrs(double mean) {
    double b = 0.931 + 2.53 * StrictMath.sqrt(mean);
    double a = -0.059 + 0.02483 * b;
    double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    // The logarithms serve only the slow acceptance test (about one draw in ten): compute them on first need.
    double logMean = Double.NaN;
    double logInvAlpha = Double.NaN;
    while (true) {
      double u = random.nextDouble() - 0.5;
      double v = random.nextDouble();
      double us = 0.5 - Math.abs(u);
      double kd = Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) {
        return (long) kd;
      }
      if (kd < 0 || (us < 0.013 && v > us)) {
        continue;
      }
      long k = (long) kd;
      if (Double.isNaN(logMean)) {
        logMean = StrictMath.log(mean);
        logInvAlpha = StrictMath.log(invAlpha);
      }
      double lhs = StrictMath.log(v) + logInvAlpha - StrictMath.log(a / (us * us) + b);
      double rhs = -mean + k * logMean - SpecialFunctions.logFactorial(k);
      if (lhs <= rhs) {
        return k;
      }
    }
  }
}
