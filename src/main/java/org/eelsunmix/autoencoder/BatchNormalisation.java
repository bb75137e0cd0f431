package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * Batch normalisation (Ioffe &amp; Szegedy, ICML 2015) as Keras computes it, the one implementation used by the
 * autoencoders' plain-Java kernels: {@code y = γ (h − μ)/√(σ² + ε) + β} per unit, with ε =
 * {@value #EPSILON}. In training μ and σ² are the batch mean and biased variance and the running estimates move as
 * {@code m ← 0.99 m + 0.01 μ} ({@link AbundanceEncoderKernel.Mode#TRAIN} only); in inference the running estimates
 * are used. Backward is the standard batch-statistics gradient.
 *
 * <p>Batches are row-major ({@code rows × width} from a base offset); γ, β, running mean and variance live in a flat
 * parameter vector at the given offsets. The caller owns the work arrays {@code mean}, {@code std}, {@code sum1},
 * {@code sum2} (at least {@code width} long), which carry the statistics from forward to backward.
 */
final class BatchNormalisation {
  /** ε added to the variance (Keras' default). */
  static final double EPSILON = 1e-3;
  /** Weight of the old running mean/variance in each update (Keras' momentum 0.99). */
  static final double MOMENTUM = 0.99;

  /** Offsets of one normalisation's values in a flat parameter vector (γ, β trained; mean, variance running). */
  record Offsets(int gamma, int beta, int mean, int variance) {}

  private BatchNormalisation() {}

  /** Normalises {@code h} into {@code out}; leaves μ and √(σ² + ε) in {@code mean} and {@code std}. */
  static void forward(float[] h, int base, int rows, int width, float[] params, Offsets o,
      AbundanceEncoderKernel.Mode mode, double[] mean, double[] std, double[] sum, float[] out, int outBase) {
    if (mode == AbundanceEncoderKernel.Mode.INFER) {
      for (int k = 0; k < width; k++) {
        mean[k] = params[o.mean() + k];
        std[k] = Math.sqrt(params[o.variance() + k] + EPSILON);
      }
    } else {
      Arrays.fill(mean, 0, width, 0);
      Arrays.fill(sum, 0, width, 0);
      for (int p = 0; p < rows; p++) {
        for (int k = 0; k < width; k++) {
          mean[k] += h[base + p * width + k];
        }
      }
      for (int k = 0; k < width; k++) {
        mean[k] /= rows;
      }
      for (int p = 0; p < rows; p++) {
        for (int k = 0; k < width; k++) {
          double d = h[base + p * width + k] - mean[k];
          sum[k] += d * d;
        }
      }
      for (int k = 0; k < width; k++) {
        double variance = sum[k] / rows;
        std[k] = Math.sqrt(variance + EPSILON);
        if (mode == AbundanceEncoderKernel.Mode.TRAIN) {
          params[o.mean() + k] = (float) (MOMENTUM * params[o.mean() + k] + (1 - MOMENTUM) * mean[k]);
          params[o.variance() + k] = (float) (MOMENTUM * params[o.variance() + k] + (1 - MOMENTUM) * variance);
        }
      }
    }
    for (int p = 0; p < rows; p++) {
      for (int k = 0; k < width; k++) {
        double xhat = (h[base + p * width + k] - mean[k]) / std[k];
        out[outBase + p * width + k] = (float) (params[o.gamma() + k] * xhat + params[o.beta() + k]);
      }
    }
  }

  /**
   * Given ∂L/∂y in {@code dy}, adds ∂L/∂γ and ∂L/∂β to {@code gradient} and writes ∂L/∂h into {@code dh}, using
   * the batch statistics {@code mean}, {@code std} left by the training {@link #forward} of the same {@code h}.
   */
  static void backward(float[] h, int base, int rows, int width, float[] params, Offsets o, double[] mean,
      double[] std, double[] sum1, double[] sum2, float[] dy, int dyBase, float[] gradient, float[] dh, int dhBase) {
    Arrays.fill(sum1, 0, width, 0);
    Arrays.fill(sum2, 0, width, 0);
    for (int p = 0; p < rows; p++) {
      for (int k = 0; k < width; k++) {
        double xhat = (h[base + p * width + k] - mean[k]) / std[k];
        float d = dy[dyBase + p * width + k];
        gradient[o.gamma() + k] += (float) (d * xhat);
        gradient[o.beta() + k] += d;
        double dxhat = d * params[o.gamma() + k];
        sum1[k] += dxhat;
        sum2[k] += dxhat * xhat;
      }
    }
    for (int p = 0; p < rows; p++) {
      for (int k = 0; k < width; k++) {
        double xhat = (h[base + p * width + k] - mean[k]) / std[k];
        double dxhat = dy[dyBase + p * width + k] * params[o.gamma() + k];
        dh[dhBase + p * width + k] = (float) ((rows * dxhat - sum1[k] - xhat * sum2[k]) / (rows * std[k]));
      }
    }
  }
}
