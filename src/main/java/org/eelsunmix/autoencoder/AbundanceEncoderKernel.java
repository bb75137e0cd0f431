package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * The arithmetic of the DAEU encoder (Palsson, Sigurdsson, Sveinsson &amp; Ulfarsson, "Hyperspectral unmixing using a
 * neural network autoencoder", IEEE Access 6, 2018, §III and the authors' reference code), which turns a pixel's
 * spectrum {@code x} (B channels) into its R abundances:
 *
 * <ol>
 *   <li>four dense layers without bias, widths 9R, 6R, 3R and R, each followed by LeakyReLU
 *       {@code h = max(z, 0.1 z)};</li>
 *   <li>batch normalisation of the R outputs ({@code γ (h − μ)/√(σ² + 1e-3) + β}; in training μ, σ² are the batch
 *       mean and biased variance and the running estimates move as {@code m ← 0.99 m + 0.01 μ}, as in Keras);
 *       outside training the running estimates are used;</li>
 *   <li>a learned soft threshold {@code t = relu(y − α)}, one α ≥ 0 per abundance (the reference's "sparse ReLU";
 *       α starts at 0 and is kept non-negative by a constraint after each update);</li>
 *   <li>the abundance sum-to-one layer: values below {@link #SUM_TO_ONE_EPSILON} are set to zero, then
 *       {@code a = t / Σ t}, so {@code a ≥ 0, Σ a = 1}. If every value of a pixel is zero the abundances are
 *       {@code 1/R} each (with zero gradient).</li>
 * </ol>
 *
 * <p>One implementation of this math serves training (through the DL4J layer {@link AbundanceEncoderLayer}, whose
 * forward and backward passes call {@link #forward} and {@link #backward}) and inference. The tiny network makes
 * ND4J's per-operation cost dominate, so the whole encoder is a few plain loops over caller-owned float arrays,
 * with work buffers owned by the instance (grown when the batch grows, never inside the loops). Not thread-safe:
 * one instance per network.
 *
 * <p>Parameters are one flat float vector (the layer's parameter view), in this order: the running mean and
 * running variance (R each; not trained), then the trained ones: dense weights
 * {@code W1 (B×9R), W2 (9R×6R), W3 (6R×3R), W4 (3R×R)} row-major (input index major), γ, β, α (R each).
 */
public final class AbundanceEncoderKernel implements EncoderKernel {
  /** Slope of LeakyReLU for negative inputs (reference: 0.1). */
  public static final float LEAKY_SLOPE = 0.1f;
  /** Batch-normalisation ε added to the variance (Keras' default). */
  public static final double BATCH_NORM_EPSILON = BatchNormalisation.EPSILON;
  /** Weight of the old running mean/variance in each update (Keras' momentum 0.99). */
  public static final double BATCH_NORM_MOMENTUM = BatchNormalisation.MOMENTUM;
  /** Thresholded values below this are set to zero before normalising to sum one (Keras' ε, 1e-7). */
  public static final float SUM_TO_ONE_EPSILON = 1e-7f;

  /** How {@link #forward} normalises. */
  public enum Mode {
    /** Batch statistics, and the running estimates in the parameter vector are updated. */
    TRAIN,
    /** Batch statistics, running estimates left alone (recomputing a training pass). */
    TRAIN_NO_UPDATE,
    /** Running estimates (inference). */
    INFER
  }

  private final int channels;
  private final int endmembers;
  private final int[] width;
  private final int[] weightOffset = new int[4];
  private final int gammaOffset;
  private final int betaOffset;
  private final int alphaOffset;
  private final int meanOffset;
  private final int varianceOffset;
  private final int parameterCount;
  private final BatchNormalisation.Offsets batchNorm;

  private int capacity;
  private int cachedPixels = -1;
  private float[][] pre = new float[4][];
  private float[][] act = new float[4][];
  private float[][] delta = new float[4][];
  private float[] normalised;
  private float[] thresholded;
  private float[] abundances;
  private float[] dNormalised;
  private final double[] mean;
  private final double[] std;
  private final double[] sum1;
  private final double[] sum2;

  /**
   * @param channels B, the spectrum length
   * @param endmembers R
   */
  public AbundanceEncoderKernel(int channels, int endmembers) {
    if (channels < 1 || endmembers < 1) {
      throw new IllegalArgumentException("the encoder needs B ≥ 1 channels and R ≥ 1 endmembers, got B=" + channels
          + ", R=" + endmembers);
    }
    this.channels = channels;
    this.endmembers = endmembers;
    this.width = new int[] {channels, 9 * endmembers, 6 * endmembers, 3 * endmembers, endmembers};
    meanOffset = 0;
    varianceOffset = endmembers;
    int offset = 2 * endmembers;
    for (int l = 0; l < 4; l++) {
      weightOffset[l] = offset;
      offset += width[l] * width[l + 1];
    }
    gammaOffset = offset;
    betaOffset = gammaOffset + endmembers;
    alphaOffset = betaOffset + endmembers;
    parameterCount = alphaOffset + endmembers;
    batchNorm = new BatchNormalisation.Offsets(gammaOffset, betaOffset, meanOffset, varianceOffset);
    mean = new double[endmembers];
    std = new double[endmembers];
    sum1 = new double[endmembers];
    sum2 = new double[endmembers];
  }

  /** Number of parameters (the length of the flat vector). */
  public static int parameterCount(int channels, int endmembers) {
    int r = endmembers;
    return channels * 9 * r + 9 * r * 6 * r + 6 * r * 3 * r + 3 * r * r + 5 * r;
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  @Override
  public int rowsPerSample() {
    return 1;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int endmembers() {
    return endmembers;
  }

  /** Width of dense layer {@code l} (0..3): its input is {@code width(l)} wide, output {@code width(l + 1)}. */
  int width(int l) {
    return width[l];
  }

  /** Offset of dense weight matrix {@code l} (0..3) in the parameter vector. */
  int weightOffset(int l) {
    return weightOffset[l];
  }

  int gammaOffset() {
    return gammaOffset;
  }

  int betaOffset() {
    return betaOffset;
  }

  int alphaOffset() {
    return alphaOffset;
  }

  int meanOffset() {
    return meanOffset;
  }

  /** Offset of the trained parameters (everything after the running statistics). */
  int trainedOffset() {
    return weightOffset[0];
  }

  int varianceOffset() {
    return varianceOffset;
  }

  private void ensureCapacity(int pixels) {
    if (pixels <= capacity) {
      return;
    }
    for (int l = 0; l < 4; l++) {
      pre[l] = new float[pixels * width[l + 1]];
      act[l] = new float[pixels * width[l + 1]];
      delta[l] = new float[pixels * width[l + 1]];
    }
    normalised = new float[pixels * endmembers];
    thresholded = new float[pixels * endmembers];
    abundances = new float[pixels * endmembers];
    dNormalised = new float[pixels * endmembers];
    capacity = pixels;
  }

  /**
   * Encodes {@code pixels} spectra.
   *
   * @param x spectra, {@code pixels × B} row-major, from {@code xOffset} (not modified)
   * @param pixels number of spectra (≥ 1; batch statistics need ≥ 2 to be informative)
   * @param params the flat parameter vector; in {@link Mode#TRAIN} its running mean and variance are updated
   * @param mode batch or running statistics
   * @param out abundances, {@code pixels × R} row-major, from {@code outOffset} (overwritten)
   */
  @Override
  public void forward(float[] x, int xOffset, int pixels, float[] params, Mode mode, float[] out, int outOffset) {
    ensureCapacity(pixels);
    float[] in = x;
    int inBase = xOffset;
    for (int l = 0; l < 4; l++) {
      DenseMath.forward(in, inBase, pixels, width[l], params, weightOffset[l], -1, width[l + 1], pre[l], 0);
      DenseMath.leakyRelu(pre[l], 0, pixels * width[l + 1], LEAKY_SLOPE, act[l]);
      in = act[l];
      inBase = 0;
    }
    BatchNormalisation.forward(act[3], 0, pixels, endmembers, params, batchNorm, mode, mean, std, sum1, normalised, 0);
    int r = endmembers;
    for (int p = 0; p < pixels; p++) {
      double total = 0;
      for (int k = 0; k < r; k++) {
        float t = Math.max(normalised[p * r + k] - params[alphaOffset + k], 0f);
        thresholded[p * r + k] = t;
        total += t >= SUM_TO_ONE_EPSILON ? t : 0f;
      }
      for (int k = 0; k < r; k++) {
        float t = thresholded[p * r + k];
        float a = total > 0 ? (t >= SUM_TO_ONE_EPSILON ? (float) (t / total) : 0f) : 1f / r;
        abundances[p * r + k] = a;
        out[outOffset + p * r + k] = a;
      }
    }
    cachedPixels = mode == Mode.INFER ? -1 : pixels;
  }

  /** Whether the last forward pass was a training pass over {@code pixels} spectra (what {@link #backward} needs). */
  @Override
  public boolean holdsTrainingPass(int pixels) {
    return cachedPixels == pixels;
  }

  /**
   * Back-propagates the gradient of a loss with respect to the abundances of the last training forward pass
   * (same {@code x}, {@code pixels} and {@code params}).
   *
   * @param dAbundances ∂L/∂a, {@code pixels × R}, from {@code dOffset}
   * @param gradient ∂L/∂params, summed over the pixels (overwritten; zero for the running statistics)
   * @param dx ∂L/∂x, {@code pixels × B} (overwritten), or {@code null} when not needed
   * @throws IllegalStateException when the last forward pass was not a training pass over {@code pixels} spectra
   */
  @Override
  public void backward(float[] x, int xOffset, int pixels, float[] params, float[] dAbundances, int dOffset,
      float[] gradient, float[] dx) {
    if (!holdsTrainingPass(pixels)) {
      throw new IllegalStateException("backward needs the training forward pass of the same " + pixels + " spectra");
    }
    int r = endmembers;
    Arrays.fill(gradient, 0, parameterCount, 0f);
    // Sum-to-one and soft threshold: a = u / Σu with u = t (t ≥ ε) or 0, t = relu(y − α).
    for (int p = 0; p < pixels; p++) {
      double total = 0;
      double projected = 0;
      for (int k = 0; k < r; k++) {
        float t = thresholded[p * r + k];
        if (t >= SUM_TO_ONE_EPSILON) {
          total += t;
          projected += dAbundances[dOffset + p * r + k] * abundances[p * r + k];
        }
      }
      for (int k = 0; k < r; k++) {
        float t = thresholded[p * r + k];
        float dy = 0f;
        if (total > 0 && t >= SUM_TO_ONE_EPSILON) {
          dy = (float) ((dAbundances[dOffset + p * r + k] - projected) / total);
        }
        dNormalised[p * r + k] = dy;
        gradient[alphaOffset + k] -= dy;
      }
    }
    // Batch normalisation with batch statistics, then the dense layers, last to first.
    BatchNormalisation.backward(act[3], 0, pixels, r, params, batchNorm, mean, std, sum1, sum2, dNormalised, 0,
        gradient, delta[3], 0);
    for (int l = 3; l >= 0; l--) {
      DenseMath.leakyReluBackward(pre[l], 0, pixels * width[l + 1], LEAKY_SLOPE, delta[l]);
      float[] in = l == 0 ? x : act[l - 1];
      int inBase = l == 0 ? xOffset : 0;
      float[] dIn = l == 0 ? dx : delta[l - 1];
      DenseMath.backward(in, inBase, pixels, width[l], params, weightOffset[l], -1, width[l + 1], delta[l], 0,
          gradient, dIn, 0);
    }
  }
}
