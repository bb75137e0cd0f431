package org.eelsunmix.unmix;

/**
 * A fitted ICA decomposition of spectra (scikit-learn's {@code components_}, {@code mixing_}, {@code mean_}):
 *
 * <pre>  y ≈ m + Σ_r (s_r − c_r) a_r,    s = U y</pre>
 *
 * <ul>
 *   <li><b>unmixing</b> U = W K (n × B): W the FastICA rotation, K the whitening ({@link IcaWhitening#matrix()});</li>
 *   <li><b>sources</b> {@code s = U y}, the component "abundances" of a pixel. They are taken from the uncentred
 *   spectrum, so a source map has mean {@code c = U m} (scikit-learn's {@code transform} subtracts it and returns
 *   {@code s − c}); unit variance over the fitted pixels;</li>
 *   <li><b>mixing</b> spectra {@code a_r} (the columns of {@code E Λ^{1/2} Wᵀ}, the pseudo-inverse of U, stored as
 *   rows of n × B): the component "endmembers", on the channels' scale (counts per unit source);</li>
 *   <li>the reconstruction lies in the n-dimensional principal subspace: the residual is what PCA to n components
 *   leaves out.</li>
 * </ul>
 *
 * <p><b>Sign convention.</b> ICA fixes each component only up to sign (and scale, fixed here by unit source
 * variance). Each component is flipped so its source map has a positive mean ({@code c_r > 0}): for counts, a
 * component is then "more of this spectrum" where its map is bright. If {@code c_r} is zero to rounding the
 * mixing spectrum's largest-magnitude channel is made positive instead.
 *
 * <p>The non-negative, sum-to-one rescaling {@code evaluate} applies is {@link SourceSeparation#proportions}; here
 * its endmember r is {@code m + (max_r − c_r) a_r}, the mean spectrum moved to source r's maximum.
 *
 * @param mean the mean spectrum m (B)
 * @param unmixing U, n × B
 * @param mixing the mixing spectra a_r, n × B
 * @param sourceMeans c = U m (n), all ≥ 0 by the sign convention
 * @param iterations FastICA iterations run
 * @param converged whether the tolerance (not the cap) stopped the iteration
 */
public record IndependentComponents(double[] mean, double[][] unmixing, double[][] mixing, double[] sourceMeans,
    int iterations, boolean converged) implements SourceSeparation {

  /** The decomposition of the whitening and the (orthogonal) rotation W (n × n, row-major), sign-fixed. */
  static IndependentComponents of(IcaWhitening whitening, double[] w, int iterations, boolean converged) {
    int n = whitening.dims();
    double[][] k = whitening.matrix();
    double[][] e = whitening.pca().components();
    double[] values = whitening.pca().eigenvalues();
    double[] m = whitening.pca().mean();
    int b = m.length;
    double[][] u = new double[n][b];
    double[][] a = new double[n][b];
    double[] c = new double[n];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < n; i++) {
        double wri = w[r * n + i];
        double root = Math.sqrt(values[i]);
        for (int j = 0; j < b; j++) {
          u[r][j] += wri * k[i][j];
          a[r][j] += wri * root * e[i][j];
        }
      }
      double norm = 0;
      double meanNorm = 0;
      int big = 0;
      for (int j = 0; j < b; j++) {
        c[r] += u[r][j] * m[j];
        norm += u[r][j] * u[r][j];
        meanNorm += m[j] * m[j];
        if (Math.abs(a[r][j]) > Math.abs(a[r][big])) {
          big = j;
        }
      }
      boolean flat = Math.abs(c[r]) <= 1e-9 * Math.sqrt(norm * meanNorm);
      if (flat ? a[r][big] < 0 : c[r] < 0) {
        c[r] = -c[r];
        for (int j = 0; j < b; j++) {
          u[r][j] = -u[r][j];
          a[r][j] = -a[r][j];
        }
      }
    }
    return new IndependentComponents(m, u, a, c, iterations, converged);
  }

  /** U: the sources of a pixel are {@code s = U y}. */
  @Override
  public double[][] sourceMatrix() {
    return unmixing;
  }

  /** {@code ‖y − m − Σ_r (s_r − c_r) a_r‖²} for the spectrum at {@code offset} and its sources {@code s}. */
  @Override
  public double residualSquared(float[] y, int offset, double[] s) {
    double sum = 0;
    for (int j = 0; j < mean.length; j++) {
      double fit = mean[j];
      for (int r = 0; r < mixing.length; r++) {
        fit += (s[r] - sourceMeans[r]) * mixing[r][j];
      }
      double d = y[offset + j] - fit;
      sum += d * d;
    }
    return sum;
  }

  @Override
  public void reconstruct(double[] s, double[] out) {
    for (int j = 0; j < mean.length; j++) {
      double fit = mean[j];
      for (int r = 0; r < mixing.length; r++) {
        fit += (s[r] - sourceMeans[r]) * mixing[r][j];
      }
      out[j] = fit;
    }
  }
}
