package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * An autoencoder trained on a {@link WindowSample} ({@link AutoencoderFit#fit}), before any image is unmixed.
 *
 * @param network the trained network, taking counts (the training scale folded in)
 * @param losses mean SAD loss (radians per pixel) of each epoch's batches, in training mode, before their updates
 * @param reconstructionLoss mean spectral angle (radians) between the sample's spectra and their reconstructions
 *     in inference mode ({@link AutoencoderFit#toCounts}): what restarts compare (no ground truth needed)
 * @param epochTimes how long each epoch took (measurement only)
 */
public record TrainedNetwork(MultiLayerNetwork network, double[] losses, double reconstructionLoss,
    EpochTimes epochTimes) {
  public TrainedNetwork {
    losses = losses.clone();
  }

  @Override
  public double[] losses() {
    return losses.clone();
  }
}
