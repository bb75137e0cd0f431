package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The pixel sums one FastICA fixed-point step needs for the current unmixing matrix W (n × n) with the logcosh
 * contrast (α = 1, {@code g(u) = tanh u}, {@code g'(u) = 1 − tanh² u}; Hyvärinen, IEEE TNN 10(3):626–634, 1999):
 * {@code Σ_p g(W z_p) z_pᵀ} (n × n), {@code Σ_p g'(W z_p)} (n) and the pixel count, over whitened pixels z. Sums
 * merge exactly, so partitions accumulate their own and the driver adds them ({@link FastIca#step} divides by the
 * count). Mutable accumulator; not thread-safe.
 */
public final class IcaStatistics implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int n;
  private final double[] w; // n × n row-major, the W the sums are taken for
  private final double[] gz; // n × n row-major: Σ g(w_i·z) z_j
  private final double[] dg; // n: Σ g'(w_i·z)
  private long count;
  private transient double[] g; // per-pixel buffer

  /** An empty accumulator for the unmixing matrix {@code w} (n × n, row-major; not copied, not modified). */
  public IcaStatistics(double[] w, int n) {
    if (w.length != n * n) {
      throw new IllegalArgumentException("W has " + w.length + " entries, expected " + n * n);
    }
    this.n = n;
    this.w = w;
    this.gz = new double[n * n];
    this.dg = new double[n];
  }

  /** Adds the whitened pixel {@code z[offset .. offset + n)}; returns this. */
  public IcaStatistics add(double[] z, int offset) {
    if (g == null) {
      g = new double[n];
    }
    for (int i = 0; i < n; i++) {
      double u = 0;
      int row = i * n;
      for (int j = 0; j < n; j++) {
        u += w[row + j] * z[offset + j];
      }
      double t = Math.tanh(u);
      g[i] = t;
      dg[i] += 1 - t * t;
    }
    for (int i = 0; i < n; i++) {
      double gi = g[i];
      int row = i * n;
      for (int j = 0; j < n; j++) {
        gz[row + j] += gi * z[offset + j];
      }
    }
    count++;
    return this;
  }

  /** Adds the other accumulator's sums (taken for the same W) into this one; returns this. */
  public IcaStatistics merge(IcaStatistics other) {
    if (other.n != n) {
      throw new IllegalArgumentException("cannot merge ICA statistics of " + other.n + " and " + n + " components");
    }
    for (int i = 0; i < gz.length; i++) {
      gz[i] += other.gz[i];
    }
    for (int i = 0; i < n; i++) {
      dg[i] += other.dg[i];
    }
    count += other.count;
    return this;
  }

  public long count() {
    return count;
  }

  /** {@code Σ g(W z) zᵀ}, n × n row-major (a copy). */
  public double[] sumGz() {
    return gz.clone();
  }

  /** {@code Σ g'(W z)}, n (a copy). */
  public double[] sumDerivative() {
    return dg.clone();
  }
}
