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

  /** Pixels whose coordinate-descent steps {@link #solveBlock} runs side by side. */
  static final int LANES = NmfAbundanceUpdate.LANES;

  /**
   * Length of the work buffer of {@link #solveBlock} (that of {@link #solve}, for the multiplicative update; the
   * coordinate-descent lanes take a few hundred bytes of their own per call).
   */
  public int blockWorkLength() {
    return workLength();
  }

  /**
   * {@link #solve} of {@code count} pixels ({@code y}, row-major count × B, from offset 0) into {@code w} (count × R)
   * and {@code residuals} (count), each pixel with exactly the operations of {@link #solve}, so the same bits.
   *
   * <p>Why: with H fixed a pixel's coordinate-descent steps form one dependent chain (R² multiply-adds and R
   * divisions a step; about 140 steps a pixel on the 640×640 and 2048×2048 benchmark cubes), bound by the latency
   * of each operation, not by the arithmetic. Here {@value #LANES} pixels step side by side
   * ({@link NmfAbundanceUpdate#updateLanes}); a pixel that has converged hands its lane to the next pixel, so no
   * lane waits for the slowest. The residuals are then summed several pixels side by side
   * ({@link Nmf#pixelResidualsSquared}). The multiplicative update (whose stopping rule looks at the residual every
   * 10 steps) runs pixel by pixel.
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
    // Lane by lane (NmfAbundanceUpdate#updateLanes): w and g (R × LANES each), the last and the first violation.
    final double[] laneW = new double[r * LANES];
    final double[] laneG = new double[r * LANES];
    final double[] violation = new double[LANES];
    final double[] first = new double[LANES];
    final double[] grad = new double[LANES];
    final double[] g = new double[count * r];
    step.projectBlock(y, 0, count, g); // every g = y Hᵀ up front, a vector of pixels (or two) per sweep
    int[] pixel = new int[LANES];
    int[] iteration = new int[LANES];
    int next = 0;
    int active = 0;
    for (int l = 0; l < LANES; l++) {
      if (next < count) {
        startLane(next++, laneW, laneG, g, l);
        pixel[l] = next - 1;
        active++;
      } else {
        clearLane(laneW, laneG, l);
        pixel[l] = -1;
      }
    }
    while (active > 0) {
      step.updateLanes(laneW, laneG, violation, grad);
      for (int l = 0; l < LANES; l++) {
        int p = pixel[l];
        if (p < 0) {
          continue;
        }
        double v = violation[l];
        int k = ++iteration[l];
        if (k == 1) {
          first[l] = v;
        }
        if (first[l] == 0 || v / first[l] <= tol || k == maxIterations) {
          for (int t = 0; t < r; t++) {
            w[p * r + t] = laneW[t * LANES + l];
          }
          iteration[l] = 0;
          if (next < count) {
            startLane(next++, laneW, laneG, g, l);
            pixel[l] = next - 1;
          } else {
            clearLane(laneW, laneG, l);
            pixel[l] = -1;
            active--;
          }
        }
      }
    }
    Nmf.pixelResidualsSquared(y, count, b, w, endmembers, r, residuals);
    if (sumToOne) {
      for (int p = 0; p < count; p++) {
        toFractions(w, p * r, endmemberSums);
      }
    }
  }

  /** Coordinate descent's start for pixel p in lane l: w = 0 and its g = y Hᵀ ({@code g}, count × R). */
  private void startLane(int p, double[] laneW, double[] laneG, double[] g, int l) {
    final int r = step.components();
    for (int t = 0; t < r; t++) {
      laneW[t * LANES + l] = 0.0;
      laneG[t * LANES + l] = g[p * r + t];
    }
  }

  /** An idle lane: w = 0 and g = 0 step to w = 0 again, with no division by zero or NaN. */
  private void clearLane(double[] laneW, double[] laneG, int l) {
    for (int t = 0; t < step.components(); t++) {
      laneW[t * LANES + l] = 0.0;
      laneG[t * LANES + l] = 0.0;
    }
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
