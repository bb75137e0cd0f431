package org.eelsunmix.linalg;

/**
 * The special functions of the project, in one place.
 *
 * <p>For the synthetic data ({@code synth}), in {@link StrictMath} so that the built-in endmember spectra and every
 * synthetic cube are bit-identical on every JVM: the error function (the smoothed onset of an ionisation edge),
 * {@code ln k!} (the Poisson sampler's acceptance test) and a Box–Muller standard normal draw.
 *
 * <p>For the study's statistics ({@code eval}): log Γ (Lanczos, g = 7, 9 terms; relative error ~1e-15), the
 * regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz, Numerical Recipes §6.4), and
 * the standard normal distribution function through the regularised incomplete gamma function,
 * Φ(z) = ½ erfc(−z/√2), erfc(x) = Q(½, x²) (series and continued fraction, Numerical Recipes §6.2).
 */
public final class SpecialFunctions {
  private SpecialFunctions() {}

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


  /**
   * The error function {@code erf(x) = 2/√π ∫₀ˣ exp(−t²) dt}, to about 1e-14 absolute.
   *
   * <p>For {@code |x| < 2.5} the Maclaurin series {@code erf x = 2/√π Σ (−1)ⁿ x^{2n+1} / (n! (2n+1))}
   * (Abramowitz &amp; Stegun 7.1.5; its largest term is below e^{6.25} ≈ 520, so cancellation costs at most three
   * digits); beyond, {@code 1 − erfc x} with the continued fraction
   * {@code erfc x = exp(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))} (A&amp;S 7.1.14), evaluated
   * bottom-up from 60 levels, which converges far past double precision there.
   */
  public static double erf(double x) {
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
  public static double logFactorial(long k) {
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
  public static double standardNormal(java.util.SplittableRandom random) {
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};
  private static final double EPS = 1e-16;
  private static final double TINY = 1e-300;

  /** ln Γ(x) for x &gt; 0. */
  public static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < 9; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  /** I_x(a, b) for 0 ≤ x ≤ 1, a, b &gt; 0. */
  public static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
    // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
    if (x < (a + 1) / (a + b + 2)) {
      return front * betaFraction(x, a, b) / a;
    }
    return 1 - front * betaFraction(1 - x, b, a) / b;
  }

  private static double betaFraction(double x, double a, double b) {
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = 1 / (Math.abs(d) < TINY ? TINY : d);
    double h = d;
    for (int m = 1; m <= 10_000; m++) {
      int m2 = 2 * m;
      double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + num / c;
      c = Math.abs(c) < TINY ? TINY : c;
      h *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 + num * d;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = 1 + num / c;
      c = Math.abs(c) < TINY ? TINY : c;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        break;
      }
    }
    return h;
  }

  /** Q(a, x) = Γ(a, x) / Γ(a), the upper regularised incomplete gamma function, a &gt; 0, x ≥ 0. */
  public static double regularizedGammaQ(double a, double x) {
    if (x <= 0) {
      return 1;
    }
    double front = Math.exp(-x + a * Math.log(x) - logGamma(a));
    if (x < a + 1) {
      double sum = 1 / a;
      double term = sum;
      for (int n = 1; n < 10_000; n++) {
        term *= x / (a + n);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * EPS) {
          break;
        }
      }
      return 1 - front * sum;
    }
    double b = x + 1 - a;
    double c = 1 / TINY;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 10_000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      d = 1 / (Math.abs(d) < TINY ? TINY : d);
      c = b + an / c;
      c = Math.abs(c) < TINY ? TINY : c;
      double delta = d * c;
      h *= delta;
      if (Math.abs(delta - 1) < EPS) {
        break;
      }
    }
    return front * h;
  }

  /** The standard normal upper tail 1 − Φ(z), accurate far into the tail. */
  public static double normalUpperTail(double z) {
    double q = 0.5 * regularizedGammaQ(0.5, z * z / 2);
    return z >= 0 ? q : 1 - q;
  }
}
