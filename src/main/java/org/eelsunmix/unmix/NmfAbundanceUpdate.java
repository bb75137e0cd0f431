package org.eelsunmix.unmix;

import java.io.Serializable;
import java.util.Objects;
import org.eelsunmix.linalg.VectorApi;

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
    NmfProjections.project(endmembers, components, channels, y, yOffset, work, workOffset);
  }

  /**
   * {@link #project} of the {@code count} spectra from pixel {@code first} of {@code y} (row-major, B values each)
   * into {@code g[0 .. count · R)}, row-major count × R: the same bits, two spectra per sweep.
   */
  public void projectBlock(float[] y, int first, int count, double[] g) {
    NmfProjections.projectBlock(endmembers, components, channels, y, first, count, g);
  }

  /** {@link #projectBlock(float[], int, int, double[])} with the caller's scratch ({@link NmfProjections#scratch}). */
  void projectBlock(float[] y, int first, int count, double[] g, double[][] scratch) {
    NmfProjections.projectBlock(endmembers, components, channels, y, first, count, g, scratch);
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

  /** Pixels that {@link #updateLanes} steps side by side. */
  static final int LANES = 8;
  /** {@link #updateLanes} on the Vector API ({@link NmfLanesVector}, same bits) where this JVM has it. */
  private static final boolean VECTOR = VectorApi.ENABLED && NmfLanesVector.usable();

  /**
   * The coordinate-descent step of {@link #updateProjected} for {@value #LANES} pixels at once, held lane by lane:
   * pixel l's abundances in {@code w[s·LANES + l]} and its {@code g = y Hᵀ} in {@code g[t·LANES + l]} (s, t &lt; R);
   * its summed |projected gradient| goes to {@code violation[l]}. Each lane sees exactly the operations of
   * {@link #updateProjected}, in the same order, so the same bits.
   *
   * <p>Why: one pixel's step is a single dependent chain (each coordinate waits for the previous one's division),
   * so one pixel at a time leaves the processor idle. With the lane loop innermost the {@value #LANES} chains are
   * independent instructions side by side, and the compiler may put them into vector registers.
   *
   * @param grad scratch of {@value #LANES} values
   */
  void updateLanes(double[] w, double[] g, double[] violation, double[] grad) {
    if (VECTOR) {
      NmfLanesVector.update(w, g, violation, components, endmemberGram);
      return;
    }
    updateLanesScalar(w, g, violation, grad);
  }

  /** {@link #updateLanes} without the Vector API (the reference {@link NmfLanesVector} is tested against). */
  void updateLanesScalar(double[] w, double[] g, double[] violation, double[] grad) {
    final int r = components;
    final double[] hh = endmemberGram;
    for (int l = 0; l < LANES; l++) {
      violation[l] = 0;
    }
    for (int t = 0; t < r; t++) {
      final int row = t * r;
      final int lt = t * LANES;
      for (int l = 0; l < LANES; l++) {
        grad[l] = -g[lt + l];
      }
      for (int s = 0; s < r; s++) {
        final double v = hh[row + s];
        final int ls = s * LANES;
        for (int l = 0; l < LANES; l++) {
          grad[l] += v * w[ls + l];
        }
      }
      final double hess = hh[row + t];
      for (int l = 0; l < LANES; l++) {
        double wt = w[lt + l];
        double gr = grad[l];
        // |min(0, grad)| where w_t = 0, |grad| elsewhere, with a select the compiler makes branch-free (which lanes
        // sit at 0 changes from step to step, so a branch would be mispredicted).
        violation[l] += Math.abs(Math.min(gr, wt == 0 ? 0.0 : Double.POSITIVE_INFINITY));
        if (hess != 0) {
          w[lt + l] = Math.max(wt - gr / hess, 0.0);
        }
      }
    }
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
