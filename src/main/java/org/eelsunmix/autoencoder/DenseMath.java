package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * The dense (fully connected) layer and LeakyReLU of the autoencoders' plain-Java kernels, forward and backward, on
 * row-major batches: {@code z = x W + b} with {@code W} stored input-index major ({@code W[i][j]} at
 * {@code wOffset + i·out + j}) in a flat parameter vector, {@code h = max(z, slope·z)}. One implementation shared by
 * {@link AbundanceEncoderKernel} (DAEU) and {@link MultitaskEncoderKernel} (MTAEU). No allocation.
 */
final class DenseMath {
  private DenseMath() {}

  /**
   * {@code z[zBase + p·out + j] = Σ_i x[p][i] W[i][j] (+ b[j])} for {@code rows} rows.
   *
   * @param biasOffset offset of the {@code out} biases in {@code params}, or −1 for no bias
   */
  static void forward(float[] x, int xBase, int rows, int in, float[] params, int wOffset, int biasOffset, int out,
      float[] z, int zBase) {
    for (int p = 0; p < rows; p++) {
      int zRow = zBase + p * out;
      if (biasOffset >= 0) {
        System.arraycopy(params, biasOffset, z, zRow, out);
      } else {
        Arrays.fill(z, zRow, zRow + out, 0f);
      }
      int xRow = xBase + p * in;
      for (int i = 0; i < in; i++) {
        float xi = x[xRow + i];
        if (xi == 0f) {
          continue;
        }
        int wRow = wOffset + i * out;
        for (int j = 0; j < out; j++) {
          z[zRow + j] += xi * params[wRow + j];
        }
      }
    }
  }

  /**
   * Adds ∂L/∂W (and ∂L/∂b) of {@code rows} rows to {@code gradient} and writes ∂L/∂x into {@code dx} (when not
   * null), given ∂L/∂z in {@code dz}.
   */
  static void backward(float[] x, int xBase, int rows, int in, float[] params, int wOffset, int biasOffset, int out,
      float[] dz, int dzBase, float[] gradient, float[] dx, int dxBase) {
    for (int p = 0; p < rows; p++) {
      int dRow = dzBase + p * out;
      if (biasOffset >= 0) {
        for (int j = 0; j < out; j++) {
          gradient[biasOffset + j] += dz[dRow + j];
        }
      }
      int xRow = xBase + p * in;
      for (int i = 0; i < in; i++) {
        float xi = x[xRow + i];
        int wRow = wOffset + i * out;
        float back = 0f;
        for (int j = 0; j < out; j++) {
          float d = dz[dRow + j];
          gradient[wRow + j] += xi * d;
          back += params[wRow + j] * d;
        }
        if (dx != null) {
          dx[dxBase + p * in + i] = back;
        }
      }
    }
  }

  /** {@code h[i] = max(z[i], slope·z[i])} for {@code n} values from {@code base}. */
  static void leakyRelu(float[] z, int base, int n, float slope, float[] h) {
    for (int i = base; i < base + n; i++) {
      float v = z[i];
      h[i] = v > 0 ? v : slope * v;
    }
  }

  /** Turns ∂L/∂h into ∂L/∂z in place: multiplies by {@code slope} where {@code z ≤ 0}. */
  static void leakyReluBackward(float[] z, int base, int n, float slope, float[] d) {
    for (int i = base; i < base + n; i++) {
      if (z[i] <= 0) {
        d[i] *= slope;
      }
    }
  }
}
