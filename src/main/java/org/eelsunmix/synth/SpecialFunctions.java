package org.eelsunmix.synth;

/**
 * The two special functions the synthetic data need: the error function (for the smoothed onset of an ionisation
 * edge) and {@code ln k!} (for the acceptance test of the Poisson sampler). Both use {@link StrictMath} so that
 * the built-in endmember spectra and every synthetic cube are bit-identical on every JVM.
 */
final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 2.0 / StrictMath.sqrt(StrictMath.PI);
  private static final int LOG_FACTORIAL_TABLE = 256;
  private static final double[] LOG_FACTORIAL = new double[LOG_FACTORIAL_TABLE];

  static {
    double sum = 0.0;
    for (int k = 1; k < LOG_FACTORIAL_TABLE; k++) {
      sum += StrictMath.log(k);
      LOG_FACTORIAL[k] = sum;
    }
  }

  private SpecialFunctions() {
  }

  /**
   * The error function {@code erf(x) = 2/√π ∫₀ˣ exp(−t²) dt}, to about 1e-14 absolute.
   *
   * <p>For {@code |x| < 2.5} the Maclaurin series {@code erf x = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))}
   * (Abramowitz &amp; Stegun 7.1.5; its largest term is below e^{6.25} ≈ 520, so cancellation costs at most three
   * digits); beyond, {@code 1 − erfc x} with the continued fraction
   * {@code erfc x = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))} (A&amp;S 7.1.14), evaluated
   * bottom-up from 60 levels, which converges far past double precision there.
   */
  static double erf(double x) {
    if (Double.isNaN(x)) {
      return x;
    }
    double ax = Math.abs(x);
    double result;
    if (ax < 2.5) {
      double x2 = ax * ax;
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 100; n++) {
        term *= -x2 / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
          break;
        }
      }
      result = TWO_OVER_SQRT_PI * sum;
    } else if (ax > 6.0) {
      result = 1.0; // erfc(6) ≈ 2e-17: below the last bit of 1.0
    } else {
      double f = ax;
      for (int k = 60; k >= 1; k--) {
        f = ax + (k / 2.0) / f;
      }
      result = 1.0 - StrictMath.exp(-ax * ax) / (StrictMath.sqrt(StrictMath.PI) * f);
    }
    return x < 0 ? -result : result;
  }

  /**
   * {@code ln k!}: a table up to 255, then Stirling's series
   * {@code ln k! = (k+½) ln(k+1) − (k+1) + ½ ln 2π + 1/(12(k+1)) − 1/(360(k+1)³) + 1/(1260(k+1)⁵)} (A&amp;S 6.1.41
   * for {@code ln Γ(k+1)}), whose first omitted term is below 1e-16 for these arguments.
   */
  static double logFactorial(long k) {
    if (k < 0) {
      throw new IllegalArgumentException("ln k! needs k ≥ 0, got " + k);
    }
    if (k < LOG_FACTORIAL_TABLE) {
      return LOG_FACTORIAL[(int) k];
    }
    double z = k + 1.0;
    double iz = 1.0 / z;
    double iz2 = iz * iz;
    return (z - 0.5) * StrictMath.log(z) - z + 0.5 * StrictMath.log(2 * StrictMath.PI)
        + iz * (1.0 / 12 - iz2 * (1.0 / 360 - iz2 / 1260));
  }

  /**
   * A standard normal draw by the Box–Muller transform (G. E. P. Box and M. E. Muller, <i>Ann. Math. Stat.</i> 29
   * (1958) 610–611), {@code √(−2 ln u₁)·cos(2π u₂)} with {@code u₁ ∈ (0, 1]}: exactly two uniforms per draw, all
   * in {@link StrictMath}, so a seeded stream gives the same values on every JVM (unlike
   * {@code RandomGenerator.nextGaussian}, whose algorithm the JDK may change).
   */
  static double standardNormal(java.util.SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }
}
