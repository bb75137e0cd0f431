package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * The dense (fully connected) layer and LeakyReLU of the autoencoders' plain-Java kernels, forward and backward, on
 * row-major batches: {@code z = x W + b} with {@code W} stored input-index major ({@code W[i][j]} at
 * {@code wOffset + i·out + j}) in a flat parameter vector, {@code h = max(z, slope·z)}. One implementation shared by
 * {@link AbundanceEncoderKernel} (DAEU) and {@link MultitaskEncoderKernel} (MTAEU). No allocation.
 */
final class DenseMath {
  /** LeakyReLU on the Vector API ({@link LeakyReluVector}: same bits) where this JVM has it. */
  private static final boolean VECTOR = org.eelsunmix.linalg.VectorApi.ENABLED && LeakyReluVector.usable();

  private DenseMath() {}

  /** Rows processed together: each weight row is then read once per block instead of once per row. */
  private static final int BLOCK = 4;
  /**
   * Weight matrices smaller than this (floats; 128 KiB, a core's L2 cache at most) stay in cache anyway: their rows
   * go one at a time, which is faster for DAEU's small layers (measured: blocking them cost 25 % of its training).
   */
  private static final int BLOCKED_ABOVE = 32 * 1024;

  /**
   * {@code z[zBase + p·out + j] = Σ_i x[p][i] W[i][j] (+ b[j])} for {@code rows} rows. Rows go in blocks of
   * {@value #BLOCK} when the weights are large (B × B floats for MTAEU's shared layer: megabytes, beyond the
   * core's caches), so they stream through once per block; each output keeps the same order of additions as one row
   * at a time (a zero input is skipped only on that path, which adds nothing either way).
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
    }
    int p = 0;
    for (; (long) in * out >= BLOCKED_ABOVE && p + BLOCK <= rows; p += BLOCK) {
      int z0 = zBase + p * out;
      int z1 = z0 + out;
      int z2 = z1 + out;
      int z3 = z2 + out;
      int x0 = xBase + p * in;
      for (int i = 0; i < in; i++) {
        float a0 = x[x0 + i];
        float a1 = x[x0 + in + i];
        float a2 = x[x0 + 2 * in + i];
        float a3 = x[x0 + 3 * in + i];
        int wRow = wOffset + i * out;
        for (int j = 0; j < out; j++) {
          float w = params[wRow + j];
          z[z0 + j] += a0 * w;
          z[z1 + j] += a1 * w;
          z[z2 + j] += a2 * w;
          z[z3 + j] += a3 * w;
        }
      }
    }
    for (; p < rows; p++) {
      int zRow = zBase + p * out;
      int xRow = xBase + p * in;
      int i = 0;
      // Four inputs at a time where none is zero: each output gets the same additions in the same order (i
      // ascending) as one input at a time, with a quarter of the loads and stores of z (DAEU's first layer has
      // only 9R outputs, too short a loop for the JIT's vector code).
      for (; i + 4 <= in; i += 4) {
        float x0 = x[xRow + i];
        float x1 = x[xRow + i + 1];
        float x2 = x[xRow + i + 2];
        float x3 = x[xRow + i + 3];
        if (x0 == 0f || x1 == 0f || x2 == 0f || x3 == 0f) {
          addRows(x, xRow, i, 4, params, wOffset, out, z, zRow);
          continue;
        }
        int w0 = wOffset + i * out;
        int w1 = w0 + out;
        int w2 = w1 + out;
        int w3 = w2 + out;
        for (int j = 0; j < out; j++) {
          float sum = z[zRow + j];
          sum += x0 * params[w0 + j];
          sum += x1 * params[w1 + j];
          sum += x2 * params[w2 + j];
          sum += x3 * params[w3 + j];
          z[zRow + j] = sum;
        }
      }
      addRows(x, xRow, i, in - i, params, wOffset, out, z, zRow);
    }
  }

  /** {@code z[zRow + j] += x_i W[i][j]} for the {@code count} inputs from {@code from}, one at a time, zeros skipped. */
  private static void addRows(float[] x, int xRow, int from, int count, float[] params, int wOffset, int out,
      float[] z, int zRow) {
    for (int i = from; i < from + count; i++) {
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

  /**
   * Adds ∂L/∂W (and ∂L/∂b) of {@code rows} rows to {@code gradient} and writes ∂L/∂x into {@code dx} (when not
   * null), given ∂L/∂z in {@code dz}. Rows of large layers go in blocks of {@value #BLOCK} as in {@link #forward}.
   */
  static void backward(float[] x, int xBase, int rows, int in, float[] params, int wOffset, int biasOffset, int out,
      float[] dz, int dzBase, float[] gradient, float[] dx, int dxBase) {
    if (biasOffset >= 0) {
      for (int p = 0; p < rows; p++) {
        int dRow = dzBase + p * out;
        for (int j = 0; j < out; j++) {
          gradient[biasOffset + j] += dz[dRow + j];
        }
      }
    }
    int p = 0;
    for (; (long) in * out >= BLOCKED_ABOVE && p + BLOCK <= rows; p += BLOCK) {
      int d0 = dzBase + p * out;
      int d1 = d0 + out;
      int d2 = d1 + out;
      int d3 = d2 + out;
      int x0 = xBase + p * in;
      for (int i = 0; i < in; i++) {
        float a0 = x[x0 + i];
        float a1 = x[x0 + in + i];
        float a2 = x[x0 + 2 * in + i];
        float a3 = x[x0 + 3 * in + i];
        int wRow = wOffset + i * out;
        float back0 = 0f;
        float back1 = 0f;
        float back2 = 0f;
        float back3 = 0f;
        for (int j = 0; j < out; j++) {
          float w = params[wRow + j];
          float e0 = dz[d0 + j];
          float e1 = dz[d1 + j];
          float e2 = dz[d2 + j];
          float e3 = dz[d3 + j];
          gradient[wRow + j] += a0 * e0 + a1 * e1 + a2 * e2 + a3 * e3;
          back0 += w * e0;
          back1 += w * e1;
          back2 += w * e2;
          back3 += w * e3;
        }
        if (dx != null) {
          int dxRow = dxBase + p * in + i;
          dx[dxRow] = back0;
          dx[dxRow + in] = back1;
          dx[dxRow + 2 * in] = back2;
          dx[dxRow + 3 * in] = back3;
        }
      }
    }
    if (dx == null) {
      // The first layer needs no ∂L/∂x, half of its backward work (DAEU's B × 9R layer is most of a step). ∂W in
      // blocks of four rows: each entry gets the same additions in the same order (rows ascending) as row by row,
      // with a quarter of the loads and stores of the gradient.
      for (; p + BLOCK <= rows; p += BLOCK) {
        int d0 = dzBase + p * out;
        int d1 = d0 + out;
        int d2 = d1 + out;
        int d3 = d2 + out;
        int x0 = xBase + p * in;
        for (int i = 0; i < in; i++) {
          float a0 = x[x0 + i];
          float a1 = x[x0 + in + i];
          float a2 = x[x0 + 2 * in + i];
          float a3 = x[x0 + 3 * in + i];
          int wRow = wOffset + i * out;
          for (int j = 0; j < out; j++) {
            float g = gradient[wRow + j];
            g += a0 * dz[d0 + j];
            g += a1 * dz[d1 + j];
            g += a2 * dz[d2 + j];
            g += a3 * dz[d3 + j];
            gradient[wRow + j] = g;
          }
        }
      }
      for (; p < rows; p++) {
        int dRow = dzBase + p * out;
        int xRow = xBase + p * in;
        for (int i = 0; i < in; i++) {
          float xi = x[xRow + i];
          int wRow = wOffset + i * out;
          for (int j = 0; j < out; j++) {
            gradient[wRow + j] += xi * dz[dRow + j];
          }
        }
      }
      return;
    }
    for (; p < rows; p++) {
      int dRow = dzBase + p * out;
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
        dx[dxBase + p * in + i] = back;
      }
    }
  }

  /** {@code h[i] = max(z[i], slope·z[i])} for {@code n} values from {@code base}. */
  static void leakyRelu(float[] z, int base, int n, float slope, float[] h) {
    int done = VECTOR ? LeakyReluVector.forward(z, base, n, slope, h) : 0;
    leakyReluScalar(z, base + done, n - done, slope, h);
  }

  /** {@link #leakyRelu} in scalar Java (the reference; the vector loop gives the same bits). */
  static void leakyReluScalar(float[] z, int base, int n, float slope, float[] h) {
    for (int i = base; i < base + n; i++) {
      float v = z[i];
      h[i] = v > 0 ? v : slope * v;
    }
  }

  /** Turns ∂L/∂h into ∂L/∂z in place: multiplies by {@code slope} where {@code z ≤ 0}. */
  static void leakyReluBackward(float[] z, int base, int n, float slope, float[] d) {
    int done = VECTOR ? LeakyReluVector.backward(z, base, n, slope, d) : 0;
    leakyReluBackwardScalar(z, base + done, n - done, slope, d);
  }

  /** {@link #leakyReluBackward} in scalar Java (the reference; the vector loop gives the same bits). */
  static void leakyReluBackwardScalar(float[] z, int base, int n, float slope, float[] d) {
    for (int i = base; i < base + n; i++) {
      if (z[i] <= 0) {
        d[i] *= slope;
      }
    }
  }
}
