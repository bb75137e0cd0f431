package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The abundance step of uDAS's NMF refinement for fixed endmembers W (B × R): per pixel
 *
 * <pre>  minimise ½‖v − W h‖² + (δ²/2)(1 − Σ h)²   subject to h ≥ 0</pre>
 *
 * the non-negative least squares on the matrix augmented with a row δ·1ᵀ (Heinz &amp; Chang's sum-to-one row; the
 * uDAS code's {@code nmf.m} with δ = 20). Solved per pixel by cyclic coordinate descent on the R × R Gram
 * {@code WᵀW + δ²11ᵀ} from the pixel's previous abundances until no coordinate moves by more than 1e-12, at most
 * {@value #MAX_SWEEPS} sweeps: the same subproblem as the authors' projected gradient (Lin 2007) solved to
 * convergence pixel by pixel, which is what makes it independent of how the pixels are partitioned.
 *
 * <p>Immutable; {@link #solve} uses a caller's work buffer and allocates nothing.
 */
public final class SumToOneNnls implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_SWEEPS = 500;
  private final int components;
  private final int channels;
  private final double[] wt;
  private final double[] gram;
  private final double deltaSquared;

  /**
   * @param w endmembers, row-major B × R (copied)
   * @param delta δ &gt; 0
   */
  public SumToOneNnls(double[] w, int channels, int components, double delta) {
    this.components = components;
    this.channels = channels;
    this.deltaSquared = delta * delta;
    wt = new double[components * channels];
    for (int c = 0; c < channels; c++) {
      for (int r = 0; r < components; r++) {
        wt[r * channels + c] = w[c * components + r];
      }
    }
    gram = UdasFit.gram(wt, components, channels);
    for (int i = 0; i < gram.length; i++) {
      gram[i] += deltaSquared;
    }
  }

  /** R. */
  public int components() {
    return components;
  }

  /** Length of the work buffer {@link #solve} needs. */
  public int workLength() {
    return components;
  }

  /**
   * Replaces {@code h[hOffset .. + R)} (the start, any non-negative values) by the solution for the spectrum
   * {@code v[vOffset .. + B)}.
   */
  public void solve(float[] v, int vOffset, double[] h, int hOffset, double[] work) {
    int r = components;
    int b = channels;
    double[] lin = work;
    for (int s = 0; s < r; s++) {
      double d = deltaSquared;
      int base = s * b;
      for (int c = 0; c < b; c++) {
        d += wt[base + c] * v[vOffset + c];
      }
      lin[s] = d;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double moved = 0;
      double size = 0;
      for (int s = 0; s < r; s++) {
        double grad = -lin[s];
        for (int t = 0; t < r; t++) {
          grad += gram[s * r + t] * h[hOffset + t];
        }
        double old = h[hOffset + s];
        double next = gram[s * r + s] > 0 ? Math.max(0, old - grad / gram[s * r + s]) : old;
        h[hOffset + s] = next;
        moved = Math.max(moved, Math.abs(next - old));
        size = Math.max(size, Math.abs(next));
      }
      if (moved <= 1e-12 * Math.max(size, 1e-300)) {
        return;
      }
    }
  }
}
