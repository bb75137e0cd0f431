package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The abundance step of uDAS's decoder rounds for fixed endmembers W (B × R): per pixel, with the normalised
 * spectrum x (B), {@code x̄ = [x; 1]}, the denoising target {@code t = W_n x̄} and per-channel weights ω,
 *
 * <pre>  minimise ½ Σ_c ω_c [(x_c − w_c h)² + γ (w_c h − t_c)²] + (δ²/2)(1 − Σ h)²   subject to h ≥ l</pre>
 *
 * the sum-to-one row of weight δ (Heinz &amp; Chang; the uDAS code's {@code nmf.m}, δ = 20) on the weighted
 * least squares. Expanded, it is {@code ½ hᵀ K h − hᵀ (A x̄ + δ²1)} with {@code K = (1 + γ) WᵀΩW + δ²11ᵀ} and
 * {@code A = WᵀΩ(G + γ W_n)} (R × (B + 1), G = [I | 0]): the pixel costs one R × (B + 1) product and W_n never
 * travels to the pixels. With ω = 1, γ = 0 and l = 0 it is the plain sum-to-one NNLS of the authors' code.
 *
 * <p>Solved exactly per pixel: the unconstrained minimiser {@code K⁻¹(A x̄ + δ²1)} (K⁻¹ once per step, R × R) when
 * it respects the bounds, which is most pixels since the floors lie below the noise; otherwise cyclic coordinate
 * descent (each coordinate minimised exactly) from the cheaper of the pixel's previous abundances and the clamped
 * minimiser, until no coordinate moves by more than 1e-12 of the largest, at most {@value #MAX_SWEEPS} sweeps
 * (coordinate descent alone, the earlier solver, is far from converged after 500 sweeps when δ² = 400 dominates K).
 * The pixel's cost never rises, and the step is the same however the pixels are partitioned. The lower bounds
 * l ≤ 0 are {@link UdasNoise}'s noise floors (why: see there). A component the rounds dropped as superfluous
 * ({@link UdasFit}) is inactive: held at h = 0, the others solving the problem of the decoder without its column.
 *
 * <p>Immutable; {@link #solve} uses a caller's work buffer and allocates nothing.
 */
public final class SumToOneNnls implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int MAX_SWEEPS = 500;
  private final int components;
  private final int channels;
  private final double scale;
  private final double[] linear;
  private final double[] gram;
  private final double[] inverse;
  private final double[] floors;
  private final double deltaSquared;
  /** The active components, in order; the solve works on these (r of the R) and holds the others at 0. */
  private final int[] index;

  /**
   * The plain step: ω = 1, γ = 0, h ≥ 0.
   *
   * @param w endmembers, row-major B × R
   * @param scale the normalisation of the counts the step reads ({@code x = y · scale})
   */
  public SumToOneNnls(double[] w, int channels, int components, double delta, double scale) {
    this(w, null, 0, null, delta, new double[components], channels, components, scale);
  }

  /**
   * Every component active.
   *
   * @param w endmembers, row-major B × R
   * @param weights ω (B values &gt; 0), or null for 1
   * @param gamma γ ≥ 0 of the denoising term
   * @param wn W_n, row-major B × (B + 1) (ignored when γ = 0)
   * @param delta δ &gt; 0
   * @param floors l (R values ≤ 0; copied)
   * @param scale the normalisation of the counts the step reads ({@code x = y · scale})
   */
  public SumToOneNnls(double[] w, double[] weights, double gamma, double[] wn, double delta, double[] floors,
      int channels, int components, double scale) {
    this(w, weights, gamma, wn, delta, floors, null, channels, components, scale);
  }

  /**
   * @param w endmembers, row-major B × R
   * @param weights ω (B values &gt; 0), or null for 1
   * @param gamma γ ≥ 0 of the denoising term
   * @param wn W_n, row-major B × (B + 1) (ignored when γ = 0)
   * @param delta δ &gt; 0
   * @param floors l (R values ≤ 0; copied)
   * @param active which components take part (null: all); an inactive one is held at h = 0
   * @param scale the normalisation of the counts the step reads ({@code x = y · scale})
   */
  public SumToOneNnls(double[] w, double[] weights, double gamma, double[] wn, double delta, double[] floors,
      boolean[] active, int channels, int components, double scale) {
    this.components = components;
    this.channels = channels;
    this.scale = scale;
    this.deltaSquared = delta * delta;
    this.floors = floors.clone();
    int count = 0;
    int[] map = new int[components];
    for (int s = 0; s < components; s++) {
      if (active == null || active[s]) {
        map[count++] = s;
      }
    }
    this.index = java.util.Arrays.copyOf(map, count);
    int r = count;
    int b = channels;
    int n1 = b + 1;
    double[] wt = new double[r * b]; // Wᵀ Ω, active columns
    double[] root = new double[r * b]; // Wᵀ Ω^½
    for (int c = 0; c < b; c++) {
      double omega = weights == null ? 1 : weights[c];
      for (int s = 0; s < r; s++) {
        wt[s * b + c] = w[c * components + index[s]] * omega;
        root[s * b + c] = w[c * components + index[s]] * Math.sqrt(omega);
      }
    }
    gram = UdasFit.gram(root, r, b);
    for (int i = 0; i < gram.length; i++) {
      gram[i] = (1 + gamma) * gram[i] + deltaSquared;
    }
    inverse = r == 0 ? null : inverse(gram, r);
    linear = new double[r * n1];
    for (int s = 0; s < r; s++) {
      for (int c = 0; c < b; c++) {
        double v = wt[s * b + c];
        linear[s * n1 + c] += v;
        if (gamma != 0 && v != 0) {
          for (int j = 0; j < n1; j++) {
            linear[s * n1 + j] += gamma * v * wn[c * n1 + j];
          }
        }
      }
    }
  }

  /** K⁻¹ (R × R), or null when K is singular (then coordinate descent alone). */
  private static double[] inverse(double[] k, int r) {
    org.ejml.data.DMatrixRMaj m = new org.ejml.data.DMatrixRMaj(r, r, true, k);
    return org.ejml.dense.row.CommonOps_DDRM.invert(m) ? m.data : null;
  }

  /** R. */
  public int components() {
    return components;
  }

  /** Length of the work buffer {@link #solve} needs. */
  public int workLength() {
    return 3 * components;
  }

  /**
   * Replaces {@code h[hOffset .. + R)} (the start: any values) by the solution for the counts
   * {@code y[yOffset .. + B)}.
   */
  public void solve(float[] y, int yOffset, double[] h, int hOffset, double[] work) {
    int big = components;
    int r = index.length;
    int b = channels;
    int n1 = b + 1;
    // work: [0, r) the active components' h, [R, R + r) their linear term, [2R, 2R + r) the clamped minimiser.
    for (int s = 0; s < r; s++) {
      int base = s * n1;
      double d = 0;
      for (int c = 0; c < b; c++) {
        d += linear[base + c] * y[yOffset + c];
      }
      work[big + s] = d * scale + linear[base + b] + deltaSquared;
      work[s] = Math.max(floors[index[s]], h[hOffset + index[s]]);
    }
    solveActive(work, big, r);
    for (int s = 0; s < big; s++) {
      h[hOffset + s] = 0; // an inactive component is held at 0
    }
    for (int s = 0; s < r; s++) {
      h[hOffset + index[s]] = work[s];
    }
  }

  /** Minimises over the active components: h at {@code work[0, r)}, the linear term at {@code work[R, R + r)}. */
  private void solveActive(double[] work, int big, int r) {
    // The unconstrained minimiser K⁻¹ lin: the solution itself when it respects the bounds (most pixels: the
    // floors lie below the noise), else, clamped, a start for coordinate descent when it costs less than h.
    if (inverse != null) {
      boolean inside = true;
      for (int s = 0; s < r; s++) {
        double v = 0;
        for (int t = 0; t < r; t++) {
          v += inverse[s * r + t] * work[big + t];
        }
        double floor = floors[index[s]];
        work[2 * big + s] = Math.max(floor, v);
        inside &= v >= floor;
      }
      if (inside || cost(work, 2 * big, work, big, r) < cost(work, 0, work, big, r)) {
        System.arraycopy(work, 2 * big, work, 0, r);
        if (inside) {
          return;
        }
      }
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double moved = 0;
      double size = 0;
      for (int s = 0; s < r; s++) {
        double grad = -work[big + s];
        for (int t = 0; t < r; t++) {
          grad += gram[s * r + t] * work[t];
        }
        double old = work[s];
        double next = gram[s * r + s] > 0 ? Math.max(floors[index[s]], old - grad / gram[s * r + s]) : old;
        work[s] = next;
        moved = Math.max(moved, Math.abs(next - old));
        size = Math.max(size, Math.abs(next));
      }
      if (moved <= 1e-12 * Math.max(size, 1e-300)) {
        return;
      }
    }
  }

  /** The cost {@code ½ hᵀKh − hᵀ lin} over the active components, h at {@code h[offset ..]}, lin at {@code l[lo ..]}. */
  private double cost(double[] h, int offset, double[] l, int lo, int r) {
    double f = 0;
    for (int s = 0; s < r; s++) {
      double kh = 0;
      for (int t = 0; t < r; t++) {
        kh += gram[s * r + t] * h[offset + t];
      }
      f += h[offset + s] * (0.5 * kh - l[lo + s]);
    }
    return f;
  }
}
