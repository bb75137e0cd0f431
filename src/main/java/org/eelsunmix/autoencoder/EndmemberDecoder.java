package org.eelsunmix.autoencoder;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of the autoencoders' decoder (Palsson et al., IEEE Access 6, 2018): abundances (nIn = R) to
 * the reconstructed spectrum (nOut = B), {@code ŷ = aᵀ W}, linear and without bias. Its weights {@code W} (R × B,
 * DL4J's dense parameter {@value DefaultParamInitializer#WEIGHT_KEY}) are the endmember spectra, kept non-negative
 * by DL4J's {@link NonNegativeConstraint} after each update. The loss is the spectral angle
 * ({@link SadLossFunction}). The layer ({@link EndmemberDecoderLayer}) computes in plain loops, as the encoder does.
 */
public class EndmemberDecoder extends BaseOutputLayer {
  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public EndmemberDecoder() {
    super();
  }

  private EndmemberDecoder(Builder builder) {
    super(builder);
    initializeConstraints(builder);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(new EndmemberDecoderLayer(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
        initializeParams);
  }

  @Override
  public ParamInitializer initializer() {
    return DefaultParamInitializer.getInstance();
  }

  /** Builder: {@code nIn(R).nOut(B)}; bias, activation, loss and the weight constraint are fixed. */
  public static class Builder extends BaseOutputLayer.Builder<Builder> {
    public Builder() {
      super(new SadLossFunction());
      hasBias(false);
      activation(Activation.IDENTITY);
      constrainWeights(new NonNegativeConstraint());
    }

    @Override
    @SuppressWarnings("unchecked")
    public EndmemberDecoder build() {
      return new EndmemberDecoder(this);
    }
  }
}
