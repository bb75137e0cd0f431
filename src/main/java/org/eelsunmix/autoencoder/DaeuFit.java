package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A DAEU network trained on a sample of spectra ({@link Daeu#fit}), before any image is unmixed.
 *
 * @param network encoder layer 0, decoder layer 1, taking and reconstructing counts
 * @param losses mean SAD loss (radians) of each epoch's batches, before their updates
 */
public record DaeuFit(MultiLayerNetwork network, double[] losses) {
  public DaeuFit {
    losses = losses.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }

  /** The last epoch's mean loss: what restarts compare (no ground truth needed). */
  public double finalLoss() {
    return losses[losses.length - 1];
  }
}
