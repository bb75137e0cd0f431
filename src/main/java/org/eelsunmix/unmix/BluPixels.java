package org.eelsunmix.unmix;

import org.eelsunmix.core.PixelKey;

/**
 * The passes over the pixels that a BLU fit ({@link Blu#run}) makes, wherever the pixels live: in memory one
 * block ({@link Blu#fit}), in Spark one job per pass over partitions that keep their blocks. Each pass runs the
 * same per-pixel kernels ({@link BluSpectraBlock}, {@link BluChainBlock}) and returns only values that merge exactly
 * (counts, maxima, {@link FixedPointSum}s, VCA candidates ordered by {@link PixelKey} on ties), so every
 * implementation hands the driver the same bits and the chain does not depend on how the pixels are split. The
 * VCA start's passes ({@link VcaPasses}: candidates along K restarts' directions, FCLS residuals of the candidate
 * sets) run on the counts, the data that VCA searches.
 */
public interface BluPixels extends VcaPasses {
  /** B. */
  int channels();

  /** N. */
  long count();

  /** The largest count of any pixel and channel (bounds the fixed-point sums). */
  double maxCount();

  /** {@link BluSpectraBlock#addMoments} over all pixels, quantum for the bound {@code maxCount}. */
  Blu.MomentSums moments(double maxCount);

  /** {@link BluSpectraBlock#maxNormSquared} over all pixels. */
  double maxNormSquared(VcaProjection projection);

  /** Runs the start pass; the summed statistics of the first abundances. */
  BluStatistics start(BluStep.Start start);

  /** Runs one sweep's abundance draws; the summed statistics of the new abundances. */
  BluStatistics sweep(BluStep.Sweep sweep);
}
