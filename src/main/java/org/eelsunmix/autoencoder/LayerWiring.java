package org.eelsunmix.autoencoder;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every DL4J layer configuration does in {@code instantiate}: hand the new layer its place and parameters. */
final class LayerWiring {
  private LayerWiring() {}

  static <L extends BaseLayer<?>> L wire(L layer, Layer conf, NeuralNetConfiguration network,
      Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams) {
    layer.setListeners(listeners);
    layer.setIndex(index);
    layer.setParamsViewArray(paramsView);
    layer.setParamTable(conf.initializer().init(network, paramsView, initializeParams));
    layer.setConf(network);
    return layer;
  }
}
