package org.eelsunmix.autoencoder;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arithmetic of the MTAEU encoder (Palsson, Sveinsson &amp; Ulfarsson, "Spectral-spatial hyperspectral unmixing
 * using multitask learning", IEEE Access 7:148861–148872, 2019): {@value #TASKS} neighbouring pixels are
 * {@value #TASKS} tasks that share a hidden layer and have their own abundance heads.
 *
 * <ul>
 *   <li>shared layer, applied to each task's spectrum with the same weights: additive Gaussian noise
 *       (σ = {@value #NOISE}, training only), dense B → B with bias, LeakyReLU(0.2), dropout 0.5 (training only,
 *       inverted: kept values doubled), batch normalisation (shared γ, β and running statistics; each task's batch
 *       normalised with its own batch statistics, as a shared Keras layer called once per task does);</li>
 *   <li>head t: dense B → R with bias, LeakyReLU(0.2), batch normalisation (its own), dropout 0.1, and the
 *       abundance layer {@link ScaledSoftmax} ({@code softmax(3x)}).</li>
 * </ul>
 *
 * <p>A batch of n samples is {@code 4n} rows, task-major: rows {@code t·n .. t·n + n − 1} are task t's spectra
 * (B each), and the output rows the abundances head t gives them (R each). Noise and dropout masks come from the
 * kernel's own seeded generator, drawn in {@link AbundanceEncoderKernel.Mode#TRAIN} and reused by
 * {@link AbundanceEncoderKernel.Mode#TRAIN_NO_UPDATE} (recomputing that pass, or checking gradients);
 * {@link AbundanceEncoderKernel.Mode#INFER} uses neither and the running statistics.
 *
 * <p>Parameters are one flat float vector: first the running statistics (not trained) — shared mean and variance
 * (B each), then head t's mean and variance (R each) for t = 0..3 — then the trained values: {@code W0 (B×B)},
 * {@code b0}, γ0, β0 (B each), and for each head {@code Wt (B×R)}, {@code bt}, γt, βt (R each). Dense weights are
 * input-index major ({@link DenseMath}). In training the shared layer, B × B and nearly all of the arithmetic, runs as
 * whole-batch GEMMs ({@link DenseGemm}: equal to the loops within float rounding, the same for any thread count);
 * inference keeps the loops, whose result for a pixel does not depend on the pixels batched with it. The heads
 * (B × R) and the rest are plain loops. Work buffers are owned by the instance and grow with the batch; not
 * thread-safe (one instance per network).
 */
public final class MultitaskEncoderKernel implements EncoderKernel {
  /** Neighbouring pixels per sample (tasks). */
  public static final int TASKS = 4;
  /** Standard deviation of the input noise (the reference's GaussianNoise(0.05), on data scaled to max 1). */
  public static final double NOISE = 0.05;
  /** Dropout rate after the shared layer. */
  public static final double SHARED_DROPOUT = 0.5;
  /** Dropout rate in the heads, before the softmax. */
  public static final double HEAD_DROPOUT = 0.1;
  /** LeakyReLU slope of every dense layer. */
  public static final float LEAKY_SLOPE = 0.2f;

  private final int channels;
  private final int endmembers;
  private final int hidden;
  private final int statisticsCount;
  private final int parameterCount;
  private final int w0;
  private final int b0;
  private final BatchNormalisation.Offsets sharedNorm;
  private final int[] headWeights = new int[TASKS];
  private final int[] headBias = new int[TASKS];
  private final BatchNormalisation.Offsets[] headNorm = new BatchNormalisation.Offsets[TASKS];
  private final SplittableRandom random;
  /** The shared B × B layer as GEMMs, made on the first pass (a kernel built to count parameters needs none). */
  private DenseGemm sharedGemm;
  /** Whether the shared layer runs on {@link DenseMath}'s loops instead (the reference the tests compare with). */
  private boolean plainShared;

  private int capacity;
  private int cachedSamples = -1;
  private int maskSamples = -1;
  private float[] noisy = new float[0];
  private float[] noise = new float[0];
  private float[] pre0 = new float[0];
  private float[] dropped0 = new float[0];
  private float[] mask0 = new float[0];
  private float[] shared = new float[0];
  private float[] pre1 = new float[0];
  private float[] act1 = new float[0];
  private float[] normed1 = new float[0];
  private float[] mask1 = new float[0];
  private float[] abundances = new float[0];
  private float[] d0 = new float[0];
  private float[] dShared = new float[0];
  private float[] d1 = new float[0];
  private float[] dNormed1 = new float[0];
  private final double[][] sharedMean = new double[TASKS][];
  private final double[][] sharedStd = new double[TASKS][];
  private final double[][] headMean = new double[TASKS][];
  private final double[][] headStd = new double[TASKS][];
  private final double[] sum1;
  private final double[] sum2;

  /**
   * @param channels B, the spectrum length (also the shared layer's width)
   * @param endmembers R
   * @param seed seeds the input noise and the dropout masks
   */
  public MultitaskEncoderKernel(int channels, int endmembers, long seed) {
    if (channels < 1 || endmembers < 1) {
      throw new IllegalArgumentException("the encoder needs B ≥ 1 channels and R ≥ 1 endmembers, got B=" + channels
          + ", R=" + endmembers);
    }
    this.channels = channels;
    this.endmembers = endmembers;
    this.hidden = channels;
    this.random = new SplittableRandom(seed);
    int h = hidden;
    int r = endmembers;
    int offset = 2 * h + TASKS * 2 * r;
    statisticsCount = offset;
    w0 = offset;
    offset += channels * h;
    b0 = offset;
    offset += h;
    sharedNorm = new BatchNormalisation.Offsets(offset, offset + h, 0, h);
    offset += 2 * h;
    for (int t = 0; t < TASKS; t++) {
      headWeights[t] = offset;
      offset += h * r;
      headBias[t] = offset;
      offset += r;
      int statistics = 2 * h + t * 2 * r;
      headNorm[t] = new BatchNormalisation.Offsets(offset, offset + r, statistics, statistics + r);
      offset += 2 * r;
    }
    parameterCount = offset;
    for (int t = 0; t < TASKS; t++) {
      sharedMean[t] = new double[h];
      sharedStd[t] = new double[h];
      headMean[t] = new double[r];
      headStd[t] = new double[r];
    }
    sum1 = new double[Math.max(h, r)];
    sum2 = new double[Math.max(h, r)];
  }

  /**
   * Computes the shared layer with {@link DenseMath}'s loops (the implementation before {@link DenseGemm}) instead
   * of GEMMs: the reference the tests compare with. Returns this kernel.
   */
  MultitaskEncoderKernel plainSharedLayer() {
    plainShared = true;
    return this;
  }

  private DenseGemm sharedGemm() {
    if (sharedGemm == null) {
      sharedGemm = new DenseGemm(channels, hidden);
    }
    return sharedGemm;
  }

  /**
   * The shared layer's {@code z = x W0 + b0} for {@code rows} rows into {@link #pre0}: as GEMMs for a training batch,
   * on the loops for inference. A GEMM's rounding of one row depends on the rows beside it (BLAS blocks them), while
   * the loops give every row the sums it has alone ({@link DenseMath#forward}): inference must not depend on how the
   * pixels are batched or partitioned, and a training batch is fixed by the seed.
   */
  private void sharedForward(float[] in, int inBase, int rows, float[] params, boolean training) {
    if (plainShared || !training) {
      DenseMath.forward(in, inBase, rows, channels, params, w0, b0, hidden, pre0, 0);
    } else {
      sharedGemm().forward(in, inBase, rows, params, w0, b0, pre0, 0);
    }
  }

  /** Number of parameters (the length of the flat vector) for B channels and R endmembers. */
  public static int parameterCount(int channels, int endmembers) {
    return new MultitaskEncoderKernel(channels, endmembers, 0).parameterCount;
  }

  @Override
  public int parameterCount() {
    return parameterCount;
  }

  /** Number of running statistics at the start of the vector (not trained). */
  public int statisticsCount() {
    return statisticsCount;
  }

  @Override
  public int rowsPerSample() {
    return TASKS;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int endmembers() {
    return endmembers;
  }

  /** Offsets of the shared dense weights and bias. */
  int sharedWeights() {
    return w0;
  }

  int sharedBias() {
    return b0;
  }

  BatchNormalisation.Offsets sharedNorm() {
    return sharedNorm;
  }

  int headWeights(int t) {
    return headWeights[t];
  }

  int headBias(int t) {
    return headBias[t];
  }

  BatchNormalisation.Offsets headNorm(int t) {
    return headNorm[t];
  }

  private void ensureCapacity(int rows) {
    if (rows <= capacity) {
      return;
    }
    int b = channels;
    int h = hidden;
    int r = endmembers;
    noisy = new float[rows * b];
    noise = new float[rows * b];
    pre0 = new float[rows * h];
    dropped0 = new float[rows * h];
    mask0 = new float[rows * h];
    shared = new float[rows * h];
    d0 = new float[rows * h];
    dShared = new float[rows * h];
    pre1 = new float[rows * r];
    act1 = new float[rows * r];
    normed1 = new float[rows * r];
    mask1 = new float[rows * r];
    abundances = new float[rows * r];
    d1 = new float[rows * r];
    dNormed1 = new float[rows * r];
    capacity = rows;
  }

  /**
   * Fills {@code mask[0 .. n)} with 0 (dropped, where the draw u &lt; {@code rate}) or {@code 1/(1 − rate)}. The
   * choice is the sign bit of {@code u − rate}, not a branch: at rate 0.5 a branch is mispredicted half the time, and
   * the 54 000 draws of a k-edges batch were a tenth of the step beside the GEMMs.
   */
  private void drawMask(float[] mask, int n, double rate) {
    float kept = (float) (1 / (1 - rate));
    for (int i = 0; i < n; i++) {
      // 1 where u ≥ rate (u − rate is +0 or positive), 0 where u < rate.
      long kept01 = (Double.doubleToRawLongBits(random.nextDouble() - rate) >>> 63) ^ 1L;
      mask[i] = kept01 * kept;
    }
  }

  /**
   * Encodes a batch of {@code samples} neighbourhoods.
   *
   * @param x spectra, {@code 4·samples × B} row-major task-major, from {@code xOffset} (not modified)
   * @param params the flat parameter vector; in {@link AbundanceEncoderKernel.Mode#TRAIN} its running statistics
   *     are updated
   * @param out each row's abundances from its task's head, {@code 4·samples × R}, from {@code outOffset}
   */
  @Override
  public void forward(float[] x, int xOffset, int samples, float[] params, AbundanceEncoderKernel.Mode mode,
      float[] out, int outOffset) {
    int rows = TASKS * samples;
    ensureCapacity(rows);
    int b = channels;
    int h = hidden;
    int r = endmembers;
    boolean training = mode != AbundanceEncoderKernel.Mode.INFER;
    if (mode == AbundanceEncoderKernel.Mode.TRAIN) {
      for (int i = 0; i < rows * b; i++) {
        noise[i] = (float) (NOISE * random.nextGaussian());
      }
      drawMask(mask0, rows * h, SHARED_DROPOUT);
      drawMask(mask1, rows * r, HEAD_DROPOUT);
      maskSamples = samples;
    } else if (training && maskSamples != samples) {
      throw new IllegalStateException("recomputing a training pass needs the masks of a training pass of " + samples
          + " samples");
    }
    float[] in = x;
    int inBase = xOffset;
    if (training) {
      for (int i = 0; i < rows * b; i++) {
        noisy[i] = x[xOffset + i] + noise[i];
      }
      in = noisy;
      inBase = 0;
    }
    sharedForward(in, inBase, rows, params, training);
    DenseMath.leakyRelu(pre0, 0, rows * h, LEAKY_SLOPE, dropped0);
    if (training) {
      for (int i = 0; i < rows * h; i++) {
        dropped0[i] *= mask0[i];
      }
    }
    for (int t = 0; t < TASKS; t++) {
      int base = t * samples;
      BatchNormalisation.forward(dropped0, base * h, samples, h, params, sharedNorm, mode, sharedMean[t],
          sharedStd[t], sum1, shared, base * h);
      DenseMath.forward(shared, base * h, samples, h, params, headWeights[t], headBias[t], r, pre1, base * r);
      DenseMath.leakyRelu(pre1, base * r, samples * r, LEAKY_SLOPE, act1);
      BatchNormalisation.forward(act1, base * r, samples, r, params, headNorm[t], mode, headMean[t], headStd[t], sum1,
          normed1, base * r);
    }
    for (int i = 0; i < rows * r; i++) {
      abundances[i] = training ? normed1[i] * mask1[i] : normed1[i];
    }
    for (int p = 0; p < rows; p++) {
      ScaledSoftmax.forward(abundances, p * r, 1, r, ScaledSoftmax.PAPER_SCALE, abundances);
    }
    System.arraycopy(abundances, 0, out, outOffset, rows * r);
    // An inference pass overwrites the buffers backward needs (the masks stay).
    cachedSamples = training ? samples : -1;
  }

  /**
   * Inference of every head on single pixels: in inference mode a head's output for a pixel depends on that pixel
   * alone (shared layer and normalisations use fixed statistics), so the shared layer runs once per pixel and the
   * four heads on its output — a quarter of the shared layer's work of {@link #forward} on four copies.
   *
   * @param x spectra, {@code pixels × B} from {@code xOffset}
   * @param out head t's abundances for pixel p at {@code (p·4 + t)·R}
   */
  public void inferEveryHead(float[] x, int xOffset, int pixels, float[] params, float[] out) {
    ensureCapacity(pixels);
    int h = hidden;
    int r = endmembers;
    AbundanceEncoderKernel.Mode infer = AbundanceEncoderKernel.Mode.INFER;
    sharedForward(x, xOffset, pixels, params, false);
    DenseMath.leakyRelu(pre0, 0, pixels * h, LEAKY_SLOPE, dropped0);
    BatchNormalisation.forward(dropped0, 0, pixels, h, params, sharedNorm, infer, sharedMean[0], sharedStd[0], sum1,
        shared, 0);
    for (int t = 0; t < TASKS; t++) {
      DenseMath.forward(shared, 0, pixels, h, params, headWeights[t], headBias[t], r, pre1, 0);
      DenseMath.leakyRelu(pre1, 0, pixels * r, LEAKY_SLOPE, act1);
      BatchNormalisation.forward(act1, 0, pixels, r, params, headNorm[t], infer, headMean[t], headStd[t], sum1,
          normed1, 0);
      for (int p = 0; p < pixels; p++) {
        ScaledSoftmax.forward(normed1, p * r, 1, r, ScaledSoftmax.PAPER_SCALE, normed1);
        System.arraycopy(normed1, p * r, out, (p * TASKS + t) * r, r);
      }
    }
    cachedSamples = -1;
  }

  /** Whether the last training pass was over {@code samples} samples (what {@link #backward} needs). */
  @Override
  public boolean holdsTrainingPass(int samples) {
    return cachedSamples == samples;
  }

  /**
   * Back-propagates ∂L/∂a of the last training forward pass (same {@code x}, {@code samples}, {@code params}).
   *
   * @param gradient ∂L/∂params summed over the rows (overwritten; zero for the running statistics)
   * @param dx ∂L/∂x, {@code 4·samples × B} (overwritten), or {@code null} when not needed
   */
  @Override
  public void backward(float[] x, int xOffset, int samples, float[] params, float[] dAbundances, int dOffset,
      float[] gradient, float[] dx) {
    if (!holdsTrainingPass(samples)) {
      throw new IllegalStateException("backward needs the training forward pass of the same " + samples + " samples");
    }
    int rows = TASKS * samples;
    int b = channels;
    int h = hidden;
    int r = endmembers;
    Arrays.fill(gradient, 0, parameterCount, 0f);
    for (int p = 0; p < rows; p++) {
      System.arraycopy(dAbundances, dOffset + p * r, d1, p * r, r);
      ScaledSoftmax.backward(abundances, d1, p * r, 1, r, ScaledSoftmax.PAPER_SCALE, d1);
    }
    for (int i = 0; i < rows * r; i++) {
      d1[i] *= mask1[i];
    }
    for (int t = 0; t < TASKS; t++) {
      int base = t * samples;
      BatchNormalisation.backward(act1, base * r, samples, r, params, headNorm[t], headMean[t], headStd[t], sum1, sum2,
          d1, base * r, gradient, dNormed1, base * r);
      DenseMath.leakyReluBackward(pre1, base * r, samples * r, LEAKY_SLOPE, dNormed1);
      DenseMath.backward(shared, base * h, samples, h, params, headWeights[t], headBias[t], r, dNormed1, base * r,
          gradient, dShared, base * h);
      BatchNormalisation.backward(dropped0, base * h, samples, h, params, sharedNorm, sharedMean[t], sharedStd[t],
          sum1, sum2, dShared, base * h, gradient, d0, base * h);
    }
    for (int i = 0; i < rows * h; i++) {
      d0[i] *= mask0[i];
    }
    DenseMath.leakyReluBackward(pre0, 0, rows * h, LEAKY_SLOPE, d0);
    if (plainShared) {
      DenseMath.backward(noisy, 0, rows, b, params, w0, b0, h, d0, 0, gradient, dx, 0);
    } else {
      sharedGemm().backward(noisy, 0, rows, params, w0, b0, d0, 0, gradient, dx, 0);
    }
  }
}
