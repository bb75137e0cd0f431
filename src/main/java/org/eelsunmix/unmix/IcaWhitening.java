package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.BadInputException;

/**
 * PCA whitening before ICA, as scikit-learn's {@code FastICA(whiten="unit-variance")} does it: the spectra are
 * centred and projected on the first n principal axes of their covariance, each scaled by {@code 1/√λ_i}, so that
 * the whitened data {@code z = Λ^{-1/2} Eᵀ (y − m)} have identity (population) covariance. Built from
 * {@link SpectralMoments} alone, so the distributed ICA needs one aggregation for it.
 *
 * @param pca the centred PCA with n components
 * @param scale {@code 1/√λ_i} for each of the n components
 */
public record IcaWhitening(Pca pca, double[] scale) implements Serializable {

  /**
   * Relative size below which an eigenvalue counts as zero: whitening would then divide noise by nothing. The
   * check names the option, since asking for fewer components is the fix.
   */
  static final double MIN_RELATIVE_EIGENVALUE = 1e-12;

  /** Whitening to {@code components} dimensions from accumulated spectra (not modified). */
  public static IcaWhitening fromMoments(SpectralMoments moments, int components) {
    int b = moments.channels();
    if (components < 1 || components > b) {
      throw new BadInputException("components", "ICA needs between 1 and " + b + " components (the channel count), "
          + "got " + components);
    }
    if (moments.count() <= components) {
      throw new BadInputException("input dataset", "has " + moments.count() + " pixels; ICA with " + components
          + " components needs more");
    }
    Pca pca = Pca.fromMoments(moments, components, components, true);
    double[] scale = new double[components];
    double[] values = pca.eigenvalues();
    for (int i = 0; i < components; i++) {
      if (!(values[i] > MIN_RELATIVE_EIGENVALUE * Math.max(pca.trace(), Double.MIN_NORMAL))) {
        throw new BadInputException("components", "the spectra vary along only " + i + " independent directions; "
            + "ICA cannot whiten " + components + " components");
      }
      scale[i] = 1 / Math.sqrt(values[i]);
    }
    return new IcaWhitening(pca, scale);
  }

  /** Number of whitened dimensions n. */
  public int dims() {
    return scale.length;
  }

  /** Writes {@code z} (n) of the spectrum {@code y[offset .. offset + B)}; {@code z} is caller-owned. */
  public void whiten(float[] y, int offset, double[] z) {
    pca.project(y, offset, z);
    for (int i = 0; i < scale.length; i++) {
      z[i] *= scale[i];
    }
  }

  /**
   * The whitening matrix {@code K = Λ^{-1/2} Eᵀ}, n × B (row i: {@code e_i / √λ_i}), so that
   * {@code z = K (y − m)}.
   */
  public double[][] matrix() {
    double[][] k = new double[scale.length][];
    for (int i = 0; i < k.length; i++) {
      k[i] = pca.components()[i].clone();
      for (int j = 0; j < k[i].length; j++) {
        k[i][j] *= scale[i];
      }
    }
    return k;
  }
}
