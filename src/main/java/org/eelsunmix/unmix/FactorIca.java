package org.eelsunmix.unmix;

import java.util.Arrays;
import java.util.Comparator;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.linalg.Dot;
import org.eelsunmix.linalg.SymmetricEigen;

/**
 * ICA as HyperSpy runs it with its defaults: {@code s.decomposition()} (SVD, not centred) then
 * {@code s.blind_source_separation(n)} (HyperSpy 1.7, {@code hyperspy/learn/mva.py}), i.e. scikit-learn's FastICA
 * (Hyvärinen, IEEE TNN 10(3):626–634, 1999) on the first n <em>factors</em>, the energy channels being the samples:
 *
 * <ol>
 *   <li>SVD factors V (n × B): the leading eigenvectors of the uncentred second moment {@code Σ y yᵀ / N}
 *   (those of {@code YᵀY}; {@link SpectralMoments}, one aggregation), explained variances {@code λ = S² / N};</li>
 *   <li>each factor differentiated once along energy as {@code numpy.gradient} does it ({@code diff_order=1}:
 *   central differences inside, one-sided at both ends, divided by the channel width; B values);</li>
 *   <li>PCA whitening of the B × n derivatives (HyperSpy's {@code whiten_data}): centred over channels,
 *   {@code C = XᵀX / B = U diag(σ) Uᵀ}, {@code K = diag(σ + 1e-10)^{-1/2} Uᵀ};</li>
 *   <li>FastICA's symmetric fixed-point iteration with logcosh on the whitened channels ({@link FastIca#rotate};
 *   scikit-learn called with {@code whiten=False}, as HyperSpy does), HyperSpy's tolerance 1e-10, 200
 *   iterations;</li>
 *   <li>the unmixing matrix {@code w = W K} applied to the (undifferentiated) factors, {@code A = w V}; rows sorted
 *   by decreasing {@code Σ_k λ_k |w_rk|}; a component reversed when its factor's minimum is negative and larger in
 *   magnitude than its maximum ({@link BssComponents}).</li>
 * </ol>
 *
 * <p><b>Signs and determinism.</b> Eigenvectors take {@link SymmetricEigen}'s convention (largest-magnitude entry
 * positive), which for the n × n whitening is HyperSpy's {@code svd_flip}. HyperSpy flips the SVD factors by the
 * largest pixel loading instead (which needs the pixels), but the result does not depend on the factors' signs:
 * flipping factor k flips column k of the derivatives, which only flips whitened components, and FastICA's fixed
 * point, the sorting and the reversal rule remove signs and order. The start is {@link FastIca}'s seeded Gaussian
 * draw (not numpy's); from any start FastICA reached the same components on the reference cubes, to within what
 * its tolerance leaves (a few 1e-6 relative here, 2e-7 in HyperSpy; tested against HyperSpy 1.7.3 in
 * {@code FactorIcaHyperSpyTest}). HyperSpy decomposes float32 cubes in float32; this code works in doubles.
 */
public final class FactorIca {
  private FactorIca() {}

  /** HyperSpy's tolerance: {@code blind_source_separation} passes {@code tol=1e-10} to scikit-learn's FastICA. */
  public static final double DEFAULT_TOL = 1e-10;
  /** HyperSpy's {@code whiten_data} adds this to each eigenvalue before taking the root. */
  static final double WHITENING_EPSILON = 1e-10;
  /** An eigenvalue below this fraction of the trace counts as zero (a rank the spectra do not have). */
  static final double MIN_RELATIVE_EIGENVALUE = 1e-14;

  /** HyperSpy's settings for n components: tol 1e-10, 200 iterations, the seed of the start. */
  public static FastIca.Options options(int components, long seed) {
    return new FastIca.Options(components, DEFAULT_TOL, FastIca.DEFAULT_MAX_ITERATIONS, seed);
  }

  /** Separates one spectrum image, in memory; its energy axis gives the channel width of the derivative. */
  public static BssComponents fit(SpectrumImage image, FastIca.Options o) {
    int b = image.channels();
    SpectralMoments moments = new SpectralMoments(b);
    for (int p = 0; p < image.pixels(); p++) {
      moments.add(image.data(), p * b);
    }
    return fit(moments, image.axis().scale(), o);
  }

  /**
   * Separates spectra from their accumulated moments alone (what the distributed fit aggregates).
   *
   * @param moments the spectra's moments (not modified)
   * @param channelWidth the energy step between channels (the derivative's denominator), &gt; 0
   * @param o components, tolerance, iteration cap and seed
   */
  public static BssComponents fit(SpectralMoments moments, double channelWidth, FastIca.Options o) {
    int b = moments.channels();
    int n = o.components();
    if (n > b) {
      throw new BadInputException("components", "asked for " + n + " components but the spectra have only " + b
          + " channels");
    }
    if (b < n + 1) {
      throw new BadInputException("components", "ICA of " + n + " factors needs more than " + n + " channels, got "
          + b);
    }
    if (!(channelWidth > 0) || !Double.isFinite(channelWidth)) {
      throw new IllegalArgumentException("channel width must be finite and > 0, got " + channelWidth);
    }
    Pca svd = Pca.fromMoments(moments, n, n, false);
    double[] lambda = svd.eigenvalues();
    requireRank(lambda, svd.trace(), "the spectra span only %d independent directions; ICA cannot separate %d");
    double[][] v = svd.components();
    double[][] x = centred(derivative(v, channelWidth));

    // Whitening of the derivatives: samples are the B channels, features the n factors.
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        c[i * n + k] = Dot.dot(x[i], x[k]) / b;
      }
    }
    SymmetricEigen eig = SymmetricEigen.leading(c, n, n);
    double trace = 0;
    for (double s : eig.values()) {
      trace += s;
    }
    requireRank(eig.values(), trace, "the factors' derivatives span only %d independent directions; ICA cannot "
        + "separate %d");
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      double f = 1 / Math.sqrt(eig.values()[i] + WHITENING_EPSILON);
      for (int q = 0; q < n; q++) {
        k[i][q] = eig.vectors()[i][q] * f;
      }
    }
    double[] z = new double[b * n]; // channel-major: z[j*n + i]
    for (int j = 0; j < b; j++) {
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int q = 0; q < n; q++) {
          s += k[i][q] * x[q][j];
        }
        z[j * n + i] = s;
      }
    }
    FastIca.Rotation rotation = FastIca.rotate(n, o, w -> {
      IcaStatistics stats = new IcaStatistics(w, n);
      for (int j = 0; j < b; j++) {
        stats.add(z, j * n);
      }
      return stats;
    });
    return BssComponents.of(v, ordered(unmixing(rotation.w(), k), lambda, v), rotation.iterations(),
        rotation.converged());
  }

  /** {@code W K}, n × n. */
  private static double[][] unmixing(double[] w, double[][] k) {
    int n = k.length;
    double[][] out = new double[n][n];
    for (int r = 0; r < n; r++) {
      for (int q = 0; q < n; q++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += w[r * n + i] * k[i][q];
        }
        out[r][q] = s;
      }
    }
    return out;
  }

  /**
   * HyperSpy's order and signs: rows by decreasing {@code Σ_k λ_k |w_rk|} (its "experimental" sorting, which makes
   * the order independent of FastICA's), then a row negated when its factor {@code (w V)_r} is more negative than
   * positive.
   */
  private static double[][] ordered(double[][] w, double[] lambda, double[][] v) {
    int n = w.length;
    double[] weight = new double[n];
    for (int r = 0; r < n; r++) {
      for (int q = 0; q < n; q++) {
        weight[r] += lambda[q] * Math.abs(w[r][q]);
      }
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer r) -> weight[r]).reversed());
    double[][] out = new double[n][];
    for (int r = 0; r < n; r++) {
      out[r] = w[order[r]].clone();
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < v[0].length; j++) {
        double a = 0;
        for (int q = 0; q < n; q++) {
          a += out[r][q] * v[q][j];
        }
        min = Math.min(min, a);
        max = Math.max(max, a);
      }
      if (min < 0 && -min > max) {
        for (int q = 0; q < n; q++) {
          out[r][q] = -out[r][q];
        }
      }
    }
    return out;
  }

  /**
   * The derivative of each row along the channels as {@code numpy.gradient(f, h)}: {@code (f[j+1] − f[j−1]) / 2h}
   * inside, {@code (f[1] − f[0]) / h} and {@code (f[B−1] − f[B−2]) / h} at the ends.
   */
  static double[][] derivative(double[][] f, double h) {
    double[][] d = new double[f.length][];
    for (int i = 0; i < f.length; i++) {
      double[] row = f[i];
      int b = row.length;
      double[] out = new double[b];
      out[0] = (row[1] - row[0]) / h;
      for (int j = 1; j < b - 1; j++) {
        out[j] = (row[j + 1] - row[j - 1]) / (2 * h);
      }
      out[b - 1] = (row[b - 1] - row[b - 2]) / h;
      d[i] = out;
    }
    return d;
  }

  /** Each row minus its mean (in place); returns {@code rows}. */
  private static double[][] centred(double[][] rows) {
    for (double[] row : rows) {
      double mean = 0;
      for (double v : row) {
        mean += v;
      }
      mean /= row.length;
      for (int j = 0; j < row.length; j++) {
        row[j] -= mean;
      }
    }
    return rows;
  }

  /** Refuses eigenvalues (descending) whose last is zero relative to the trace, naming {@code components}. */
  private static void requireRank(double[] values, double trace, String message) {
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] > MIN_RELATIVE_EIGENVALUE * Math.max(trace, Double.MIN_NORMAL))) {
        throw new BadInputException("components", String.format(java.util.Locale.ROOT, message, i, values.length));
      }
    }
  }
}
