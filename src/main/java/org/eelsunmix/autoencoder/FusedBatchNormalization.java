package org.eelsunmix.autoencoder;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of CNNAEU's batch normalisation (Ioffe &amp; Szegedy, ICML 2015; per channel over batch and
 * positions on NCHW) computed by {@link FusedBatchNormalizationLayer}: DL4J's {@link BatchNormalization} with its
 * settings, parameters (γ, β, running mean, running log10 σ), JSON and inference pass, given a training pass that
 * neither copies nor allocates per operation. A network saved with it loads with it; its parameters are DL4J's, so
 * a network of DL4J's own layer takes them unchanged.
 */
public class FusedBatchNormalization extends BatchNormalization {
  private static final long serialVersionUID = 1L;

  /** For JSON deserialisation. */
  public FusedBatchNormalization() {
    super();
  }

  /**
   * The fused layer with every setting of {@code built} (DL4J's builder output; its constructor from a builder is
   * private, so the settings are copied field by field).
   */
  public static FusedBatchNormalization of(BatchNormalization built) {
    FusedBatchNormalization fused = new FusedBatchNormalization();
    for (Class<?> c = BatchNormalization.class; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        try {
          f.setAccessible(true);
          f.set(fused, f.get(built));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot copy the batch normalisation setting " + f.getName(), e);
        }
      }
    }
    return fused;
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(new FusedBatchNormalizationLayer(conf, networkDataType), this, conf, listeners,
        layerIndex, paramsView, initializeParams);
  }
}
