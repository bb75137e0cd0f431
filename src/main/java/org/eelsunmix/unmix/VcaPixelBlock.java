package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.PixelKey;

/**
 * A block of pixels held in memory that VCA's passes run on (Nascimento &amp; Bioucas-Dias, IEEE TGRS 43(4), 2005,
 * as {@link Vca} runs it): the whole image for {@link Vca#fit}, one partition for the Spark estimator (read once
 * from the table and reused by every pass, so the rows are decoded once instead of once per pass). It holds the spectra (row-major N × B counts) and
 * their addresses; each method is one pass with the same per-pixel kernel and the same pixel order as the
 * in-memory fit, so a block's accumulators have the bits of one loop over its pixels:
 *
 * <ol>
 *   <li>{@link #addMoments}: {@link SpectralMoments} → {@link VcaProjection};</li>
 *   <li>{@link #project}: every pixel's projection (N × d doubles, kept by the caller for the search passes);</li>
 *   <li>{@link #candidates}: the best pixel along each restart's direction ({@link VcaBest}, ties to raster order);</li>
 *   <li>{@link #addResiduals}: the FCLS residuals of the candidate sets ({@link FclsResiduals}).</li>
 * </ol>
 *
 * Immutable once made (the arrays are taken over, not copied).
 */
public final class VcaPixelBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final float[] spectra;
  private final PixelKey[] keys;
  private final int channels;

  /**
   * @param spectra row-major N × B counts (taken over)
   * @param keys the N pixels' addresses, same order (taken over)
   * @param channels B ≥ 1
   */
  public VcaPixelBlock(float[] spectra, PixelKey[] keys, int channels) {
    requireShape(spectra, keys.length, channels);
    this.spectra = spectra;
    this.keys = keys;
    this.channels = channels;
  }

  /** Refuses a row-major block of counts that is not {@code pixels} spectra of {@code channels ≥ 1} channels. */
  static void requireShape(float[] spectra, int pixels, int channels) {
    if (channels < 1 || spectra.length != (long) pixels * channels) {
      throw new IllegalArgumentException(spectra.length + " counts do not make " + pixels + " spectra of "
          + channels + " channels");
    }
  }

  /** Number of pixels N. */
  public int count() {
    return keys.length;
  }

  /** Adds every spectrum to {@code moments} in block order; returns it. */
  public SpectralMoments addMoments(SpectralMoments moments) {
    for (int i = 0; i < keys.length; i++) {
      moments.add(spectra, i * channels);
    }
    return moments;
  }

  /** Every pixel's projection ({@link VcaProjection#projectAll}), row-major N × {@code dims}. */
  public double[] project(VcaProjection projection) {
    double[] projected = new double[keys.length * projection.dims()];
    projection.projectAll(spectra, keys.length, projected);
    return projected;
  }

  /** The largest {@link VcaProjection#normSquared} of the projected pixels (0 for an empty block). */
  public static double maxNormSquared(VcaProjection projection, double[] projected) {
    int d = projection.dims();
    double[] x = new double[d];
    double max = 0;
    for (int o = 0; o < projected.length; o += d) {
      System.arraycopy(projected, o, x, 0, d);
      max = Math.max(max, projection.normSquared(x));
    }
    return max;
  }

  /**
   * For each direction the block's pixel scoring highest along it ({@link VcaProjection#scores} of the
   * {@code projected} pixels from {@link #project}), ties to the smaller address; null entries for an empty block.
   */
  public VcaCandidate[] candidates(VcaProjection projection, double[] projected, double[][] directions,
      double lift) {
    int d = projection.dims();
    VcaBest best = new VcaBest(directions.length);
    double[] scores = new double[directions.length];
    for (int i = 0; i < keys.length; i++) {
      projection.scores(directions, projected, i * d, lift, scores);
      best.offer(keys[i], projected, i * d, d, scores);
    }
    return best.candidates();
  }

  /** Adds every spectrum to {@code residuals} in block order; returns it. */
  public FclsResiduals addResiduals(FclsResiduals residuals) {
    for (int i = 0; i < keys.length; i++) {
      residuals.add(spectra, i * channels);
    }
    return residuals;
  }
}
