package org.eelsunmix.unmix;

/**
 * The two passes over the pixels that VCA with restarts ({@link VcaRestarts#search}) needs, wherever the pixels
 * live (one block in memory, Spark partitions): the best pixel along each of K directions, and the FCLS
 * reconstruction error of each candidate set. Methods that start from VCA (BLU's {@link BluPixels}, uDAS's
 * {@link UdasPixelPasses}) provide them over the same data their VCA searches, so the set is chosen on that data.
 *
 * <p>Both results merge independently of how the pixels are split: candidates by {@link VcaCandidate#better}
 * (ties to raster order), residual sums as {@link FclsResiduals} (whose pick is protected against the rounding of
 * the merge order by {@link VcaRestarts#TIE}).
 */
public interface VcaPasses {
  /**
   * For each direction (restart order), the pixel of all pixels with the highest score
   * {@link VcaProjection#score} along it, ties to the smaller {@link org.eelsunmix.core.PixelKey}.
   */
  VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift);

  /** The {@link FclsResiduals} of {@code sets} over all pixels (a fresh accumulator per block, merged). */
  FclsResiduals residuals(Fcls[] sets);
}
