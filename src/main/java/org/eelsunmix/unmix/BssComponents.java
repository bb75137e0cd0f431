package org.eelsunmix.unmix;

import org.eelsunmix.core.BadInputException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The blind source separation of SVD factors that HyperSpy's {@code blind_source_separation()} stores
 * ({@code learning_results.unmixing_matrix}, {@code bss_factors}, {@code bss_loadings}); found by {@link FactorIca}.
 * With V the n uncentred SVD factors (rows, orthonormal, B channels) and w the n × n unmixing matrix:
 *
 * <pre>  A = w V  (the BSS factors, n × B),    s = w⁻ᵀ V y  (a pixel's BSS loadings),    y ≈ Aᵀ s</pre>
 *
 * <p><b>Loadings of a pixel.</b> HyperSpy computes {@code bss_loadings = loadings · w⁻¹}, the SVD loadings
 * {@code V y} of the fitted pixels turned by w. For any spectrum this is also the least-squares fit of y on the
 * BSS factors: {@code (A Aᵀ)⁻¹ A y = (w wᵀ)⁻¹ w V y = w⁻ᵀ V y}, since {@code V Vᵀ = I}. So {@link #sources} is the
 * same rule on the pixels of the fit and on new ones: the orthogonal projection onto the factors' span, written in
 * the BSS factors.
 *
 * <p><b>Scale and sign.</b> A BSS factor's scale is that of w (the whitening of the factors' derivatives), so the
 * loadings carry the counts; a factor is reversed (with its loadings and its row of w) when its minimum is negative
 * and larger in magnitude than its maximum, as HyperSpy's {@code _auto_reverse_bss_component(criterion="factors")}
 * does.
 *
 * @param svdFactors V, n × B (rows), the leading eigenvectors of the uncentred second moment
 * @param unmixing w, n × n (rows), HyperSpy's {@code unmixing_matrix}
 * @param mixing the BSS factors {@code A = w V}, n × B: the model's endmembers
 * @param projection {@code P = w⁻ᵀ V}, n × B: {@code s = P y}
 * @param iterations FastICA iterations run
 * @param converged whether the tolerance (not the cap) stopped FastICA
 */
public record BssComponents(double[][] svdFactors, double[][] unmixing, double[][] mixing, double[][] projection,
    int iterations, boolean converged) implements SourceSeparation {

  /** The factors and loadings rule of the SVD factors {@code v} (n × B) turned by {@code w} (n × n, invertible). */
  public static BssComponents of(double[][] v, double[][] w, int iterations, boolean converged) {
    int n = v.length;
    int b = v[0].length;
    if (w.length != n) {
      throw new BadInputException("unmixing", "has " + w.length + " rows for " + n + " factors");
    }
    DMatrixRMaj inv = new DMatrixRMaj(w);
    if (!CommonOps_DDRM.invert(inv)) {
      throw new BadInputException("unmixing", "the unmixing matrix is singular");
    }
    double[][] a = new double[n][b];
    double[][] p = new double[n][b];
    for (int r = 0; r < n; r++) {
      for (int k = 0; k < n; k++) {
        double wrk = w[r][k];
        double pkr = inv.get(k, r); // (w⁻ᵀ)_rk
        for (int j = 0; j < b; j++) {
          a[r][j] += wrk * v[k][j];
          p[r][j] += pkr * v[k][j];
        }
      }
    }
    return new BssComponents(v, w, a, p, iterations, converged);
  }

  /** P: the BSS loadings of a pixel are {@code s = P y}. */
  @Override
  public double[][] sourceMatrix() {
    return projection;
  }

  @Override
  public void reconstruct(double[] s, double[] out) {
    int b = mixing[0].length;
    for (int j = 0; j < b; j++) {
      double fit = 0;
      for (int r = 0; r < mixing.length; r++) {
        fit += s[r] * mixing[r][j];
      }
      out[j] = fit;
    }
  }

  /** {@code ‖y − Σ_r s_r a_r‖²}: what the n factors leave of the spectrum at {@code offset}. */
  @Override
  public double residualSquared(float[] y, int offset, double[] s) {
    int b = mixing[0].length;
    double sum = 0;
    for (int j = 0; j < b; j++) {
      double fit = 0;
      for (int r = 0; r < mixing.length; r++) {
        fit += s[r] * mixing[r][j];
      }
      double d = y[offset + j] - fit;
      sum += d * d;
    }
    return sum;
  }
}
