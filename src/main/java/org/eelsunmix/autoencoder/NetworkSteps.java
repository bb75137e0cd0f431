package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training steps through DL4J: each mini-batch copied into an ND4J array of the network's input shape and passed to
 * {@link MultiLayerNetwork#fit(INDArray, INDArray)} (input = labels, an autoencoder), the score read back. The
 * parameters live in the network throughout, so {@link #finish} has nothing to do.
 */
final class NetworkSteps implements TrainingSteps {
  private final MultiLayerNetwork net;
  private final AutoencoderOptions options;
  private final int channels;
  private INDArray full;
  private INDArray rest;

  NetworkSteps(AutoencoderOptions options, MultiLayerNetwork net, int channels) {
    this.net = net;
    this.options = options;
    this.channels = channels;
  }

  @Override
  public double step(float[] batch, int size) {
    INDArray x;
    if (size == options.batchSize()) {
      full = full != null ? full : Nd4j.create(DataType.FLOAT, options.batchShape(size, channels));
      x = full;
    } else {
      if (rest == null || rest.size(0) != options.batchShape(size, channels)[0]) {
        rest = Nd4j.create(DataType.FLOAT, options.batchShape(size, channels));
      }
      x = rest;
    }
    NdBuffers.write(batch, x);
    net.fit(x, x);
    return net.score();
  }

  @Override
  public void finish() {}

  @Override
  public void reload() {}
}
