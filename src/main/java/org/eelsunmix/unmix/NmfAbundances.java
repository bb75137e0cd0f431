package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * NMF abundances of one pixel for fixed endmembers H, as scikit-learn's {@code NMF.transform} computes them: the
 * abundance step of the fit ({@link NmfAbundanceUpdate}) iterated with H held, which converges to the
 * non-negative least-squares coefficients {@code argmin_{w ≥ 0} ‖y − w H‖²}. Coordinate descent starts from
 * {@code w = 0} (as scikit-learn does for {@code cd}); the multiplicative update needs a positive start and gets
 * {@code √(mean(y)/R)} — scikit-learn uses the mean over the whole table there; here it is the pixel's own, so
 * that every pixel is unmixed on its own.
 *
 * <p>Rows of W are independent once H is fixed, so the stopping rule is applied pixel by pixel (scikit-learn
 * sums it over the table): {@code cd} stops when the pixel's |projected gradient| is at most {@code tol} times
 * that of its first step, {@code mu} every 10 steps when {@code ‖y − wH‖} fell by less than {@code tol} times its
 * starting value; at most {@code maxIterations} steps. {@code g = y Hᵀ} is computed once per pixel, so a step
 * costs R² operations, not R·B.
 *
 * <h2>Sum to one</h2>
 * With {@code sumToOne}, each pixel's abundances become the fractions of its fitted counts that each endmember
 * gives: {@code a_t = w_t s_t / Σ_u w_u s_u}, {@code s_t} the sum of endmember t over the channels — exactly the
 * abundances of {@link Nmf.Options#sumToOne()} for unit-sum endmembers. A pixel whose w is all 0 gets {@code 1/R}
 * each.
 *
 * <p>Immutable and thread-safe; the caller owns the work buffer ({@link #workLength()} values), so a pixel
 * allocates nothing.
 */
public final class NmfAbundances implements Serializable {
  private static final long serialVersionUID = 1L;
  private final NmfAbundanceUpdate step;
  private final double[] endmembers;
  private final double[] endmemberSums;
  private final double tol;
  private final int maxIterations;
  private final boolean sumToOne;

  /**
   * @param solver the update rule
   * @param endmembers H, row-major R × B, non-negative (copied)
   * @param components R
   * @param tol stopping tolerance, ≥ 0 (0: always {@code maxIterations} steps)
   * @param maxIterations step cap, ≥ 1
   * @param sumToOne return fractions of the fitted counts (see the class comment)
   */
  public NmfAbundances(NmfSolver solver, double[] endmembers, int components, double tol, int maxIterations,
      boolean sumToOne) {
    if (!(tol >= 0) || maxIterations < 1) {
      throw new IllegalArgumentException("need tol >= 0 and maxIterations >= 1, got " + tol + ", " + maxIterations);
    }
    this.step = new NmfAbundanceUpdate(solver, endmembers, components);
    this.endmembers = endmembers.clone();
    this.endmemberSums = endmemberSums(endmembers, components);
    this.tol = tol;
    this.maxIterations = maxIterations;
    this.sumToOne = sumToOne;
  }

  /** Number of components R. */
  public int components() {
    return step.components();
  }

  /** Number of channels B. */
  public int channels() {
    return step.channels();
  }

  /** Length of the work buffer of {@link #solve}. */
  public int workLength() {
    return step.workLength();
  }

  /**
   * The abundances of the pixel {@code y[yOffset .. yOffset + B)} into {@code w[wOffset .. wOffset + R)}.
   *
   * @param work at least {@link #workLength()} values, overwritten
   * @return {@code ‖y − w H‖²} of NMF's own fit (w before any sum-to-one rescaling), summed channel by channel
   */
  public double solve(float[] y, int yOffset, double[] w, int wOffset, double[] work) {
    final int r = step.components();
    final int b = step.channels();
    double sum = 0;
    double yy = 0;
    for (int c = 0; c < b; c++) {
      double v = y[yOffset + c];
      sum += v;
      yy += v * v;
    }
    boolean cd = step.solver() == NmfSolver.CD;
    double start = cd ? 0.0 : Math.sqrt(Math.max(0.0, sum / b) / r);
    for (int t = 0; t < r; t++) {
      w[wOffset + t] = start;
    }
    step.project(y, yOffset, work);
    double errorAtStart = cd ? 0 : Math.sqrt(step.residualSquared(yy, w, wOffset, work));
    double previousError = errorAtStart;
    double firstViolation = 0;
    for (int iteration = 1; iteration <= maxIterations; iteration++) {
      double violation = step.updateProjected(w, wOffset, work);
      if (cd) {
        if (iteration == 1) {
          firstViolation = violation;
        }
        if (firstViolation == 0 || violation / firstViolation <= tol) {
          break;
        }
      } else if (tol > 0 && iteration % Nmf.MU_CHECK_EVERY == 0) {
        double error = Math.sqrt(step.residualSquared(yy, w, wOffset, work));
        if (errorAtStart == 0 || (previousError - error) / errorAtStart < tol) {
          break;
        }
        previousError = error;
      }
    }
    double residual = Nmf.pixelResidualSquared(y, yOffset, w, wOffset, endmembers, r, b);
    if (sumToOne) {
      toFractions(w, wOffset, endmemberSums);
    }
    return residual;
  }

  /** Pixels whose coordinate-descent steps {@link #solveBlock} interleaves. */
  static final int LANES = 4;

  /** Length of the work buffer of {@link #solveBlock}. */
  public int blockWorkLength() {
    return LANES * workLength();
  }

  /**
   * {@link #solve} of {@code count} pixels ({@code y}, row-major count × B, from offset 0) into {@code w} (count × R)
   * and {@code residuals} (count), each pixel with exactly the operations of {@link #solve}, so the same bits.
   *
   * <p>Why: with H fixed a pixel's coordinate-descent steps form one dependent chain (R² multiply-adds and R
   * divisions a step, up to {@code maxIterations} steps), bound by the latency of each operation, not by the
   * arithmetic. Here {@value #LANES} pixels step in turn, so their independent chains overlap in the processor;
   * a pixel that has converged hands its lane to the next pixel, so no lane waits for the slowest. The
   * multiplicative update (whose stopping rule looks at the residual every 10 steps) runs pixel by pixel.
   *
   * @param work at least {@link #blockWorkLength()} values, overwritten
   */
  public void solveBlock(float[] y, int count, double[] w, double[] residuals, double[] work) {
    final int r = step.components();
    final int b = step.channels();
    if (step.solver() != NmfSolver.CD) {
      for (int p = 0; p < count; p++) {
        residuals[p] = solve(y, p * b, w, p * r, work);
      }
      return;
    }
    final int lanes = Math.min(LANES, count);
    final int stride = workLength();
    int[] pixel = new int[lanes];
    int[] iteration = new int[lanes];
    double[] first = new double[lanes];
    int next = 0;
    int active = 0;
    for (int l = 0; l < lanes; l++) {
      pixel[l] = next;
      startCd(y, next++, w, work, l * stride);
      active++;
    }
    while (active > 0) {
      for (int l = 0; l < lanes; l++) {
        int p = pixel[l];
        if (p < 0) {
          continue;
        }
        double violation = step.updateProjected(w, p * r, work, l * stride);
        int k = ++iteration[l];
        if (k == 1) {
          first[l] = violation;
        }
        if (first[l] == 0 || violation / first[l] <= tol || k == maxIterations) {
          residuals[p] = finish(y, p, w);
          if (next < count) {
            pixel[l] = next;
            iteration[l] = 0;
            startCd(y, next++, w, work, l * stride);
          } else {
            pixel[l] = -1;
            active--;
          }
        }
      }
    }
  }

  /** Coordinate descent's start for pixel p: w = 0, g = y Hᵀ into {@code work[offset ..]}. */
  private void startCd(float[] y, int p, double[] w, double[] work, int offset) {
    final int r = step.components();
    for (int t = 0; t < r; t++) {
      w[p * r + t] = 0.0;
    }
    step.project(y, p * step.channels(), work, offset);
  }

  /** NMF's own residual of pixel p, then its sum-to-one fractions when asked for (as {@link #solve} ends). */
  private double finish(float[] y, int p, double[] w) {
    final int r = step.components();
    final int b = step.channels();
    double residual = Nmf.pixelResidualSquared(y, p * b, w, p * r, endmembers, r, b);
    if (sumToOne) {
      toFractions(w, p * r, endmemberSums);
    }
    return residual;
  }

  /** The sum over the channels of each endmember of H (row-major R × B). */
  static double[] endmemberSums(double[] h, int r) {
    int b = h.length / r;
    double[] sums = new double[r];
    for (int t = 0; t < r; t++) {
      for (int c = 0; c < b; c++) {
        sums[t] += h[t * b + c];
      }
    }
    return sums;
  }

  /** {@code w_t ← w_t s_t / Σ_u w_u s_u} (0 where {@code s_t = 0}; {@code 1/R} each when all are 0). */
  static void toFractions(double[] w, int offset, double[] sums) {
    int r = sums.length;
    double total = 0;
    for (int t = 0; t < r; t++) {
      double v = sums[t] > 0 ? w[offset + t] * sums[t] : 0.0;
      w[offset + t] = v;
      total += v;
    }
    for (int t = 0; t < r; t++) {
      w[offset + t] = total > 0 ? w[offset + t] / total : 1.0 / r;
    }
  }
}
