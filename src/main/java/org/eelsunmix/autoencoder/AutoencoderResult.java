package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Unmixing;

/**
 * What training an autoencoder on an image returns ({@link AutoencoderFit#train}).
 *
 * @param network the trained DL4J network, taking spectra in counts (the training scale folded in)
 * @param losses mean SAD loss (radians) of each epoch's batches, in training mode (noise, dropout), before their
 *     updates
 * @param unmixing decoder endmembers (counts) and the abundances of every pixel of the training image
 * @param epochTimes how long each epoch took (measurement only)
 */
public record AutoencoderResult(MultiLayerNetwork network, double[] losses, Unmixing unmixing,
    EpochTimes epochTimes) {
  @Override
  public double[] losses() {
    return losses.clone();
  }
}
