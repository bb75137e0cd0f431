package org.eelsunmix.autoencoder;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arithmetic of a same-padded, stride-1 2D convolution (cross-correlation as DL4J defines it) on NCHW batches,
 * {@code z[n,o,y,x] = b[o] + Σ_c Σ_{i,j} W[o,c,i,j]·x[n,c,y+i−k/2,x+j−k/2]} (zeros outside), and its backward pass,
 * as {@link FusedConvolutionLayer} runs it: by im2col and GEMMs ({@link SameConvolution}), shifted GEMMs
 * ({@link ShiftedConvolution}), Winograd's minimal filtering ({@link WinogradConvolution}, 3×3) or by the
 * convolution theorem ({@link FftConvolution}). Not thread-safe: one instance per layer.
 */
interface ConvolutionKernel {
  /**
   * {@code z = conv(x, W) + b}.
   *
   * @param x input {@code [n, C, h, w]}, dense C order
   * @param weights {@code [O, C, k, k]}, dense C order
   * @param bias {@code O} biases or null
   * @param z output {@code [n, O, h, w]}, dense C order (overwritten)
   */
  void forward(INDArray x, INDArray weights, INDArray bias, INDArray z);

  /**
   * The gradients given {@code dz = ∂L/∂z}.
   *
   * @param dWeights receives ∂L/∂W, {@code [O, C, k, k]} dense C order (overwritten)
   * @param dBias receives ∂L/∂b ({@code O} values) or null when there is no bias
   * @param dx receives ∂L/∂x, {@code [n, C, h, w]} dense C order (overwritten), or null when not needed
   */
  void backward(INDArray x, INDArray weights, INDArray dz, INDArray dWeights, INDArray dBias, INDArray dx);

  /**
   * {@link #backward}, where {@code x} is the input of this kernel's last {@link #forward} call, unchanged since (a
   * training step's backward pass): a kernel that keeps a transformed copy of its input (a padded channels-last
   * layout, spectra) reuses it instead of transforming {@code x} again. Same results as {@link #backward}.
   */
  default void backwardAfterForward(INDArray x, INDArray weights, INDArray dz, INDArray dWeights, INDArray dBias,
      INDArray dx) {
    backward(x, weights, dz, dWeights, dBias, dx);
  }

  /** Refuses shapes no same convolution has: C, O ≥ 1 and an odd kernel side k. */
  static void requireShape(String what, int in, int out, int kernel) {
    if (in < 1 || out < 1 || kernel < 1 || kernel % 2 == 0) {
      throw new IllegalArgumentException(what + " needs C, O ≥ 1 and an odd kernel, got C=" + in + ", O=" + out
          + ", k=" + kernel);
    }
  }
}
