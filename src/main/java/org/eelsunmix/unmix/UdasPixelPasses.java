package org.eelsunmix.unmix;

/**
 * The passes over the pixels a uDAS fit ({@link UdasFit}) makes, wherever the pixels live: in memory one
 * {@link UdasBlock} holding the image ({@link Udas#fit}), distributed one Spark job per pass over partitions that
 * keep their blocks. Each pass runs the same {@link UdasBlock} kernels and returns only small sums (the (B + 1)²
 * scatter, R × (B + 1) cross products, R VCA numbers) as order-independent {@link FixedPointSum}s, maxima and VCA
 * candidates with address tie-breaks, so every implementation and every split of the pixels gives the same bits. A pass that keeps per-pixel state (input copies, projections, H)
 * leaves it with the pixels for the next pass. The VCA start's passes ({@link VcaPasses}) run on the kept input
 * pixels and their kept projections: the restarts' candidates and the FCLS residuals that choose among them are
 * measured on the data VCA searched.
 */
public interface UdasPixelPasses extends VcaPasses {
  /** Number of channels B. */
  int channels();

  /** The largest count of all pixels (the normalisation). */
  double maxCount();

  /** The moments of the counts (their (B + 1)² scatter with the bias row); {@code maxCount} bounds the terms. */
  SpectralMoments moments(double maxCount);

  /** Keeps every normalised pixel {@code y·scale} (as float) as the initialisation's input. */
  void keepInput(double scale);

  /** Projects every kept input pixel for VCA and keeps it; returns the largest squared norm. */
  double project(VcaProjection projection);

  /** FCLS abundances of the kept input pixels, kept as H; returns the largest. */
  double fcls(Fcls fcls);

  /** The abundance step ({@link SumToOneNnls}) on the counts from the current H, kept as H; returns the largest |h|. */
  double refine(SumToOneNnls step);

  /** The sums of the kept H with the normalised pixels into {@code empty}. */
  UdasStatistics abundanceSums(double scale, UdasStatistics empty);

  /** One read-only pass of the encoder objective into {@code empty}; H = relu(W1 x) is not kept. */
  UdasStatistics encode(UdasEncoderPass pass, double scale, UdasStatistics empty);

  /** Drops the initialisation's per-pixel state (input copies, projections); H stays for the abundance steps. */
  void release();
}
