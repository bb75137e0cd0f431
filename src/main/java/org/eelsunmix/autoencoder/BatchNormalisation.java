package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * Batch normalisation (Ioffe &amp; Szegedy, ICML 2015) as Keras computes it, the one implementation used by the
 * autoencoders' plain-Java kernels: {@code y = γ (h − μ)/√(σ² + ε) + β} per unit, with ε =
 * {@value #EPSILON}. In training μ and σ² are the batch mean and biased variance and the running estimates move as
 * {@code m ← 0.99 m + 0.01 μ} ({@link AbundanceEncoderKernel.Mode#TRAIN} only); in inference the running estimates
 * are used. Backward is the standard batch-statistics gradient. {@link #forwardPlanes} and {@link #backwardPlanes}
 * are the same on NCHW batches, statistics per channel over batch and positions (CNNAEU's
 * {@link FusedBatchNormalizationLayer}).
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

  /**
   * The training forward pass on NCHW planes ({@code x[(i·C + c)·area + p]}, statistics per channel over the
   * {@code n·area} values of the batch, as DL4J's and Keras' convolutional batch normalisation):
   * {@code y = γ_c (x − μ_c)/√(σ²_c + ε) + β_c}, μ and the biased σ² of the batch. Leaves μ, σ² and
   * {@code √(σ² + ε)} in {@code mean}, {@code variance}, {@code std}.
   */
  static void forwardPlanes(double[] x, int n, int channels, int area, double[] gamma, double[] beta, double eps,
      double[] mean, double[] variance, double[] std, double[] y) {
    forwardPlanes(x, n, channels, area, 0, channels, gamma, beta, eps, mean, variance, std, y);
  }

  /**
   * {@link #forwardPlanes(double[], int, int, int, double[], double[], double, double[], double[], double[],
   * double[])} for channels {@code from ≤ c < to} only (each channel's arithmetic is its own, so threads may take
   * disjoint ranges: same values bit for bit).
   */
  static void forwardPlanes(double[] x, int n, int channels, int area, int from, int to, double[] gamma,
      double[] beta, double eps, double[] mean, double[] variance, double[] std, double[] y) {
    double count = (double) n * area;
    for (int c = from; c < to; c++) {
      double sum = 0;
      for (int i = 0; i < n; i++) {
        int at = (i * channels + c) * area;
        for (int p = 0; p < area; p++) {
          sum += x[at + p];
        }
      }
      double mu = sum / count;
      double squares = 0;
      for (int i = 0; i < n; i++) {
        int at = (i * channels + c) * area;
        for (int p = 0; p < area; p++) {
          double d = x[at + p] - mu;
          squares += d * d;
        }
      }
      mean[c] = mu;
      variance[c] = squares / count;
      std[c] = Math.sqrt(variance[c] + eps);
      double scale = gamma[c] / std[c];
      for (int i = 0; i < n; i++) {
        int at = (i * channels + c) * area;
        for (int p = 0; p < area; p++) {
          y[at + p] = (x[at + p] - mu) * scale + beta[c];
        }
      }
    }
  }

  /**
   * The backward pass of {@link #forwardPlanes} with its batch statistics: {@code ∂γ_c = Σ dy·x̂}, {@code ∂β_c = Σ dy}
   * (overwritten) and {@code ∂x = γ_c/(N σ_c) (N dy − ∂β_c − x̂ ∂γ_c)}, {@code x̂ = (x − μ_c)/σ_c}, N = n·area.
   */
  static void backwardPlanes(double[] x, int n, int channels, int area, double[] gamma, double[] mean,
      double[] std, double[] dy, double[] dGamma, double[] dBeta, double[] dx) {
    backwardPlanes(x, n, channels, area, 0, channels, gamma, mean, std, dy, dGamma, dBeta, dx);
  }

  /** {@link #backwardPlanes(double[], int, int, int, double[], double[], double[], double[], double[], double[],
   * double[])} for channels {@code from ≤ c < to} only (bit for bit the same values for them). */
  static void backwardPlanes(double[] x, int n, int channels, int area, int from, int to, double[] gamma,
      double[] mean, double[] std, double[] dy, double[] dGamma, double[] dBeta, double[] dx) {
    double count = (double) n * area;
    for (int c = from; c < to; c++) {
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int i = 0; i < n; i++) {
        int at = (i * channels + c) * area;
        for (int p = 0; p < area; p++) {
          double d = dy[at + p];
          sumDy += d;
          sumDyXhat += d * (x[at + p] - mean[c]);
        }
      }
      sumDyXhat /= std[c];
      dGamma[c] = sumDyXhat;
      dBeta[c] = sumDy;
      double scale = gamma[c] / (count * std[c]);
      for (int i = 0; i < n; i++) {
        int at = (i * channels + c) * area;
        for (int p = 0; p < area; p++) {
          double xhat = (x[at + p] - mean[c]) / std[c];
          dx[at + p] = scale * (count * dy[at + p] - sumDy - xhat * sumDyXhat);
        }
      }
    }
  }
}
