package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * First and second moments of a set of spectra: the count {@code N}, the channel sums {@code Σ y}, the
 * uncentred scatter {@code Σ y yᵀ} and {@code Σ ‖y‖²}. These are the sufficient statistics of VCA's subspace
 * projection and SNR estimate (and of PCA), so a distributed fit aggregates them over partitions
 * ({@link #merge}) and never needs the pixels themselves on the driver.
 *
 * <p>Only the upper triangle of the scatter is accumulated (it is symmetric). Mutable accumulator; not
 * thread-safe. Memory {@code B² } doubles (6.5 MB at B = 903).
 */
public final class SpectralMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int channels;
  private long count;
  private final double[] sum;
  private final double[] scatter; // row-major B×B, upper triangle filled
  private double sumSquares;
  private transient double[] row; // per-pixel widening buffer

  public SpectralMoments(int channels) {
    if (channels < 1) {
      throw new IllegalArgumentException("channels must be ≥ 1, got " + channels);
    }
    this.channels = channels;
    this.sum = new double[channels];
    this.scatter = new double[channels * channels];
  }

  public int channels() {
    return channels;
  }

  public long count() {
    return count;
  }

  /** Adds the spectrum {@code y[offset .. offset + B)}; returns this. */
  public SpectralMoments add(float[] y, int offset) {
    if (row == null) {
      row = new double[channels];
    }
    for (int i = 0; i < channels; i++) {
      row[i] = y[offset + i];
    }
    return add(row);
  }

  /** Adds one spectrum of length B; returns this. */
  public SpectralMoments add(double[] y) {
    if (y.length < channels) {
      throw new IllegalArgumentException("spectrum has " + y.length + " channels, expected " + channels);
    }
    int b = channels;
    double ss = 0;
    for (int i = 0; i < b; i++) {
      double yi = y[i];
      sum[i] += yi;
      ss += yi * yi;
      int base = i * b;
      for (int j = i; j < b; j++) {
        scatter[base + j] += yi * y[j];
      }
    }
    sumSquares += ss;
    count++;
    return this;
  }

  /** Adds the other accumulator's statistics into this one; returns this. */
  public SpectralMoments merge(SpectralMoments other) {
    if (other.channels != channels) {
      throw new IllegalArgumentException("cannot merge moments of " + other.channels + " and " + channels + " channels");
    }
    count += other.count;
    sumSquares += other.sumSquares;
    for (int i = 0; i < channels; i++) {
      sum[i] += other.sum[i];
    }
    for (int i = 0; i < scatter.length; i++) {
      scatter[i] += other.scatter[i];
    }
    return this;
  }

  private void requireData() {
    if (count == 0) {
      throw new IllegalStateException("no spectra were accumulated");
    }
  }

  /** Mean spectrum {@code Σ y / N}. */
  public double[] mean() {
    requireData();
    double[] m = new double[channels];
    for (int i = 0; i < channels; i++) {
      m[i] = sum[i] / count;
    }
    return m;
  }

  /** Uncentred second moment {@code Σ y yᵀ / N} (VCA's "R Rᵀ / N"), full symmetric B×B, row-major. */
  public double[] secondMoment() {
    requireData();
    int b = channels;
    double[] r = new double[b * b];
    for (int i = 0; i < b; i++) {
      for (int j = i; j < b; j++) {
        double v = scatter[i * b + j] / count;
        r[i * b + j] = v;
        r[j * b + i] = v;
      }
    }
    return r;
  }

  /** Covariance {@code Σ (y − m)(y − m)ᵀ / N} (population normalisation, as VCA uses), full B×B row-major. */
  public double[] covariance() {
    double[] c = secondMoment();
    double[] m = mean();
    int b = channels;
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < b; j++) {
        c[i * b + j] -= m[i] * m[j];
      }
    }
    return c;
  }

  /** Mean power {@code Σ ‖y‖² / N} (VCA's {@code P_y}). */
  public double meanPower() {
    requireData();
    return sumSquares / count;
  }
}
