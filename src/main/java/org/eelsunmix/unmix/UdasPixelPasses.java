package org.eelsunmix.unmix;

/**
 * The passes over the pixels a uDAS fit ({@link UdasFit}) makes, wherever the pixels live: in memory one
 * {@link UdasBlock} holding the image ({@link Udas#fit}), distributed one Spark job per pass over partitions that
 * keep their blocks. Each pass runs the same {@link UdasBlock} kernels and returns only small sums (the (B + 1)²
 * scatter, R × (B + 1) cross products, R VCA numbers), so every implementation computes the same numbers up to the
 * order in which partial sums are added. A pass that keeps per-pixel state (denoised spectra, projections, H)
 * leaves it with the pixels for the next pass.
 */
public interface UdasPixelPasses {
  /** Number of channels B. */
  int channels();

  /** The largest count of all pixels (the normalisation). */
  double maxCount();

  /** The moments of the counts (their (B + 1)² scatter with the bias row). */
  SpectralMoments moments();

  /** Denoises every pixel, keeps it, and returns the moments of the denoised spectra. */
  SpectralMoments denoise(Msda msda, double scale);

  /** Projects every denoised pixel for VCA and keeps it; returns the largest squared norm. */
  double project(VcaProjection projection);

  /** The best pixel for VCA's direction {@code f} over all blocks ({@link VcaCandidate#better}). */
  VcaCandidate candidate(VcaProjection projection, double[] f, double lift);

  /** FCLS abundances of the denoised pixels, kept as H; their sums. */
  UdasStatistics fcls(Fcls fcls, double scale);

  /** The sum-to-one NNLS step from the current H, kept as H; its sums. */
  UdasStatistics refine(SumToOneNnls step, double scale);

  /** One read-only pass of the encoder objective; H = relu(W1 x) is not kept. */
  UdasStatistics encode(UdasEncoderPass pass, double scale);

  /** Drops the initialisation's per-pixel state (denoised spectra, projections). */
  void release();
}
