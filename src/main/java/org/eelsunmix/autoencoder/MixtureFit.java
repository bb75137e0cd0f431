package org.eelsunmix.autoencoder;

/**
 * How well the linear mixing model {@code y ≈ aᵀM} (endmembers M, R × B; abundances a) fits a pixel's spectrum: the
 * root-mean-square residual over channels, in counts, the {@code rmse} column of the autoencoders' abundance tables.
 */
public final class MixtureFit {
  private MixtureFit() {}

  /**
   * The RMSE of pixel {@code p}: {@code sqrt(Σ_c (y[p·B + c] − Σₖ a[p·R + k]·m[k][c])² / B)}.
   *
   * @param m the endmembers, R × B (read-only)
   * @param spectra pixel-major spectra, B per pixel (read-only)
   * @param a abundances, R per pixel (read-only)
   * @param fit work buffer of B values (overwritten with the reconstruction {@code aᵀM})
   */
  public static double rmse(double[][] m, float[] spectra, double[] a, int p, double[] fit) {
    int b = fit.length;
    Daeu.reconstruct(m, a, p, fit);
    double ss = 0;
    for (int c = 0; c < b; c++) {
      double d = spectra[p * b + c] - fit[c];
      ss += d * d;
    }
    return Math.sqrt(ss / b);
  }
}
