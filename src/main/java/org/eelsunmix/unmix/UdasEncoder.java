package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * A trained uDAS encoder with its decoder, applied to any pixel (Qu &amp; Qi 2019, Eq. 3): for counts y (B),
 *
 * <pre>  h = relu(W1 y / m),   ŷ = Σ_r h_r e_r</pre>
 *
 * with W1 the encoder (R × B, on the normalised scale), m the fit's normalisation (its largest count) and e_r
 * the endmembers in counts (m times the decoder's columns). h is non-negative; the fit's δ row makes Σ h close to
 * one without forcing it, and h is reported as it is (not rescaled). Immutable; {@link #apply} allocates nothing.
 */
public final class UdasEncoder implements Serializable {
  private static final long serialVersionUID = 1L;
  /**
   * Rows whose norm is at most this fraction of the largest row norm count as "near zero". The encoder of an
   * endmember the decoder rounds dropped is exactly zero ({@link UdasFit}); rows in use differ by far more than the
   * earlier 5 % allowed (k-edges 32 × 32, R = 5: 5.48 beside 138.9, the row in use), so the bar is 0.1 %.
   */
  public static final double NEAR_ZERO = 1e-3;
  private final int components;
  private final int channels;
  private final double[] encoder;
  private final double[] endmembers;
  private final double maxCount;

  /**
   * @param encoder W1, row-major R × B, normalised scale (copied)
   * @param endmembers R × B spectra in counts (copied)
   * @param maxCount the normalisation m &gt; 0
   */
  public UdasEncoder(double[] encoder, double[][] endmembers, double maxCount) {
    this.components = endmembers.length;
    this.channels = endmembers[0].length;
    if (encoder.length != components * channels || !(maxCount > 0)) {
      throw new IllegalArgumentException("an encoder of " + encoder.length + " values does not fit " + components
          + " x " + channels + " endmembers (normalisation " + maxCount + ")");
    }
    this.encoder = encoder.clone();
    this.endmembers = new double[components * channels];
    for (int r = 0; r < components; r++) {
      System.arraycopy(endmembers[r], 0, this.endmembers, r * channels, channels);
    }
    this.maxCount = maxCount;
  }

  /** The encoder and endmembers of a fit. */
  public static UdasEncoder of(UdasFit.Outcome fit) {
    int r = fit.rowNorms().length;
    int b = fit.encoder().length / r;
    double[][] spectra = new double[r][b];
    for (int s = 0; s < r; s++) {
      for (int c = 0; c < b; c++) {
        spectra[s][c] = fit.endmembers()[c * r + s] * fit.maxCount();
      }
    }
    return new UdasEncoder(fit.encoder(), spectra, fit.maxCount());
  }

  public int components() {
    return components;
  }

  public int channels() {
    return channels;
  }

  /** The normalisation m (the fit's largest count). */
  public double maxCount() {
    return maxCount;
  }

  /** A copy of W1, row-major R × B. */
  public double[] encoder() {
    return encoder.clone();
  }

  /** The endmembers in counts, R × B. */
  public double[][] endmembers() {
    double[][] m = new double[components][channels];
    for (int r = 0; r < components; r++) {
      System.arraycopy(endmembers, r * channels, m[r], 0, channels);
    }
    return m;
  }

  /** ‖W1_r‖ of each row. */
  public double[] rowNorms() {
    return UdasFit.rowNorms(encoder, components, channels);
  }

  /** The rows whose norm is at most {@link #NEAR_ZERO} of the largest: R may be too large when any. */
  public int[] nearZeroRows() {
    double[] norms = rowNorms();
    double max = 0;
    for (double v : norms) {
      max = Math.max(max, v);
    }
    int[] rows = new int[components];
    int k = 0;
    for (int r = 0; r < components; r++) {
      if (norms[r] <= NEAR_ZERO * max) {
        rows[k++] = r;
      }
    }
    return java.util.Arrays.copyOf(rows, k);
  }

  /** Writes h (R) for the counts {@code y[offset .. + B)}; returns {@code ‖y − ŷ‖²}. */
  public double apply(float[] y, int offset, double[] h) {
    double inv = 1 / maxCount;
    for (int r = 0; r < components; r++) {
      double z = 0;
      int base = r * channels;
      for (int c = 0; c < channels; c++) {
        z += encoder[base + c] * y[offset + c];
      }
      z *= inv;
      h[r] = z > 0 ? z : 0;
    }
    double rss = 0;
    for (int c = 0; c < channels; c++) {
      double fit = 0;
      for (int r = 0; r < components; r++) {
        fit += h[r] * endmembers[r * channels + c];
      }
      double e = y[offset + c] - fit;
      rss += e * e;
    }
    return rss;
  }
}
