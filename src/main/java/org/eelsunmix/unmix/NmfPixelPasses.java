package org.eelsunmix.unmix;

/**
 * The passes over the pixels that an NMF fit ({@link NmfFit}) makes, wherever the pixels live: in memory a loop
 * over one image ({@link Nmf#fit}), distributed one Spark job per pass over partitions that keep their pixels and
 * their rows of W. Each pass returns only small sums (B × B, R × B, R × R, 2R numbers), which the driver loop
 * turns into the next H; the abundances W (one row of R values per pixel) stay with the pixels.
 *
 * <p>Every pass reads the current W left by the previous {@link #start} or {@link #update} and runs the same
 * per-pixel kernels ({@link SpectralMoments#add}, {@link NmfInitialisation#addPartNorms},
 * {@link NmfInitialisation#abundances}, {@link NmfAbundanceUpdate#update}, {@link NmfStatistics#add}), so every
 * implementation computes the same numbers, up to the order in which partial sums are added.
 */
public interface NmfPixelPasses {
  /** Number of channels B. */
  int channels();

  /** Number of pixels N. */
  long pixels();

  /** The mean of all counts, {@code ΣY / (N B)} (scale of the random start). */
  double meanCount();

  /** The moments of the spectra ({@code YᵀY} for the NNDSVD start). */
  SpectralMoments moments();

  /** The summed {@code ‖u_j^±‖²} of an NNDSVD start ({@link NmfInitialisation#addPartNorms}), 2R values. */
  double[] partNorms(NmfInitialisation start);

  /**
   * Sets every pixel's abundances to the start W₀ ({@link NmfInitialisation#abundances}, keyed on each pixel's
   * {@link NmfInitialisation#drawKey}) and returns the statistics of W₀.
   */
  NmfStatistics start(NmfInitialisation start);

  /**
   * Updates every pixel's abundances with {@code step} and returns the statistics of the new W, including the
   * summed |projected gradient| the step reported ({@link NmfStatistics#addViolation}).
   */
  NmfStatistics update(NmfAbundanceUpdate step);

  /** {@code ‖Y − W H‖²} of the current W, summed channel by channel (no cancellation between large terms). */
  double residualSquared(double[] endmembers);
}
