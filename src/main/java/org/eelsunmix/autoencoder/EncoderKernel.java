package org.eelsunmix.autoencoder;

/**
 * The plain-Java arithmetic of a fused encoder layer ({@link FusedEncoderLayer}): spectra (B channels per row) to
 * abundances (R per row) for a batch of samples of {@link #rowsPerSample()} rows each, forward and backward, with the
 * parameters as one flat float vector whose running statistics come first. Implemented by DAEU's
 * {@link AbundanceEncoderKernel} (one row per sample) and MTAEU's {@link MultitaskEncoderKernel} (four).
 */
interface EncoderKernel {
  int channels();

  int endmembers();

  int parameterCount();

  /** Rows of spectra (and of abundances) per sample. */
  int rowsPerSample();

  /** Encodes {@code samples} samples; see the implementations. */
  void forward(float[] x, int xOffset, int samples, float[] params, AbundanceEncoderKernel.Mode mode, float[] out,
      int outOffset);

  /** Whether the last forward pass was a training pass over {@code samples} samples. */
  boolean holdsTrainingPass(int samples);

  /** Back-propagates ∂L/∂a of the last training pass into ∂L/∂params and (when not null) ∂L/∂x. */
  void backward(float[] x, int xOffset, int samples, float[] params, float[] dAbundances, int dOffset,
      float[] gradient, float[] dx);
}
