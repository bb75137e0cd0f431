package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Training settings of {@link Daeu}; the defaults are the reference's (Palsson et al., IEEE Access 6, 2018, and the
 * authors' code): RMSprop with learning rate 1e-3 (ρ = 0.9, ε = 1e-7, Keras' values), batches of 6 spectra, 40
 * epochs over 2000 spectra drawn at random from the image.
 *
 * @param endmembers R, the number of abundances (≥ 1)
 * @param seed seeds the weights, the drawn spectra and the batch order
 * @param epochs passes over the drawn spectra (≥ 1)
 * @param batchSize spectra per update (≥ 2: batch normalisation needs a batch)
 * @param samples spectra drawn without replacement (≥ batch size; capped at the image's pixel count)
 * @param learningRate RMSprop learning rate (&gt; 0)
 */
public record DaeuOptions(int endmembers, long seed, int epochs, int batchSize, int samples, double learningRate)
    implements AutoencoderOptions {
  public static final int DEFAULT_EPOCHS = 40;
  public static final int DEFAULT_BATCH_SIZE = 6;
  public static final int DEFAULT_SAMPLES = 2000;
  public static final double DEFAULT_LEARNING_RATE = 1e-3;

  /** Validates, naming the setting at fault. */
  public DaeuOptions {
    checkSchedule(endmembers, epochs, batchSize, samples, learningRate);
  }

  /**
   * The checks every autoencoder's schedule passes (DAEU, MTAEU, CNNAEU), naming the setting at fault.
   *
   * @param samples training samples (spectra, neighbourhoods or patches), at least one batch
   */
  static void checkSchedule(int endmembers, int epochs, int batchSize, int samples, double learningRate) {
    if (endmembers < 1) {
      throw new BadInputException("endmembers", "the number of endmembers must be at least 1, got " + endmembers);
    }
    if (epochs < 1) {
      throw new BadInputException("epochs", "must be at least 1, got " + epochs);
    }
    if (batchSize < 2) {
      throw new BadInputException("batchSize", "batch normalisation needs at least 2 samples per batch, got "
          + batchSize);
    }
    if (samples < batchSize) {
      throw new BadInputException("samples", "must be at least the batch size " + batchSize + ", got " + samples);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new BadInputException("learningRate", "must be a positive number, got " + learningRate);
    }
  }

  /** The reference schedule for R endmembers. */
  public DaeuOptions(int endmembers, long seed) {
    this(endmembers, seed, DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_SAMPLES, DEFAULT_LEARNING_RATE);
  }

  /** A copy with another number of epochs. */
  public DaeuOptions withEpochs(int newEpochs) {
    return new DaeuOptions(endmembers, seed, newEpochs, batchSize, samples, learningRate);
  }

  /** A copy with another number of drawn spectra. */
  public DaeuOptions withSamples(int newSamples) {
    return new DaeuOptions(endmembers, seed, epochs, batchSize, newSamples, learningRate);
  }

  /** A copy with another seed. */
  public DaeuOptions withSeed(long newSeed) {
    return new DaeuOptions(endmembers, newSeed, epochs, batchSize, samples, learningRate);
  }

  @Override
  public String method() {
    return "daeu";
  }

  @Override
  public int windowPixels() {
    return 1;
  }

  /** {@code min(samples, pixels)} pixels drawn without replacement. */
  @Override
  public int[] drawWindows(int width, int height, String image) {
    int pixels = width * height;
    return AutoencoderFit.firstOfPermutation(pixels, Math.min(samples, pixels), AutoencoderFit.drawing(seed));
  }

  @Override
  public MultiLayerNetwork network(int channels, IUpdater updater) {
    return Daeu.network(channels, this, updater);
  }

  @Override
  public long[] batchShape(int windows, int channels) {
    return new long[] {windows, channels};
  }

  @Override
  public void layout(WindowSample sample, int[] order, int from, int count, float scale, float[] out) {
    for (int i = 0; i < count; i++) {
      sample.copy(order[from + i], 0, scale, out, i * sample.channels());
    }
  }

  @Override
  public int pixelsPerScoredRow() {
    return 1;
  }

  @Override
  public void foldScale(MultiLayerNetwork network, float max) {
    Daeu.foldScale(network, max, (int) Daeu.encoderLayer(network).getNIn(), endmembers);
  }

  @Override
  public void scaleDecoder(MultiLayerNetwork network, double factor) {
    Daeu.scaleDecoder(network, factor);
  }

  @Override
  public double[] sampleAbundances(MultiLayerNetwork network, WindowSample sample) {
    double[] a = new double[sample.distinct() * endmembers];
    Daeu.encode(network, sample.spectra(), sample.distinct(), a);
    return a;
  }

  @Override
  public double[][] decoderEndmembers(MultiLayerNetwork network) {
    return Daeu.decoderWeights(network);
  }

  @Override
  public Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    return Daeu.abundances(network, image);
  }
}
