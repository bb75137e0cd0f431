package org.eelsunmix.autoencoder;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of a convolution of CNNAEU (Palsson, Ulfarsson &amp; Sveinsson, IEEE TGRS 59(1), 2021) computed
 * by {@link SameConvolution} (im2col + one GEMM per patch, patches over {@link PatchWorkers}) or, for bias-free
 * kernels of {@link FusedConvolutionLayer#FFT_KERNEL} or more (the decoder), {@link FftConvolution}: DL4J's
 * {@link ConvolutionLayer} with its parameters ({@code W [O, C, k, k]}, {@code b}), activation, constraints and
 * JSON, restricted to what CNNAEU uses — a square odd kernel, stride 1, no dilation, {@code ConvolutionMode.Same},
 * NCHW — and given a faster layer ({@link FusedConvolutionLayer}). A network saved with it loads with it; its
 * parameters are laid out as DL4J's, so a network of DL4J's own convolutions takes them unchanged.
 */
public class FusedConvolution extends ConvolutionLayer {
  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public FusedConvolution() {
    super();
  }

  private FusedConvolution(Builder builder) {
    super(builder);
    initializeConstraints(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(new FusedConvolutionLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        paramsView, initializeParams);
  }

  /** Builder: {@code new Builder(k).nOut(O)}, bias, activation and constraints as DL4J's convolution builder. */
  public static class Builder extends ConvolutionLayer.Builder {
    /** A {@code k × k} kernel (odd). */
    public Builder(int k) {
      super(k, k);
      if (k < 1 || k % 2 == 0) {
        throw new IllegalArgumentException("a fused same convolution needs an odd kernel side, got " + k);
      }
    }

    @Override
    @SuppressWarnings("unchecked")
    public FusedConvolution build() {
      return new FusedConvolution(this);
    }
  }
}
