package org.eelsunmix.unmix;

/**
 * Projected gradient with Lin's Armijo search (Lin, "Projected gradient methods for nonnegative matrix
 * factorization", Neural Computation 19(10), 2007, the sub-problem solver {@code nlssubprob}) for the box-constrained
 * quadratic in the endmember matrix W (B × R, row-major)
 *
 * <pre>  minimise ½ tr(W Q Wᵀ) − tr(Wᵀ P)   subject to 0 ≤ W ≤ u,   gradient W Q − P</pre>
 *
 * with Q (R × R, symmetric positive semi-definite) and P (B × R) given: both uDAS decoder steps reduce to it (the
 * NMF refinement with Q = HHᵀ, P = VHᵀ, u = ∞; the decoder step with Q = (1 + γ)HHᵀ, P = VHᵀ + γ W_n X̄Hᵀ, u = 1).
 * Each iteration searches α by factors of β = 0.1 from the previous one for the sufficient decrease
 * {@code f(W⁺) − f(W) ≤ 0.01 ⟨∇f, W⁺ − W⟩}, growing it while that holds; it stops when the norm of the projected
 * gradient falls below the tolerance or after the iteration cap. Every accepted step decreases f. Runs on the
 * driver: only B × R numbers.
 */
final class BoxProjectedGradient {
  private BoxProjectedGradient() {}

  private static final double BETA = 0.1;
  private static final double SIGMA = 0.01;
  private static final int SEARCH_STEPS = 20;

  /** {@code ‖W Q − P‖_F}. */
  static double gradientNorm(double[] w, double[] q, double[] p, int b, int r) {
    double[] g = new double[b * r];
    gradient(w, q, p, b, r, g);
    double s = 0;
    for (double v : g) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** {@code ½ tr(W Q Wᵀ) − tr(Wᵀ P)}. */
  static double objective(double[] w, double[] q, double[] p, int b, int r) {
    double f = 0;
    for (int c = 0; c < b; c++) {
      for (int s = 0; s < r; s++) {
        double wq = 0;
        for (int t = 0; t < r; t++) {
          wq += w[c * r + t] * q[t * r + s];
        }
        f += w[c * r + s] * (0.5 * wq - p[c * r + s]);
      }
    }
    return f;
  }

  static void gradient(double[] w, double[] q, double[] p, int b, int r, double[] g) {
    for (int c = 0; c < b; c++) {
      for (int s = 0; s < r; s++) {
        double v = -p[c * r + s];
        for (int t = 0; t < r; t++) {
          v += w[c * r + t] * q[t * r + s];
        }
        g[c * r + s] = v;
      }
    }
  }

  /**
   * The same problem solved exactly, row by row: the objective is a sum of one quadratic per row of W
   * ({@code ½ w_c Q w_cᵀ − w_c·p_c}, Q shared), so each row is minimised on its own by cyclic coordinate descent
   * on [0, u] from its current values, each coordinate exactly, until no entry moves by more than 1e-12 of the
   * row's largest (at most {@code maxSweeps} sweeps). Every row's quadratic decreases, so the objective does under
   * any positive weighting of the rows: what the uDAS decoder rounds need with per-channel weights
   * ({@link UdasNoise}). Q's diagonal must be positive where a row moves (a zero diagonal leaves the entry).
   *
   * @return the most sweeps any row took
   */
  static int solveRows(double[] w, double[] q, double[] p, int b, int r, double upper, int maxSweeps) {
    int most = 0;
    for (int c = 0; c < b; c++) {
      int base = c * r;
      int sweep = 0;
      while (sweep < maxSweeps) {
        sweep++;
        double moved = 0;
        double size = 0;
        for (int s = 0; s < r; s++) {
          double diagonal = q[s * r + s];
          if (!(diagonal > 0)) {
            continue;
          }
          double grad = -p[base + s];
          for (int t = 0; t < r; t++) {
            grad += w[base + t] * q[t * r + s];
          }
          double old = w[base + s];
          double next = Math.min(upper, Math.max(0, old - grad / diagonal));
          w[base + s] = next;
          moved = Math.max(moved, Math.abs(next - old));
          size = Math.max(size, Math.abs(next));
        }
        if (moved <= 1e-12 * Math.max(size, 1e-300)) {
          break;
        }
      }
      most = Math.max(most, sweep);
    }
    return most;
  }

  /**
   * Improves W in place.
   *
   * @param upper u (may be infinite)
   * @param tol stop when the projected gradient's norm is below this
   * @return iterations run (1 means the start already met the tolerance or could not be improved)
   */
  static int solve(double[] w, double[] q, double[] p, int b, int r, double upper, double tol, int maxIterations) {
    int size = b * r;
    double[] g = new double[size];
    double[] next = new double[size];
    double[] previous = new double[size];
    double[] dq = new double[r];
    double alpha = 1;
    int iteration = 1;
    for (; iteration <= maxIterations; iteration++) {
      gradient(w, q, p, b, r, g);
      double projected = 0;
      for (int i = 0; i < size; i++) {
        if ((g[i] < 0 || w[i] > 0) && (g[i] > 0 || w[i] < upper)) {
          projected += g[i] * g[i];
        }
      }
      if (Math.sqrt(projected) < tol) {
        break;
      }
      boolean decrease = false;
      boolean moved = false;
      for (int inner = 0; inner < SEARCH_STEPS; inner++) {
        double gd = 0;
        double dqd = 0;
        boolean same = true;
        for (int c = 0; c < b; c++) {
          for (int s = 0; s < r; s++) {
            int i = c * r + s;
            next[i] = Math.min(upper, Math.max(0, w[i] - alpha * g[i]));
          }
          for (int s = 0; s < r; s++) {
            double v = 0;
            for (int t = 0; t < r; t++) {
              v += (next[c * r + t] - w[c * r + t]) * q[t * r + s];
            }
            dq[s] = v;
          }
          for (int s = 0; s < r; s++) {
            int i = c * r + s;
            double d = next[i] - w[i];
            gd += g[i] * d;
            dqd += dq[s] * d;
          }
        }
        boolean sufficient = (1 - SIGMA) * gd + 0.5 * dqd < 0;
        if (inner == 0) {
          decrease = !sufficient;
          System.arraycopy(w, 0, previous, 0, size);
        }
        if (decrease) {
          if (sufficient) {
            System.arraycopy(next, 0, w, 0, size);
            moved = true;
            break;
          }
          alpha *= BETA;
        } else {
          for (int i = 0; i < size && same; i++) {
            same = previous[i] == next[i];
          }
          if (!sufficient || same) {
            System.arraycopy(previous, 0, w, 0, size);
            moved = true;
            break;
          }
          alpha /= BETA;
          System.arraycopy(next, 0, previous, 0, size);
        }
      }
      if (!moved && !decrease) {
        System.arraycopy(previous, 0, w, 0, size); // still growing after the last search step: keep the last good one
      } else if (!moved) {
        break; // no step decreased f: W is (numerically) optimal
      }
    }
    return Math.min(iteration, maxIterations);
  }
}
