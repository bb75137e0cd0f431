package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.linalg.SymmetricEigen;

/**
 * Principal component analysis of spectra from their moments alone (Pearson 1901; Jolliffe, <i>Principal
 * Component Analysis</i>, 2nd ed., 2002): the eigen-decomposition {@code C = Σ_i λ_i e_i e_iᵀ} of the band × band
 * matrix {@code C}, either the covariance {@code Σ (y − m)(y − m)ᵀ / N} (centred, the usual PCA) or the uncentred
 * second moment {@code Σ y yᵀ / N} (HyperSpy's default {@code decomposition()} does not centre). Since both come
 * from {@link SpectralMoments}, a distributed PCA is one aggregation of those moments.
 *
 * <p>The explained-variance ratio of component i is {@code λ_i / trace(C)} (the trace is the total variance, or
 * mean power when uncentred, over all B components, not only the ones kept), and the list of eigenvalues is the
 * <em>scree</em> (Cattell 1966). A pixel's scores are {@code e_iᵀ (y − m)} (centred) or {@code e_iᵀ y}.
 *
 * <p>Eigenvectors follow {@link SymmetricEigen}'s sign convention (largest-magnitude channel positive).
 *
 * @param mean the mean spectrum m (B), used by {@link #project} when {@link #centred}
 * @param eigenvalues the leading {@code screeLength} eigenvalues of C, descending
 * @param components {@code k × B}: row i is the unit eigenvector of {@code eigenvalues[i]}, for the first k
 * @param trace {@code trace(C)}, the sum of all B eigenvalues
 * @param centred whether C is the covariance (true) or the uncentred second moment (false)
 */
public record Pca(double[] mean, double[] eigenvalues, double[][] components, double trace, boolean centred)
    implements Serializable {

  /**
   * Decomposes the moments.
   *
   * @param moments accumulated spectra (not modified)
   * @param components eigenvectors to keep, {@code 0 ≤ k ≤ B}
   * @param screeLength eigenvalues to keep, {@code max(k, 1) ≤ n ≤ B}
   * @param centred decompose the covariance (true) or the uncentred second moment (false)
   */
  public static Pca fromMoments(SpectralMoments moments, int components, int screeLength, boolean centred) {
    int b = moments.channels();
    if (components < 0 || components > b) {
      throw new BadInputException("components", "cannot keep " + components + " principal components of spectra "
          + "with " + b + " channels");
    }
    if (screeLength < Math.max(components, 1) || screeLength > b) {
      throw new BadInputException("screeLength", "the scree must list between " + Math.max(components, 1)
          + " and " + b + " eigenvalues, got " + screeLength);
    }
    double[] c = centred ? moments.covariance() : moments.secondMoment();
    double trace = 0;
    for (int i = 0; i < b; i++) {
      trace += c[i * b + i];
    }
    SymmetricEigen eig = SymmetricEigen.leading(c, b, screeLength, components);
    double[][] vectors = new double[components][];
    System.arraycopy(eig.vectors(), 0, vectors, 0, components);
    return new Pca(moments.mean(), eig.values(), vectors, trace, centred);
  }

  /** Number of components kept (k). */
  public int count() {
    return components.length;
  }

  /** Number of channels B. */
  public int channels() {
    return mean.length;
  }

  /** {@code λ_i / trace(C)} for each listed eigenvalue (0 when the trace is 0). */
  public double[] explainedVarianceRatio() {
    double[] r = new double[eigenvalues.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = trace > 0 ? eigenvalues[i] / trace : 0;
    }
    return r;
  }

  /** Running sums of {@link #explainedVarianceRatio()}. */
  public double[] cumulativeRatio() {
    double[] r = explainedVarianceRatio();
    for (int i = 1; i < r.length; i++) {
      r[i] += r[i - 1];
    }
    return r;
  }

  /**
   * Writes the k scores of the spectrum {@code y[offset .. offset + B)} to {@code out[0 .. k)}.
   *
   * @param y spectra (not modified)
   * @param out caller-owned, length ≥ k (modified)
   */
  public void project(float[] y, int offset, double[] out) {
    int b = mean.length;
    for (int i = 0; i < components.length; i++) {
      double[] e = components[i];
      double s = 0;
      if (centred) {
        for (int j = 0; j < b; j++) {
          s += e[j] * (y[offset + j] - mean[j]);
        }
      } else {
        for (int j = 0; j < b; j++) {
          s += e[j] * y[offset + j];
        }
      }
      out[i] = s;
    }
  }
}
