package org.eelsunmix.autoencoder;

/**
 * Training settings of {@link Mtaeu}; the defaults are the reference's (Palsson, Sveinsson &amp; Ulfarsson, IEEE
 * Access 7, 2019): RMSprop with learning rate 1e-3 (ρ = 0.9, ε = 1e-7), batches of 15 neighbourhoods, 60 epochs over
 * 2000 neighbourhoods drawn at random from the image.
 *
 * @param endmembers R (≥ 1)
 * @param seed seeds the weights, the drawn neighbourhoods, the batch order, the input noise and the dropout masks
 * @param epochs passes over the drawn neighbourhoods (≥ 1)
 * @param batchSize neighbourhoods per update (≥ 2: batch normalisation needs a batch)
 * @param samples neighbourhoods drawn without replacement (≥ batch size; capped at the pixel count)
 * @param learningRate RMSprop learning rate (&gt; 0)
 */
public record MtaeuOptions(int endmembers, long seed, int epochs, int batchSize, int samples, double learningRate) {
  public static final int DEFAULT_EPOCHS = 60;
  public static final int DEFAULT_BATCH_SIZE = 15;
  public static final int DEFAULT_SAMPLES = 2000;
  public static final double DEFAULT_LEARNING_RATE = 1e-3;

  /** Validates, naming the setting at fault. */
  public MtaeuOptions {
    DaeuOptions.checkSchedule(endmembers, epochs, batchSize, samples, learningRate);
  }

  /** The reference schedule for R endmembers. */
  public MtaeuOptions(int endmembers, long seed) {
    this(endmembers, seed, DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_SAMPLES, DEFAULT_LEARNING_RATE);
  }

  /** A copy with another number of epochs. */
  public MtaeuOptions withEpochs(int newEpochs) {
    return new MtaeuOptions(endmembers, seed, newEpochs, batchSize, samples, learningRate);
  }

  /** A copy with another number of drawn neighbourhoods. */
  public MtaeuOptions withSamples(int newSamples) {
    return new MtaeuOptions(endmembers, seed, epochs, batchSize, newSamples, learningRate);
  }

  /** A copy with another seed. */
  public MtaeuOptions withSeed(long newSeed) {
    return new MtaeuOptions(endmembers, newSeed, epochs, batchSize, samples, learningRate);
  }
}
