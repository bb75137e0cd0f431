package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.core.SpectrumImage;

/**
 * Pixels held in memory for BLU's start (a whole image in memory, one partition in Spark): spectra (row-major
 * N × B counts) and addresses. Each method is one pass with one kernel whose per-pixel result does not depend on
 * the block's other pixels, and whose block result merges exactly (maxima, {@link FixedPointSum}s, VCA candidates
 * with raster-order ties), so any split of the pixels into blocks gives the same numbers.
 */
public final class BluSpectraBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final float[] spectra;
  private final PixelKey[] keys;
  private final int channels;

  /**
   * @param spectra row-major N × B counts (not copied)
   * @param keys N pixel addresses (not copied)
   */
  public BluSpectraBlock(float[] spectra, PixelKey[] keys, int channels) {
    VcaPixelBlock.requireShape(spectra, keys.length, channels);
    this.spectra = spectra;
    this.keys = keys;
    this.channels = channels;
  }

  /** Every pixel of {@code image}, addressed by its id, y and x. */
  public static BluSpectraBlock of(SpectrumImage image) {
    PixelKey[] keys = new PixelKey[image.pixels()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new PixelKey(image.id(), i / image.width(), i % image.width());
    }
    return new BluSpectraBlock(image.data(), keys, image.channels());
  }

  public int count() {
    return keys.length;
  }

  /** The largest count (0 for an empty block). */
  public double maxCount() {
    double m = 0;
    for (float v : spectra) {
      m = Math.max(m, v);
    }
    return m;
  }

  /**
   * Adds {@code Σ y} and the packed upper triangle of {@code Σ y yᵀ} (row by row, j ≥ i) into {@code sums};
   * returns it.
   */
  public Blu.MomentSums addMoments(Blu.MomentSums sums) {
    double[] work = new double[channels];
    for (int p = 0; p < keys.length; p++) {
      sums.add(spectra, p * channels, work);
    }
    return sums;
  }

  /** The same pixels as {@link VcaPixelBlock}, whose passes give BLU's VCA start (same arrays, not copied). */
  private VcaPixelBlock vca() {
    return new VcaPixelBlock(spectra, keys, channels);
  }

  /** The largest squared norm of a projected pixel (VCA's lift in its projective mode). */
  public double maxNormSquared(VcaProjection projection) {
    return VcaPixelBlock.maxNormSquared(projection, vca().project(projection));
  }

  /** The block's best VCA candidate along each direction (ties to raster order; nulls when empty). */
  public VcaCandidate[] candidates(VcaProjection projection, double[][] directions, double lift) {
    VcaPixelBlock block = vca();
    return block.candidates(projection, block.project(projection), directions, lift);
  }

  /** The FCLS residuals of {@code sets} over the block's spectra (counts), in a new accumulator. */
  public FclsResiduals residuals(Fcls[] sets) {
    return vca().addResiduals(new FclsResiduals(sets));
  }

  /** Runs the start pass on every pixel: the block of chain state it begins with. */
  public BluChainBlock start(BluStep.Start start) {
    int n = keys.length;
    int k = start.dims();
    int r = start.components();
    double[] z = new double[n * k];
    double[] a = new double[n * r];
    long[] drawKeys = new long[n];
    double[] work = new double[channels];
    BluStatistics stats = start.newStatistics();
    for (int p = 0; p < n; p++) {
      start.pixel(spectra, p * channels, z, p * k, a, p * r, work, stats);
      drawKeys[p] = KeyedRandom.pixel(keys[p].acquisition(), keys[p].y(), keys[p].x());
    }
    return new BluChainBlock(z, drawKeys, a, k, r, stats);
  }
}
