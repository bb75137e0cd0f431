package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The sums over pixels a uDAS fit ({@link UdasFit}) needs after each pass, so that a distributed fit adds them up
 * per partition and {@link #merge}s them: with abundances h (R), the normalised input {@code x̄ = [x; 1]} (B + 1)
 * and, during the initialisation, the denoised spectrum v (B):
 *
 * <ul>
 *   <li>{@code Σ h hᵀ} (R × R), {@code Σ h x̄ᵀ} (R × (B + 1)), and {@code Σ h vᵀ} (R × B) when v is given;</li>
 *   <li>the summed per-pixel loss of the encoder step and its gradient with respect to the encoder (R × B).</li>
 * </ul>
 *
 * Mutable accumulator; not thread-safe; {@link #add} allocates nothing.
 */
public final class UdasStatistics implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int components;
  private final int channels;
  private long count;
  private double loss;
  final double[] hh;
  final double[] hx;
  final double[] hv;
  final double[] gradient;

  /**
   * @param withDenoised whether {@code Σ h vᵀ} is summed
   * @param withGradient whether the encoder gradient is summed
   */
  public UdasStatistics(int components, int channels, boolean withDenoised, boolean withGradient) {
    this.components = components;
    this.channels = channels;
    hh = new double[components * components];
    hx = new double[components * (channels + 1)];
    hv = withDenoised ? new double[components * channels] : null;
    gradient = withGradient ? new double[components * channels] : null;
  }

  /** Pixels added. */
  public long count() {
    return count;
  }

  /** The summed loss of the encoder pass (0 for the other passes). */
  public double loss() {
    return loss;
  }

  /** Adds one pixel's h (R values at {@code hOffset}), its normalised x (B values) and denoised v (or null). */
  void add(double[] h, int hOffset, double[] x, float[] v, int vOffset) {
    int r = components;
    int b = channels;
    int n = b + 1;
    for (int s = 0; s < r; s++) {
      double hs = h[hOffset + s];
      if (hs == 0) {
        continue; // relu and NNLS give exact zeros: those rows add nothing
      }
      for (int t = 0; t < r; t++) {
        hh[s * r + t] += hs * h[hOffset + t];
      }
      int base = s * n;
      for (int c = 0; c < b; c++) {
        hx[base + c] += hs * x[c];
      }
      hx[base + b] += hs;
      if (hv != null) {
        int vb = s * b;
        for (int c = 0; c < b; c++) {
          hv[vb + c] += hs * v[vOffset + c];
        }
      }
    }
    count++;
  }

  void addLoss(double l) {
    loss += l;
  }

  /** Adds {@code g_r x} to row r of the gradient for the R values g (already masked by relu). */
  void addGradient(double[] g, double[] x) {
    int b = channels;
    for (int s = 0; s < components; s++) {
      double gs = g[s];
      if (gs == 0) {
        continue;
      }
      int base = s * b;
      for (int c = 0; c < b; c++) {
        gradient[base + c] += gs * x[c];
      }
    }
  }

  /** Adds the other accumulator's sums into this one; returns this. */
  public UdasStatistics merge(UdasStatistics o) {
    count += o.count;
    loss += o.loss;
    addInto(hh, o.hh);
    addInto(hx, o.hx);
    if (hv != null) {
      addInto(hv, o.hv);
    }
    if (gradient != null) {
      addInto(gradient, o.gradient);
    }
    return this;
  }

  private static void addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
  }
}
