package org.eelsunmix.autoencoder;

/**
 * The autoencoders' reconstruction loss, the spectral angle between a pixel's spectrum {@code y} and its
 * reconstruction {@code ŷ} (Palsson, Sigurdsson, Sveinsson &amp; Ulfarsson, "Hyperspectral unmixing using a neural
 * network autoencoder", IEEE Access 6, 2018, eq. 9), with its analytic gradient:
 *
 * <pre>
 *   c = yᵀŷ / (‖y‖ ‖ŷ‖),   θ = arccos c
 *   ∂θ/∂ŷ = −1/√(1 − c²) · ( y / (‖y‖ ‖ŷ‖) − c ŷ / ‖ŷ‖² )
 * </pre>
 *
 * The batch loss is the mean of θ over the pixels (the textbook SAD). The reference code minimises a scaled variant,
 * {@code arccos(mean over pixels and channels of ŷ_n · y_n)} with unit-norm rows, i.e. the arccosine of the mean
 * cosine divided by the channel count; both are minimised by parallel spectra.
 *
 * <p>The gradient is infinite where θ = 0 (perfect fit): the cosine is clamped to {@code 1 − }{@link #COSINE_MARGIN}
 * for the gradient (not for the value), which only caps the step of pixels that are already fitted to 1e-5 rad.
 * A zero spectrum or reconstruction has angle π/2 and zero gradient. Plain Java, double precision. The sums and the
 * gradient's two coefficients ({@link #ofSums}) are apart so a layer holding the spectra channel-major (CNNAEU's NCHW,
 * {@link SadOutputLayer}) uses the same math. The arccosine is {@link Arccos} (the bits of {@link StrictMath#acos},
 * without JDK 17's native call per pixel).
 */
public final class SpectralAngleLoss {
  /** Clamp margin of the cosine in the gradient: |c| ≤ 1 − 1e-10, i.e. θ ≥ about 1.4e-5 rad. */
  public static final double COSINE_MARGIN = 1e-10;

  private SpectralAngleLoss() {}

  /**
   * The angle between {@code y[yOffset ...]} and {@code yHat[hOffset ...]} ({@code n} channels) in radians; with
   * {@code gradient != null}, also writes ∂θ/∂ŷ into {@code gradient[gOffset ... gOffset + n)}, times
   * {@code weight}.
   */
  public static double angle(double[] y, int yOffset, double[] yHat, int hOffset, int n, double[] gradient,
      int gOffset, double weight) {
    double dot = 0;
    double yy = 0;
    double hh = 0;
    for (int c = 0; c < n; c++) {
      double a = y[yOffset + c];
      double b = yHat[hOffset + c];
      dot += a * b;
      yy += a * a;
      hh += b * b;
    }
    if (gradient != null) {
      if (yy == 0 || hh == 0) {
        java.util.Arrays.fill(gradient, gOffset, gOffset + n, 0.0);
      } else {
        double onY = onY(dot, yy, hh, weight);
        double onH = onH(dot, yy, hh, weight);
        for (int k = 0; k < n; k++) {
          gradient[gOffset + k] = onY * y[yOffset + k] + onH * yHat[hOffset + k];
        }
      }
    }
    return ofSums(dot, yy, hh);
  }

  /**
   * The angle from a pixel's sums {@code dot = yᵀŷ}, {@code yy = ‖y‖²}, {@code hh = ‖ŷ‖²}, accumulated by the
   * caller in whatever layout it holds the spectra (π/2 when one spectrum is zero, 0 when both are).
   */
  public static double ofSums(double dot, double yy, double hh) {
    if (yy == 0 || hh == 0) {
      return yy == hh ? 0.0 : Math.PI / 2;
    }
    return Arccos.of(Math.max(-1.0, Math.min(1.0, dot / (Math.sqrt(yy) * Math.sqrt(hh)))));
  }

  /** α of {@code weight · ∂θ/∂ŷ = α y + β ŷ}, from the sums of {@link #ofSums} ({@code yy, hh > 0}). */
  public static double onY(double dot, double yy, double hh, double weight) {
    double normY = Math.sqrt(yy);
    double normH = Math.sqrt(hh);
    return factor(dot / (normY * normH), weight) / (normY * normH);
  }

  /** β of {@code weight · ∂θ/∂ŷ = α y + β ŷ}, from the sums of {@link #ofSums} ({@code yy, hh > 0}). */
  public static double onH(double dot, double yy, double hh, double weight) {
    double cosine = dot / (Math.sqrt(yy) * Math.sqrt(hh));
    return -factor(cosine, weight) * cosine / hh;
  }

  /** {@code −weight / √(1 − c²)}, the cosine clamped to {@link #COSINE_MARGIN} from ±1. */
  private static double factor(double cosine, double weight) {
    double c = Math.max(-1 + COSINE_MARGIN, Math.min(1 - COSINE_MARGIN, cosine));
    return -weight / Math.sqrt(1 - c * c);
  }
}
