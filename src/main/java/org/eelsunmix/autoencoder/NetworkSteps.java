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
  /** Whether canvas steps skip the input copy ({@link #shareLabels}). */
  private static volatile boolean sharedLabels = true;
  private final MultiLayerNetwork net;
  private final AutoencoderOptions options;
  private final int channels;
  private INDArray full;
  private INDArray rest;
  /** Where the next batch's patches lie ({@link #place}), handed to the first layer for that step only. */
  private PatchCanvas.Placement placement;
  /** Steps of this instance that skipped the input copy (tests check that the path they compare ran). */
  private int sharedSteps;

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
    FusedConvolutionLayer first = placement != null && net.getLayer(0) instanceof FusedConvolutionLayer f ? f : null;
    // On the canvas the first layer reads the batch from the placement's values and the SAD loss can read its labels
    // from the same array: then nobody reads x and the batch is not copied into it (co-ru-pt 19 MB, k-edges 87 MB a
    // step, and the loss's copy of every label row back out of it).
    SadOutputLayer loss = first != null && placement.values() == batch && first.readsOnlyPlacedValues(x, placement)
        && sharedLabels && net.getOutputLayer() instanceof SadOutputLayer s ? s : null;
    if (loss == null) {
      // A pure copy, in ranges over the workers.
      int length = (int) x.length();
      int workers = PatchWorkers.workers((int) x.size(0));
      PatchWorkers.run(workers, t -> {
        int from = (int) ((long) length * t / workers);
        int to = (int) ((long) length * (t + 1) / workers);
        Staging.write(batch, from, x, from, to - from);
      });
    }
    if (first != null) {
      first.placePatches(placement);
    }
    if (loss != null) {
      loss.labelsFrom(batch);
      sharedSteps++;
    }
    try {
      net.fit(x, x);
    } finally {
      if (first != null) {
        first.placePatches(null);
      }
      if (loss != null) {
        loss.labelsFrom(null);
      }
      placement = null;
    }
    return net.score();
  }

  /**
   * Lets steps made from now on skip the batch's copy into the network's input on the canvas (the loss reading its
   * labels from the batch itself), or not; returns the previous setting (tests compare both: the same bits).
   */
  static boolean shareLabels(boolean on) {
    boolean previous = sharedLabels;
    sharedLabels = on;
    return previous;
  }

  /**
   * Where the next step's patches lie on their canvas ({@link PatchCanvas}), or null: its first convolution then runs
   * once over the canvas ({@link CanvasConvolution}).
   */
  void place(PatchCanvas.Placement p) {
    placement = p;
  }

  /** Steps that skipped the input copy, the loss reading the batch itself. */
  int sharedSteps() {
    return sharedSteps;
  }

  @Override
  public void finish() {}

  @Override
  public void reload() {}
}
