package org.eelsunmix.unmix;

import static org.eelsunmix.linalg.Dot.dot;

import java.io.Serializable;
import org.eelsunmix.linalg.SymmetricEigen;
import org.eelsunmix.linalg.VectorApi;

/**
 * VCA's dimensionality reduction (Nascimento &amp; Bioucas-Dias, "Vertex component analysis: a fast algorithm to
 * unmix hyperspectral data", IEEE TGRS 43(4), 2005, §III and their reference code), computed from
 * {@link SpectralMoments} alone.
 *
 * <p>The SNR is estimated as {@code SNR = 10 log10((P_x − (p/B) P_y) / (P_y − P_x))} with {@code P_y = Σ‖y‖²/N} and
 * {@code P_x} the power of the data projected on the leading {@code p} principal components plus {@code ‖m‖²}
 * (eq. 13 of the paper). Below the threshold {@code SNR_th = 15 + 10 log10(p)} dB the data are projected on the
 * leading {@code d = p − 1} principal axes of the centred data and lifted by a constant {@code c} = the largest
 * projected norm ("projective projection" onto an affine set); above it they are projected on the leading {@code p}
 * axes of the uncentred second moment and scaled so that {@code uᵀx = 1} with {@code u} the mean projection
 * (perspective projection onto a hyperplane). VCA then looks for extreme points of the projected cloud.
 *
 * <p>Immutable and serialisable: the driver computes it, executors project their pixels with it.
 */
public final class VcaProjection implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int endmembers;
  private final int channels;
  private final boolean projective;
  private final int dims;
  private final double[] basis; // dims × channels, row-major
  private final double[] mean; // channels (projective) or null
  private final double[] u; // dims (perspective) or null
  private final double snrDb;

  private VcaProjection(int endmembers, int channels, boolean projective, double[] basis, double[] mean, double[] u,
      double snrDb) {
    this.endmembers = endmembers;
    this.channels = channels;
    this.projective = projective;
    this.dims = projective ? endmembers - 1 : endmembers;
    this.basis = basis;
    this.mean = mean;
    this.u = u;
    this.snrDb = snrDb;
  }

  /**
   * @param m moments of all pixels
   * @param endmembers p, the number of endmembers, {@code 1 ≤ p ≤ B}
   * @param snrDb the SNR to use in dB, or NaN to estimate it from the data (the usual choice)
   */
  public static VcaProjection fromMoments(SpectralMoments m, int endmembers, double snrDb) {
    int b = m.channels();
    if (endmembers < 1 || endmembers > b) {
      throw new IllegalArgumentException("VCA needs 1 ≤ endmembers ≤ channels (" + b + "), got " + endmembers);
    }
    if (m.count() < endmembers) {
      throw new IllegalArgumentException("VCA needs at least " + endmembers + " pixels, got " + m.count());
    }
    double[] mean = m.mean();
    // The R-th centred axis is a noise axis when the data have R endmembers: only its eigenvalue is used (SNR).
    SymmetricEigen centred = SymmetricEigen.leading(m.covariance(), b, endmembers, endmembers - 1);
    double snr = snrDb;
    if (Double.isNaN(snr)) {
      double py = m.meanPower();
      double px = dot(mean, mean);
      for (double v : centred.values()) {
        px += v; // Σ‖Udᵀ(y − m)‖²/N = sum of the leading eigenvalues
      }
      double num = px - (double) endmembers / b * py;
      double den = py - px;
      snr = num <= 0 ? Double.NEGATIVE_INFINITY : den <= 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(num / den);
    }
    double threshold = 15 + 10 * Math.log10(endmembers);
    if (snr < threshold && endmembers > 1) {
      int d = endmembers - 1;
      double[] basis = new double[d * b];
      for (int i = 0; i < d; i++) {
        System.arraycopy(centred.vectors()[i], 0, basis, i * b, b);
      }
      return new VcaProjection(endmembers, b, true, basis, mean, null, snr);
    }
    SymmetricEigen raw = SymmetricEigen.leading(m.secondMoment(), b, endmembers);
    double[] basis = new double[endmembers * b];
    double[] u = new double[endmembers];
    for (int i = 0; i < endmembers; i++) {
      System.arraycopy(raw.vectors()[i], 0, basis, i * b, b);
      u[i] = dot(raw.vectors()[i], mean); // mean of the projections = projection of the mean
    }
    return new VcaProjection(endmembers, b, false, basis, null, u, snr);
  }

  /**
   * Projects {@code y[offset .. offset + B)} into {@code x} (length ≥ {@link #dims()}). Each coordinate is its own
   * index-order sum; four coordinates go through the channels side by side, so that four independent chains of
   * additions overlap instead of each waiting on the latency of its previous addition (same sums, same bits, about
   * three times faster at B = 200).
   */
  public void project(float[] y, int offset, double[] x) {
    final int b = channels;
    int i = 0;
    for (; i + 3 < dims; i += 4) {
      final int b0 = i * b;
      final int b1 = b0 + b;
      final int b2 = b1 + b;
      final int b3 = b2 + b;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int j = 0; j < b; j++) {
        double v = projective ? y[offset + j] - mean[j] : y[offset + j];
        s0 += basis[b0 + j] * v;
        s1 += basis[b1 + j] * v;
        s2 += basis[b2 + j] * v;
        s3 += basis[b3 + j] * v;
      }
      x[i] = s0;
      x[i + 1] = s1;
      x[i + 2] = s2;
      x[i + 3] = s3;
    }
    for (; i + 1 < dims; i += 2) {
      final int b0 = i * b;
      final int b1 = b0 + b;
      double s0 = 0;
      double s1 = 0;
      for (int j = 0; j < b; j++) {
        double v = projective ? y[offset + j] - mean[j] : y[offset + j];
        s0 += basis[b0 + j] * v;
        s1 += basis[b1 + j] * v;
      }
      x[i] = s0;
      x[i + 1] = s1;
    }
    if (i < dims) {
      final int b0 = i * b;
      double s0 = 0;
      for (int j = 0; j < b; j++) {
        s0 += basis[b0 + j] * (projective ? y[offset + j] - mean[j] : y[offset + j]);
      }
      x[i] = s0;
    }
  }

  /**
   * {@link #project} of {@code pixels} spectra {@code y[p·B ..]} into {@code out[p·dims ..]} (row-major N × dims),
   * bit for bit the same values. Where the Vector API is available, a vector's worth of pixels at a time, one per lane
   * ({@link VcaProjectionVector}: each lane's sum is the scalar one, in the same order); the rest one by one.
   */
  public void projectAll(float[] y, int pixels, double[] out) {
    projectAll(y, pixels, out, VectorApi.ENABLED);
  }

  /** {@link #projectAll(float[], int, double[])}, on the Vector API only if {@code vector} (the tests' switch). */
  void projectAll(float[] y, int pixels, double[] out, boolean vector) {
    final int d = dims;
    int p = 0;
    if (vector) {
      final int lanes = VcaProjectionVector.lanes();
      double[] work = new double[channels * lanes];
      double[] sums = new double[4 * lanes];
      for (; p + lanes <= pixels; p += lanes) {
        VcaProjectionVector.project(y, p * channels, channels, d, basis, projective ? mean : null, out, p * d, work,
            sums);
      }
    }
    double[] x = new double[d];
    for (; p < pixels; p++) {
      project(y, p * channels, x);
      System.arraycopy(x, 0, out, p * d, d);
    }
  }

  /** The basis, dims × B row-major (not a copy; for the tests' plain reference). */
  double[] basis() {
    return basis;
  }

  /** The mean spectrum subtracted in projective mode, else null (not a copy; for the tests). */
  double[] mean() {
    return mean;
  }

  /** Squared norm of a projected pixel (the projective lift {@code c} is the largest such norm's root). */
  public double normSquared(double[] x) {
    double s = 0;
    for (int i = 0; i < dims; i++) {
      s += x[i] * x[i];
    }
    return s;
  }

  /**
   * Writes the point of the simplex-shaped cloud that VCA searches: {@code [x; c]} in projective mode,
   * {@code x / (uᵀx)} otherwise (zero for a pixel with {@code uᵀx = 0}, which cannot be a vertex).
   */
  public void simplexPoint(double[] x, double c, double[] out) {
    if (projective) {
      System.arraycopy(x, 0, out, 0, dims);
      out[dims] = c;
      return;
    }
    double ux = 0;
    for (int i = 0; i < dims; i++) {
      ux += u[i] * x[i];
    }
    for (int i = 0; i < dims; i++) {
      out[i] = ux == 0 ? 0 : x[i] / ux;
    }
  }

  /** {@code |fᵀ simplexPoint(x, c)|}: how far the pixel lies along the search direction {@code f}. */
  public double score(double[] f, double[] x, double c) {
    double s = 0;
    for (int i = 0; i < dims; i++) {
      s += f[i] * x[i];
    }
    if (projective) {
      return Math.abs(s + f[dims] * c);
    }
    double ux = 0;
    for (int i = 0; i < dims; i++) {
      ux += u[i] * x[i];
    }
    return ux == 0 ? 0 : Math.abs(s / ux);
  }

  /**
   * {@link #score} of the projected pixel {@code x[offset .. offset + dims)} along each of several directions, in
   * one visit of the pixel (VCA's restarts share the pass); {@code out[k]} is bit for bit what {@link #score}
   * gives for {@code directions[k]}.
   */
  public void scores(double[][] directions, double[] x, int offset, double c, double[] out) {
    double ux = 0;
    if (!projective) {
      for (int i = 0; i < dims; i++) {
        ux += u[i] * x[offset + i];
      }
    }
    for (int k = 0; k < directions.length; k++) {
      double[] f = directions[k];
      double s = 0;
      for (int i = 0; i < dims; i++) {
        s += f[i] * x[offset + i];
      }
      out[k] = projective ? Math.abs(s + f[dims] * c) : ux == 0 ? 0 : Math.abs(s / ux);
    }
  }

  /** The spectrum a projected pixel stands for ({@code Ud x + m}, or {@code Ud x}): VCA's endmember estimate. */
  public double[] spectrum(double[] x) {
    int b = channels;
    double[] s = projective ? mean.clone() : new double[b];
    for (int i = 0; i < dims; i++) {
      int base = i * b;
      for (int j = 0; j < b; j++) {
        s[j] += basis[base + j] * x[i];
      }
    }
    return s;
  }

  public int endmembers() {
    return endmembers;
  }

  public int channels() {
    return channels;
  }

  /** Length of a projected pixel {@code x}. */
  public int dims() {
    return dims;
  }

  /** Whether the low-SNR projective projection is used (then the lift {@code c} must be computed). */
  public boolean projective() {
    return projective;
  }

  /** SNR used to choose the projection, in dB (estimated unless given). */
  public double snrDb() {
    return snrDb;
  }
}
