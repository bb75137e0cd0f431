package org.eelsunmix.autoencoder;

import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of the MTAEU encoder (Palsson, Sveinsson &amp; Ulfarsson, IEEE Access 7, 2019): four tasks'
 * spectra (nIn = B channels, rows task-major) to each task head's abundances (nOut = R), as one layer whose math
 * is {@link MultitaskEncoderKernel}. The running batch statistics are not trained (no-op updater, zero gradient).
 * Serialisable in a network's JSON (no-arg constructor), so ModelSerializer can store it.
 */
public class MultitaskEncoder extends FusedEncoder {
  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public MultitaskEncoder() {
    super();
  }

  private MultitaskEncoder(Builder builder) {
    super(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(new MultitaskEncoderLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        paramsView, initializeParams);
  }

  @Override
  public ParamInitializer initializer() {
    return MultitaskEncoderParams.getInstance();
  }

  /** Builder: {@code nIn(B).nOut(R)}; the updater and seed come from the network configuration. */
  public static class Builder extends FeedForwardLayer.Builder<Builder> {
    @Override
    @SuppressWarnings("unchecked")
    public MultitaskEncoder build() {
      return new MultitaskEncoder(this);
    }
  }
}
