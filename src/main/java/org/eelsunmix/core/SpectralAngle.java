package org.eelsunmix.core;


/**
 * Spectral angle distance (SAD) between spectra, the endmember metric of the synthetic study (Palsson et al.,
 * "Hyperspectral unmixing using a neural network autoencoder", IEEE Access 6:25646–25656, 2018, §IV):
 *
 * <pre>  SAD(a, b) = arccos( aᵀb / (‖a‖ ‖b‖) )   in radians, in [0, π]</pre>
 *
 * It ignores the scale of the spectra, so an endmember estimated up to a factor (as NMF and autoencoders give them)
 * scores 0. The cosine is clamped to [−1, 1] before arccos, as rounding can push it just outside for (nearly)
 * parallel spectra. By convention a zero spectrum has angle π/2 to any non-zero spectrum (it shares no direction
 * with it) and 0 to another zero spectrum.
 */
public final class SpectralAngle {

  private SpectralAngle() {
  }

  /**
   * SAD between two spectra of the same length, in radians.
   *
   * @throws BadInputException naming {@code spectra} when the lengths differ (spectra on different energy axes)
   */
  public static double between(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new BadInputException("spectra", "no spectral angle between spectra of " + a.length + " and "
          + b.length + " channels; compare spectra on one energy axis");
    }
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int c = 0; c < a.length; c++) {
      dot += a[c] * b[c];
      aa += a[c] * a[c];
      bb += b[c] * b[c];
    }
    if (aa == 0 || bb == 0) {
      return aa == bb ? 0.0 : Math.PI / 2;
    }
    double cosine = dot / (Math.sqrt(aa) * Math.sqrt(bb));
    return Math.acos(Math.max(-1.0, Math.min(1.0, cosine)));
  }

  /**
   * The SAD matrix: entry {@code [i][j]} is the angle between {@code truth[i]} and {@code estimated[j]}.
   *
   * @throws BadInputException naming {@code spectra} when spectra differ in length
   */
  public static double[][] matrix(double[][] truth, double[][] estimated) {
    double[][] sad = new double[truth.length][estimated.length];
    for (int i = 0; i < truth.length; i++) {
      for (int j = 0; j < estimated.length; j++) {
        sad[i][j] = between(truth[i], estimated[j]);
      }
    }
    return sad;
  }

  /**
   * The SAD matrix between true endmembers (rows) and estimated ones (columns).
   *
   * @throws BadInputException naming the estimated endmembers when their channel count differs from the truth's
   */
  public static double[][] matrix(Endmembers truth, Endmembers estimated) {
    requireSameChannels(truth, estimated);
    return matrix(truth.matrix(), estimated.matrix());
  }

  static void requireSameChannels(Endmembers truth, Endmembers estimated) {
    if (truth.channels() != estimated.channels()) {
      throw new BadInputException("estimated endmembers", String.format(
          "they have %d energy channels but the true endmembers have %d; compare spectra on one energy axis",
          estimated.channels(), truth.channels()));
    }
  }
}
