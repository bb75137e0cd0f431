package org.eelsunmix.unmix;

import java.io.Serializable;
import java.util.Objects;

/**
 * One NMF abundance step for one pixel, given the endmembers H (R × B): the row {@code w} of W is updated from the
 * pixel's spectrum y, H and {@code H Hᵀ} alone, so a distributed fit runs it inside the partitions with H
 * broadcast. For the Frobenius objective the rows of W are independent, so updating pixel by pixel gives exactly
 * the W of scikit-learn's whole-matrix update.
 *
 * <ul>
 *   <li>{@link NmfSolver#CD}: with {@code g = y Hᵀ} (R values), for t = 0 … R − 1 in turn:
 *       {@code grad = (w HHᵀ)_t − g_t}, {@code w_t ← max(0, w_t − grad / (HHᵀ)_tt)} (skipped when
 *       {@code (HHᵀ)_tt = 0}), the exact minimiser along coordinate t (Cichocki &amp; Phan 2009; scikit-learn's
 *       {@code _update_cdnmf_fast}). Returns {@code Σ_t |pg_t|}, the projected gradient
 *       {@code pg = min(0, grad)} where {@code w_t = 0} and {@code grad} elsewhere, taken before each step.</li>
 *   <li>{@link NmfSolver#MU}: {@code w ← w ∘ g / (w HHᵀ)} (Lee &amp; Seung 2001), a zero denominator replaced by
 *       the float32 machine epsilon as scikit-learn does.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; the caller owns the work buffer ({@link #workLength()} values), so a pixel
 * allocates nothing.
 */
public final class NmfAbundanceUpdate implements Serializable {
  private static final long serialVersionUID = 1L;
  /** scikit-learn's {@code EPSILON = np.finfo(np.float32).eps}, put in place of a zero MU denominator. */
  static final double MU_EPSILON = 0x1.0p-23;
  private final NmfSolver solver;
  private final int components;
  private final int channels;
  /** H, row-major R × B. */
  private final double[] endmembers;
  /** H Hᵀ, row-major R × R. */
  private final double[] endmemberGram;

  /**
   * @param solver the update rule
   * @param endmembers H, row-major R × B, non-negative (copied)
   * @param components R ≥ 1
   */
  public NmfAbundanceUpdate(NmfSolver solver, double[] endmembers, int components) {
    this.solver = Objects.requireNonNull(solver, "solver");
    if (components < 1 || endmembers.length == 0 || endmembers.length % components != 0) {
      throw new IllegalArgumentException(endmembers.length + " endmember values do not make " + components
          + " spectra");
    }
    this.components = components;
    this.channels = endmembers.length / components;
    this.endmembers = endmembers.clone();
    this.endmemberGram = new double[components * components];
    for (int s = 0; s < components; s++) {
      for (int t = 0; t <= s; t++) {
        double v = 0;
        for (int c = 0; c < channels; c++) {
          v += this.endmembers[s * channels + c] * this.endmembers[t * channels + c];
        }
        endmemberGram[s * components + t] = v;
        endmemberGram[t * components + s] = v;
      }
    }
  }

  /** The update rule. */
  public NmfSolver solver() {
    return solver;
  }

  /** Number of components R. */
  public int components() {
    return components;
  }

  /** Number of channels B. */
  public int channels() {
    return channels;
  }

  /** Length of the work buffer that {@link #update} needs: 2R. */
  public int workLength() {
    return 2 * components;
  }

  /**
   * Updates the abundances {@code w[wOffset .. wOffset + R)} of the pixel whose spectrum is
   * {@code y[yOffset .. yOffset + B)}.
   *
   * @param work at least {@link #workLength()} values, overwritten
   * @return the summed |projected gradient| (coordinate descent), 0 for the multiplicative update
   */
  public double update(float[] y, int yOffset, double[] w, int wOffset, double[] work) {
    project(y, yOffset, work);
    return updateProjected(w, wOffset, work);
  }

  /**
   * {@code g = y Hᵀ} (R dot products) into {@code work[0 .. R)}: all that the step needs of the spectrum. With H
   * fixed (a transform) it is computed once per pixel and {@link #updateProjected} iterated.
   */
  public void project(float[] y, int yOffset, double[] work) {
    project(y, yOffset, work, 0);
  }

  /** {@link #project(float[], int, double[])} into {@code work[workOffset .. workOffset + R)}. */
  public void project(float[] y, int yOffset, double[] work, int workOffset) {
    final int o = workOffset;
    final int r = components;
    final int b = channels;
    final double[] h = endmembers;
    // Up to four endmembers per sweep of y: each dot product still adds its terms in channel order (the same bits
    // as one endmember at a time), but the four dependent add chains overlap instead of waiting on each other; a
    // single chain is bound by the add latency (about 4 cycles a channel). Splitting one sum into partial sums
    // would change its rounding, so that is not done.
    int t = 0;
    for (; t + 3 < r; t += 4) {
      int b0 = t * b;
      int b1 = b0 + b;
      int b2 = b1 + b;
      int b3 = b2 + b;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int c = 0; c < b; c++) {
        double v = y[yOffset + c];
        s0 += h[b0 + c] * v;
        s1 += h[b1 + c] * v;
        s2 += h[b2 + c] * v;
        s3 += h[b3 + c] * v;
      }
      work[o + t] = s0;
      work[o + t + 1] = s1;
      work[o + t + 2] = s2;
      work[o + t + 3] = s3;
    }
    if (r - t == 3) {
      int b0 = t * b;
      int b1 = b0 + b;
      int b2 = b1 + b;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      for (int c = 0; c < b; c++) {
        double v = y[yOffset + c];
        s0 += h[b0 + c] * v;
        s1 += h[b1 + c] * v;
        s2 += h[b2 + c] * v;
      }
      work[o + t] = s0;
      work[o + t + 1] = s1;
      work[o + t + 2] = s2;
      return;
    }
    if (r - t == 2) {
      int b0 = t * b;
      int b1 = b0 + b;
      double s0 = 0;
      double s1 = 0;
      for (int c = 0; c < b; c++) {
        double v = y[yOffset + c];
        s0 += h[b0 + c] * v;
        s1 += h[b1 + c] * v;
      }
      work[o + t] = s0;
      work[o + t + 1] = s1;
      return;
    }
    for (; t < r; t++) {
      int base = t * b;
      double s = 0;
      for (int c = 0; c < b; c++) {
        s += h[base + c] * y[yOffset + c];
      }
      work[o + t] = s;
    }
  }

  /**
   * The step of {@link #update} given {@code g = y Hᵀ} in {@code work[0 .. R)} ({@link #project}), which it keeps;
   * {@code work[R .. 2R)} is overwritten.
   */
  public double updateProjected(double[] w, int wOffset, double[] work) {
    return updateProjected(w, wOffset, work, 0);
  }

  /** {@link #updateProjected(double[], int, double[])} with g in {@code work[workOffset ..]} (2R values used). */
  public double updateProjected(double[] w, int wOffset, double[] work, int workOffset) {
    final int o = workOffset;
    final int r = components;
    final double[] hh = endmemberGram;
    if (solver == NmfSolver.CD) {
      double violation = 0;
      for (int t = 0; t < r; t++) {
        int row = t * r;
        double grad = -work[o + t];
        for (int s = 0; s < r; s++) {
          grad += hh[row + s] * w[wOffset + s];
        }
        double wt = w[wOffset + t];
        violation += Math.abs(wt == 0 ? Math.min(0.0, grad) : grad);
        double hess = hh[row + t];
        if (hess != 0) {
          w[wOffset + t] = Math.max(wt - grad / hess, 0.0);
        }
      }
      return violation;
    }
    // MU: every coordinate from the old row, so the denominators come first.
    for (int t = 0; t < r; t++) {
      double d = 0;
      for (int s = 0; s < r; s++) {
        d += w[wOffset + s] * hh[s * r + t];
      }
      work[o + r + t] = d == 0 ? MU_EPSILON : d;
    }
    for (int t = 0; t < r; t++) {
      w[wOffset + t] *= work[o + t] / work[o + r + t];
    }
    return 0.0;
  }

  /**
   * {@code ‖y − w H‖²} from {@code ‖y‖²}, {@code g = y Hᵀ} ({@code work[0 .. R)}) and {@code H Hᵀ}: R² operations
   * instead of R·B, for a per-pixel stopping rule. It subtracts nearly equal terms (absolute error about
   * {@code 1e-16 ‖y‖²}); clipped at 0.
   */
  public double residualSquared(double yNormSquared, double[] w, int wOffset, double[] work) {
    final int r = components;
    double fit = 0;
    for (int s = 0; s < r; s++) {
      double ws = w[wOffset + s];
      double row = 0;
      for (int t = 0; t < r; t++) {
        row += endmemberGram[s * r + t] * w[wOffset + t];
      }
      fit += ws * (row - 2 * work[s]);
    }
    return Math.max(0.0, yNormSquared + fit);
  }
}
