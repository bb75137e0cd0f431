package org.eelsunmix.autoencoder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of the DAEU encoder (Palsson et al., IEEE Access 6, 2018): spectrum (nIn = B channels) to
 * abundances (nOut = R), i.e. dense 9R → 6R → 3R → R with LeakyReLU(0.1), batch normalisation, learned soft
 * threshold and sum-to-one, as one layer whose math is {@link AbundanceEncoderKernel}. The soft thresholds are kept
 * non-negative by {@link SoftThresholdConstraint}, applied after each update; the running batch statistics are not trained (no-op updater, zero gradient; the forward
 * training pass moves them, and parameter averaging averages them).
 *
 * <p>Serialisable as part of a network's JSON (no-arg constructor, bean properties) so that ModelSerializer and
 * dl4j-spark can ship it.
 */
public class AbundanceEncoder extends FusedEncoder {
  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public AbundanceEncoder() {
    super();
  }

  private AbundanceEncoder(Builder builder) {
    super(builder);
    List<LayerConstraint> c = new ArrayList<>();
    c.add(new SoftThresholdConstraint((int) getNOut()));
    setConstraints(c);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(new AbundanceEncoderLayer(conf, networkDataType), this, conf, listeners, layerIndex, paramsView,
        initializeParams);
  }

  @Override
  public ParamInitializer initializer() {
    return AbundanceEncoderParams.getInstance();
  }

  /** Builder: {@code nIn(B).nOut(R)}; the updater and the rest come from the network configuration. */
  public static class Builder extends FeedForwardLayer.Builder<Builder> {
    @Override
    @SuppressWarnings("unchecked")
    public AbundanceEncoder build() {
      return new AbundanceEncoder(this);
    }
  }
}
