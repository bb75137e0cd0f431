package org.eelsunmix.unmix;

import org.eelsunmix.core.PixelKey;

/**
 * One block's part of a {@link VcaPasses#candidates} pass: for each of K directions the pixel with the highest
 * score so far, ties to the smaller address (the rule of {@link VcaCandidate#better}, so blocks merge to the same
 * winners whatever the split). A pixel's projection is copied only when it takes the lead. Mutable; one per pass.
 */
public final class VcaBest {
  private final VcaCandidate[] best;

  /** An empty search along {@code directions} directions. */
  public VcaBest(int directions) {
    best = new VcaCandidate[directions];
  }

  /**
   * Offers the pixel {@code key} whose projection is {@code x[offset .. offset + dims)} with its scores along
   * each direction ({@link VcaProjection#scores}).
   */
  public void offer(PixelKey key, double[] x, int offset, int dims, double[] scores) {
    double[] copy = null;
    for (int k = 0; k < best.length; k++) {
      VcaCandidate c = best[k];
      if (c == null || scores[k] > c.score() || (scores[k] == c.score() && key.compareTo(c.key()) < 0)) {
        if (copy == null) {
          copy = new double[dims];
          System.arraycopy(x, offset, copy, 0, dims);
        }
        best[k] = new VcaCandidate(scores[k], key, copy);
      }
    }
  }

  /** The winners, direction order (null where no pixel was offered). */
  public VcaCandidate[] candidates() {
    return best.clone();
  }
}
