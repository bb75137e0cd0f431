package org.eelsunmix.unmix;

import org.eelsunmix.core.Unmixing;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;

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
 * <p><b>Non-negative, sum-to-one rescaling</b> ({@link #proportions}, used by {@code evaluate}, never implied):
 * ICA spectra and sources may be negative and are not proportions; a mixture whose proportions sum to one keeps
 * each pixel's total counts, so its mixing spectra are difference spectra summing to about zero. The rescaling
 * maps each source linearly onto [0, 1] between its extremes over the image and normalises each pixel, with
 * endmembers the mean spectrum moved to each source's maximum. It is independent of the sign convention, but a
 * heuristic: proportions summing to one are not independent (Nascimento &amp; Bioucas-Dias, IEEE TGRS 43(1),
 * 2005), so these maps are a comparison point, not an unmixing in the FCLS sense.
 *
 * @param mean the mean spectrum m (B)
 * @param unmixing U, n × B
 * @param mixing the mixing spectra a_r, n × B
 * @param sourceMeans c = U m (n), all ≥ 0 by the sign convention
 * @param iterations FastICA iterations run
 * @param converged whether the tolerance (not the cap) stopped the iteration
 */
public record IndependentComponents(double[] mean, double[][] unmixing, double[][] mixing, double[] sourceMeans,
    int iterations, boolean converged) implements Serializable {

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

  /** Number of components n. */
  public int count() {
    return unmixing.length;
  }

  /** Number of channels B. */
  public int channels() {
    return mean.length;
  }

  /** Writes the sources {@code s = U y} of the spectrum {@code y[offset .. offset + B)} to {@code s} (n). */
  public void sources(float[] y, int offset, double[] s) {
    for (int r = 0; r < unmixing.length; r++) {
      double[] ur = unmixing[r];
      double v = 0;
      for (int j = 0; j < ur.length; j++) {
        v += ur[j] * y[offset + j];
      }
      s[r] = v;
    }
  }

  /** {@code ‖y − m − Σ_r (s_r − c_r) a_r‖²} for the spectrum at {@code offset} and its sources {@code s}. */
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

  /** The mixing spectra as endmembers {@code ic0, ic1, …}. */
  public Endmembers endmembers(EnergyAxis axis) {
    return new Endmembers(mixing, names(), axis);
  }

  private List<String> names() {
    List<String> names = new ArrayList<>();
    for (int r = 0; r < count(); r++) {
      names.add("ic" + r);
    }
    return names;
  }

  /** The raw sources of every pixel of {@code image} as maps. */
  public Abundances maps(SpectrumImage image) {
    int n = count();
    int b = image.channels();
    double[] values = new double[image.pixels() * n];
    double[] s = new double[n];
    for (int p = 0; p < image.pixels(); p++) {
      sources(image.data(), p * b, s);
      System.arraycopy(s, 0, values, p * n, n);
    }
    return new Abundances(image.height(), image.width(), n, values);
  }

  /**
   * The explicit non-negative, sum-to-one rescaling used by {@code evaluate} (see the class comment): each source
   * map is scaled to [0, 1] between its minimum and maximum over {@code image}, and each pixel's values divided by
   * their sum (1/n each if all are 0); endmember r is the spectrum of the mean pixel with source r raised to its
   * maximum, {@code m + (max_r − c_r) a_r}.
   */
  public Unmixing proportions(SpectrumImage image) {
    int n = count();
    double[] v = maps(image).values();
    double[] lo = new double[n];
    double[] hi = new double[n];
    java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
    java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < v.length; i++) {
      lo[i % n] = Math.min(lo[i % n], v[i]);
      hi[i % n] = Math.max(hi[i % n], v[i]);
    }
    for (int p = 0; p < image.pixels(); p++) {
      double sum = 0;
      for (int r = 0; r < n; r++) {
        double range = hi[r] - lo[r];
        double w = range > 0 ? (v[p * n + r] - lo[r]) / range : 0;
        v[p * n + r] = w;
        sum += w;
      }
      for (int r = 0; r < n; r++) {
        v[p * n + r] = sum > 0 ? v[p * n + r] / sum : 1.0 / n;
      }
    }
    double[][] spectra = new double[n][mean.length];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < mean.length; j++) {
        spectra[r][j] = mean[j] + (hi[r] - sourceMeans[r]) * mixing[r][j];
      }
    }
    return new Unmixing(new Endmembers(spectra, names(), image.axis()),
        new Abundances(image.height(), image.width(), n, v));
  }
}
