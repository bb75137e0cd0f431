package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The sums over pixels a uDAS fit ({@link UdasFit}) needs after each pass, so that a distributed fit adds them up
 * per partition and {@link #merge}s them: with abundances h (R) and the normalised input {@code x̄ = [x; 1]}
 * (B + 1):
 *
 * <ul>
 *   <li>{@code Σ h hᵀ} (R × R) and {@code Σ h x̄ᵀ} (R × (B + 1));</li>
 *   <li>the summed per-pixel loss of the encoder step and its gradient with respect to the encoder (R × B).</li>
 * </ul>
 *
 * Every sum is a {@link FixedPointSum}: each term is rounded once to a fixed quantum and added as an integer, so
 * the totals do not depend on how the pixels are split into blocks or in which order the blocks are merged, and
 * the driver's decisions (the decoder's tolerance stop, the encoder's accept/reject) are the same for the
 * in-memory fit and for any partitioning. The quanta come from {@link Bounds} on the magnitude of the terms,
 * which the driver derives from exact maxima before the pass ({@code 0 ≤ x ≤ 1} after the normalisation).
 *
 * <p>Mutable accumulator; not thread-safe; {@link #add} allocates nothing.
 */
public final class UdasStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Bounds on the magnitude of a pixel's terms.
   *
   * @param h bound on every |h_r|
   * @param gradient bound on every |g_r| of the encoder's gradient (ignored without it)
   * @param loss bound on one pixel's |ℓ| (ignored without the gradient pass)
   */
  public record Bounds(double h, double gradient, double loss) implements Serializable {}

  private final int components;
  private final int channels;
  private long count;
  private final FixedPointSum loss;
  private final FixedPointSum hhSum;
  private final FixedPointSum hxSum;
  private final FixedPointSum gradientSum;
  private transient double[] hh;
  private transient double[] hx;
  private transient double[] gradient;

  /**
   * @param withGradient whether the encoder's loss and gradient are summed
   * @param pixels N, the number of terms of every sum (over all blocks)
   */
  public UdasStatistics(int components, int channels, boolean withGradient, Bounds bounds,
      long pixels) {
    this.components = components;
    this.channels = channels;
    hhSum = new FixedPointSum(components * components, bounds.h() * bounds.h(), pixels);
    hxSum = new FixedPointSum(components * (channels + 1), bounds.h(), pixels);
    gradientSum = withGradient ? new FixedPointSum(components * channels, bounds.gradient(), pixels) : null;
    loss = new FixedPointSum(1, withGradient ? bounds.loss() : 0, pixels);
  }

  /** Pixels added. */
  public long count() {
    return count;
  }

  /** The summed loss of the encoder pass (0 for the other passes). */
  public double loss() {
    return loss.get(0);
  }

  /** {@code Σ h hᵀ}, R × R. */
  double[] hh() {
    if (hh == null) {
      hh = values(hhSum);
    }
    return hh;
  }

  /** {@code Σ h x̄ᵀ}, R × (B + 1). */
  double[] hx() {
    if (hx == null) {
      hx = values(hxSum);
    }
    return hx;
  }

  /** The encoder's gradient, R × B (null without it). */
  double[] gradient() {
    if (gradient == null && gradientSum != null) {
      gradient = values(gradientSum);
    }
    return gradient;
  }

  private static double[] values(FixedPointSum s) {
    double[] v = new double[s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.get(i);
    }
    return v;
  }

  /** Adds one pixel's h (R values at {@code hOffset}) and its normalised x (B values). */
  void add(double[] h, int hOffset, double[] x) {
    int r = components;
    int b = channels;
    int n = b + 1;
    double hhScale = hhSum.scale();
    double hxScale = hxSum.scale();
    for (int s = 0; s < r; s++) {
      double hs = h[hOffset + s];
      if (hs == 0) {
        continue; // relu and NNLS give exact zeros: those rows add nothing
      }
      double hsq = hs * hhScale;
      for (int t = 0; t < r; t++) {
        hhSum.addScaled(s * r + t, hsq * h[hOffset + t]);
      }
      int base = s * n;
      double hsx = hs * hxScale;
      for (int c = 0; c < b; c++) {
        hxSum.addScaled(base + c, hsx * x[c]);
      }
      hxSum.add(base + b, hs);
    }
    count++;
  }

  void addLoss(double l) {
    loss.add(0, l);
  }

  /** Adds {@code g_r x} to row r of the gradient for the R values g (already masked by relu). */
  void addGradient(double[] g, double[] x) {
    int b = channels;
    double scale = gradientSum.scale();
    for (int s = 0; s < components; s++) {
      double gs = g[s];
      if (gs == 0) {
        continue;
      }
      double gss = gs * scale;
      int base = s * b;
      for (int c = 0; c < b; c++) {
        gradientSum.addScaled(base + c, gss * x[c]);
      }
    }
  }

  /** Adds the other accumulator's sums into this one; returns this. */
  public UdasStatistics merge(UdasStatistics o) {
    count += o.count;
    loss.merge(o.loss);
    hhSum.merge(o.hhSum);
    hxSum.merge(o.hxSum);
    if (gradientSum != null) {
      gradientSum.merge(o.gradientSum);
    }
    hh = null;
    hx = null;
    gradient = null;
    return this;
  }
}
