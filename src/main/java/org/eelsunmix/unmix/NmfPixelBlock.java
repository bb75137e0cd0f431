package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * A block of pixels held in memory, the unit every NMF pass ({@link NmfPixelPasses}) works on: a whole image for
 * {@link Nmf#fit}, one partition for the Spark estimator. It holds the spectra (row-major N × B counts) and each
 * pixel's random-draw key ({@link NmfInitialisation#drawKey}); the abundances W (row-major N × R) are passed in, so
 * a caller may keep several versions of them.
 *
 * <p>Each method is one pass over the block with one kernel, adding into a caller's accumulator; none allocates
 * more than a few kB of scratch but the first pass, which computes each spectrum's {@code ‖y‖²} once (N doubles)
 * for every later pass.
 */
public final class NmfPixelBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final float[] spectra;
  private final long[] keys;
  private final int channels;
  private final int count;
  /** Each spectrum's ‖y‖², computed on first use and kept: the same for every pass (not serialised). */
  private transient double[] norms;

  /**
   * @param spectra row-major N × B counts (not copied: the block takes it over)
   * @param keys N random-draw keys (not copied)
   * @param channels B ≥ 1
   */
  public NmfPixelBlock(float[] spectra, long[] keys, int channels) {
    VcaPixelBlock.requireShape(spectra, keys.length, channels);
    this.spectra = spectra;
    this.keys = keys;
    this.channels = channels;
    this.count = keys.length;
  }

  /** Number of pixels N. */
  public int count() {
    return count;
  }

  /** The sum of all counts. */
  public double total() {
    double t = 0;
    for (float v : spectra) {
      t += v;
    }
    return t;
  }

  /** Adds every spectrum to {@code moments}; returns it. */
  public SpectralMoments addMoments(SpectralMoments moments) {
    for (int i = 0; i < count; i++) {
      moments.add(spectra, i * channels);
    }
    return moments;
  }

  /** Adds the block's part norms of an NNDSVD start ({@link NmfInitialisation#addPartNorms}); returns {@code sums}. */
  public double[] addPartNorms(NmfInitialisation start, double[] sums) {
    final int r = start.components();
    double[] d = new double[Math.min(CHUNK, count) * r];
    double[][] scratch = NmfProjections.scratch(channels);
    for (int first = 0; first < count; first += CHUNK) {
      int m = Math.min(CHUNK, count - first);
      start.projectBlock(spectra, first, m, d, scratch);
      for (int k = 0; k < m; k++) {
        start.addPartNorms(d, k * r, sums);
      }
    }
    return sums;
  }

  /** Writes the start W₀ into {@code w} (N × R) and adds it to {@code stats}; returns {@code stats}. */
  public NmfStatistics start(NmfInitialisation start, double[] w, NmfStatistics stats) {
    final int r = start.components();
    if (!start.projects()) {
      for (int i = 0; i < count; i++) {
        start.abundances(spectra, i * channels, keys[i], w, i * r);
        stats.add(spectra, i * channels, norms()[i], w, i * r);
      }
      return stats;
    }
    double[] d = new double[Math.min(CHUNK, count) * r];
    double[][] scratch = NmfProjections.scratch(channels);
    double[] yy = norms();
    for (int first = 0; first < count; first += CHUNK) {
      int m = Math.min(CHUNK, count - first);
      start.projectBlock(spectra, first, m, d, scratch);
      for (int k = 0; k < m; k++) {
        int i = first + k;
        start.abundancesProjected(d, k * r, keys[i], w, i * r);
        stats.add(spectra, i * channels, yy[i], w, i * r);
      }
    }
    return stats;
  }

  /** Pixels whose NNDSVD projections the start and part-norm passes compute together (a few kB of scratch). */
  static final int CHUNK = 256;

  /** Pixels whose {@code y Hᵀ} an iteration computes together (16 spectra of 200 channels: 12.8 kB, in L1). */
  static final int UPDATE_GROUP = 16;

  /**
   * One abundance step on every pixel ({@code w}, N × R, updated in place), adding the new W and the step's summed
   * |projected gradient| to {@code stats}; returns {@code stats}. The per-pixel part of an NMF iteration: the
   * {@code y Hᵀ} of {@value #UPDATE_GROUP} pixels first ({@link NmfAbundanceUpdate#projectBlock}, one pixel a vector
   * lane), then each pixel's step and statistics in pixel order while its spectrum is still in the first-level cache.
   * The same bits as {@link NmfAbundanceUpdate#update} pixel by pixel. Measured (a scratch loop, B = 200, R = 3,
   * thread CPU): the whole step 362 → 206 ns a pixel, of which the statistics' {@code WᵀY} on the Vector API
   * ({@link NmfStatistics#add}) 279 → 90 ns and the projections 164–168 → 157 ns; projecting scalar pairs of a
   * 256-pixel chunk first had measured 10% slower (the chunk no longer fitted the cache).
   */
  public NmfStatistics update(NmfAbundanceUpdate step, double[] w, NmfStatistics stats) {
    final int r = step.components();
    double[] work = new double[step.workLength()];
    double[] g = new double[UPDATE_GROUP * r];
    double[][] scratch = NmfProjections.scratch(channels);
    double[] yy = norms();
    double violation = 0;
    for (int first = 0; first < count; first += UPDATE_GROUP) {
      int m = Math.min(UPDATE_GROUP, count - first);
      step.projectBlock(spectra, first, m, g, scratch);
      for (int k = 0; k < m; k++) {
        int i = first + k;
        System.arraycopy(g, k * r, work, 0, r);
        violation += step.updateProjected(w, i * r, work);
        stats.add(spectra, i * channels, yy[i], w, i * r);
      }
    }
    return stats.addViolation(violation);
  }

  /** Each pixel's {@code ‖y‖²} ({@link NmfStatistics#normSquared}), computed once. */
  private double[] norms() {
    double[] n = norms;
    if (n == null) {
      n = new double[count];
      NmfStatistics.normsSquared(spectra, count, channels, n);
      norms = n;
    }
    return n;
  }

  /** {@code ‖Y − W H‖²} of the block, channel by channel ({@link Nmf#residualSquared}). */
  public double residualSquared(double[] w, double[] endmembers) {
    return Nmf.residualSquared(spectra, count, channels, w, endmembers, endmembers.length / channels);
  }
}
