package org.eelsunmix.unmix;

/**
 * The box-constrained quadratic of uDAS's decoder step in the endmember matrix W (B × R, row-major)
 *
 * <pre>  minimise ½ tr(W Q Wᵀ) − tr(Wᵀ P)   subject to 0 ≤ W ≤ u,   gradient W Q − P</pre>
 *
 * with Q = (1 + γ)HHᵀ (R × R, symmetric positive semi-definite) and P = (G + γ W_n)X̄Hᵀ (B × R): its objective, its
 * gradient (checked against finite differences) and the exact solver {@link #solveRows}. The authors' code (and
 * earlier versions here) ran Lin's projected gradient with an Armijo search (Neural Computation 19(10), 2007) to a
 * tolerance; the problem is a sum of one small quadratic per row, which coordinate descent solves exactly, and
 * exactness per row is what keeps the rounds' weighted objective decreasing ({@link UdasFit}). Runs on the
 * driver: only B × R numbers.
 */
final class BoxQuadratic {
  private BoxQuadratic() {}

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
}
