package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.unmix.Unmixing;

/**
 * What {@link Daeu#train} returns.
 *
 * @param network the trained DL4J network (encoder layer 0, decoder layer 1), taking spectra in counts
 * @param losses mean SAD loss (radians) of each epoch's batches, before their updates
 * @param unmixing decoder endmembers (counts) and the abundances of every pixel of the training image
 */
public record DaeuResult(MultiLayerNetwork network, double[] losses, Unmixing unmixing) {
  @Override
  public double[] losses() {
    return losses.clone();
  }
}
