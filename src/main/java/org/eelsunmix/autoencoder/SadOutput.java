package org.eelsunmix.autoencoder;

import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of CNNAEU's output layer (Palsson, Ulfarsson &amp; Sveinsson, IEEE TGRS 59(1), 2021): the
 * spectral angle between each pixel's spectrum (the labels) and its reconstruction (the input), summed over a
 * patch's pixels, {@code θ = arccos(yᵀŷ / (‖y‖ ‖ŷ‖))} ({@link SpectralAngleLoss}). It is DL4J's
 * {@link CnnLossLayer} with {@link SadLossFunction} and the identity activation — same JSON fields, same score and
 * gradient — given a layer that computes straight on the NCHW arrays ({@link SadOutputLayer}) instead of copying
 * them to {@code [pixels, channels]} matrices for the loss function. A network saved with it loads with it.
 */
public class SadOutput extends CnnLossLayer {
  private static final long serialVersionUID = 1L;

  /** The SAD loss on NCHW activations (also the JSON constructor). */
  public SadOutput() {
    super();
    setLossFn(new SadLossFunction());
    setActivationFn(new ActivationIdentity());
    setFormat(CNN2DFormat.NCHW);
  }

  @Override
  public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
      Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams,
      DataType networkDataType) {
    return LayerWiring.wire(new SadOutputLayer(conf, networkDataType), this, conf, listeners, layerIndex,
        paramsView, initializeParams);
  }
}
