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
  /** Where the next batch's patches lie ({@link #place}), handed to the first layer for that step only. */
  private PatchCanvas.Placement placement;

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
    // A pure copy (k-edges: 87 MB a batch), in ranges over the workers.
    int length = (int) x.length();
    int workers = PatchWorkers.workers((int) x.size(0));
    PatchWorkers.run(workers, t -> {
      int from = (int) ((long) length * t / workers);
      int to = (int) ((long) length * (t + 1) / workers);
      Staging.write(batch, from, x, from, to - from);
    });
    FusedConvolutionLayer first = placement != null && net.getLayer(0) instanceof FusedConvolutionLayer f ? f : null;
    if (first != null) {
      first.placePatches(placement);
    }
    try {
      net.fit(x, x);
    } finally {
      if (first != null) {
        first.placePatches(null);
      }
      placement = null;
    }
    return net.score();
  }

  /**
   * Where the next step's patches lie on their canvas ({@link PatchCanvas}), or null: its first convolution then runs
   * once over the canvas ({@link CanvasConvolution}).
   */
  void place(PatchCanvas.Placement p) {
    placement = p;
  }

  @Override
  public void finish() {}

  @Override
  public void reload() {}
}
