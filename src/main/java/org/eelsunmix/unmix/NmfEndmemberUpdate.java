package org.eelsunmix.unmix;

/**
 * One NMF endmember step: H (R × B) updated from {@link NmfStatistics} alone — {@code WᵀW} and {@code WᵀY} of the
 * current abundances — so a distributed fit runs it on the driver after aggregating the statistics. It is the
 * abundance step ({@link NmfAbundanceUpdate}) of the transposed problem {@code Yᵀ ≈ Hᵀ Wᵀ}, with the channels in
 * the role of the pixels:
 *
 * <ul>
 *   <li>{@link NmfSolver#CD}: for each channel b and t = 0 … R − 1 in turn,
 *       {@code grad = (WᵀW H)_tb − (WᵀY)_tb}, {@code H_tb ← max(0, H_tb − grad / (WᵀW)_tt)} (Cichocki &amp; Phan
 *       2009). Channels are independent, so sweeping component by component over all channels (the cache-friendly
 *       order used here) gives the same H as scikit-learn's order.</li>
 *   <li>{@link NmfSolver#MU}: {@code H ← H ∘ (WᵀY) / (WᵀW H)} (Lee &amp; Seung 2001), a zero denominator replaced
 *       by the float32 machine epsilon.</li>
 * </ul>
 */
public final class NmfEndmemberUpdate {
  private NmfEndmemberUpdate() {}

  /**
   * Updates {@code h} (row-major R × B, modified in place) from the statistics of the current abundances.
   *
   * @return the summed |projected gradient| of the step (coordinate descent), 0 for the multiplicative update
   */
  public static double update(NmfSolver solver, double[] h, NmfStatistics statistics) {
    final int r = statistics.components();
    final int b = statistics.channels();
    if (h.length != r * b) {
      throw new IllegalArgumentException(h.length + " endmember values, statistics are for " + r + "x" + b);
    }
    final double[] g = statistics.gram;
    final double[] cross = statistics.cross;
    if (solver == NmfSolver.CD) {
      double violation = 0;
      for (int t = 0; t < r; t++) {
        int row = t * r;
        double hess = g[row + t];
        for (int c = 0; c < b; c++) {
          double grad = -cross[t * b + c];
          for (int s = 0; s < r; s++) {
            grad += g[row + s] * h[s * b + c];
          }
          double ht = h[t * b + c];
          violation += Math.abs(ht == 0 ? Math.min(0.0, grad) : grad);
          if (hess != 0) {
            h[t * b + c] = Math.max(ht - grad / hess, 0.0);
          }
        }
      }
      return violation;
    }
    double[] denominators = new double[r]; // one channel's column of WᵀW H, from the old H
    for (int c = 0; c < b; c++) {
      for (int t = 0; t < r; t++) {
        double d = 0;
        for (int s = 0; s < r; s++) {
          d += g[t * r + s] * h[s * b + c];
        }
        denominators[t] = d == 0 ? NmfAbundanceUpdate.MU_EPSILON : d;
      }
      for (int t = 0; t < r; t++) {
        h[t * b + c] *= cross[t * b + c] / denominators[t];
      }
    }
    return 0.0;
  }
}
