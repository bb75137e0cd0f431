package org.eelsunmix.unmix;

/**
 * The elbow of a scree plot (Cattell 1966), found by the "maximum distance to the chord" rule (as in the Kneedle
 * method, Satopää et al., ICDCS workshops 2011): over the first N eigenvalues, take the points
 * {@code (i, log λ_i)}, scale both axes to [0, 1], draw the chord from the first point to the last, and find the
 * point farthest below it. That point is the first of the noise floor, so the number of components above the
 * floor, the estimate, is its index minus one (i counted from 1).
 *
 * <p>Applied to the uncentred second moment {@code Σ y yᵀ / N}, whose R leading eigenvalues stand above the noise
 * when pixels mix R endmembers (the mean spectrum is one of those directions; on the centred covariance a
 * sum-to-one mixture leaves only R − 1). The rule needs at least three positive eigenvalues; the scan stops at the
 * first eigenvalue that is not positive (rounding makes the tail of a rank-deficient matrix zero or negative).
 */
public final class ScreeElbow {
  private ScreeElbow() {}

  /**
   * @param eigenvalues descending eigenvalues (not modified)
   * @param n how many of the first eigenvalues to scan (≥ 3)
   * @return the number of components above the elbow, between 1 and n − 1; the count of positive eigenvalues
   *     when fewer than three are positive
   */
  public static int estimate(double[] eigenvalues, int n) {
    if (n < 3) {
      throw new IllegalArgumentException("the scree elbow needs at least 3 eigenvalues, got " + n);
    }
    int m = 0;
    while (m < Math.min(n, eigenvalues.length) && eigenvalues[m] > 0) {
      m++;
    }
    if (m < 3) {
      return m;
    }
    double first = Math.log(eigenvalues[0]);
    double last = Math.log(eigenvalues[m - 1]);
    double span = first - last;
    if (!(span > 0)) {
      return 1; // a flat scree: nothing stands above the floor but the first
    }
    // Scaled points (x, y) with the chord from (0, 1) to (1, 0): the distance below it is ∝ 1 − x − y.
    int best = 1;
    double below = Double.NEGATIVE_INFINITY;
    for (int i = 1; i < m - 1; i++) {
      double x = (double) i / (m - 1);
      double y = (Math.log(eigenvalues[i]) - last) / span;
      double d = 1 - x - y;
      if (d > below) {
        below = d;
        best = i;
      }
    }
    return best; // 0-based index of the elbow = number of components before it
  }
}
