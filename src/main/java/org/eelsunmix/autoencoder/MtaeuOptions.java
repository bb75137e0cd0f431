package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.nd4j.linalg.learning.config.IUpdater;

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
public record MtaeuOptions(int endmembers, long seed, int epochs, int batchSize, int samples, double learningRate)
    implements AutoencoderOptions {
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

  @Override
  public String method() {
    return "mtaeu";
  }

  @Override
  public int windowPixels() {
    return MultitaskEncoderKernel.TASKS;
  }

  /** {@code min(samples, pixels)} anchors drawn without replacement, each with its {@link Neighbourhood}. */
  @Override
  public int[] drawWindows(int width, int height, String image) {
    int pixels = width * height;
    int[] anchors = AutoencoderFit.firstOfPermutation(pixels, Math.min(samples, pixels), AutoencoderFit.drawing(seed));
    int tasks = windowPixels();
    int[] windows = new int[anchors.length * tasks];
    for (int i = 0; i < anchors.length; i++) {
      for (int t = 0; t < tasks; t++) {
        windows[i * tasks + t] = Neighbourhood.task(width, height, anchors[i], t);
      }
    }
    return windows;
  }

  @Override
  public MultiLayerNetwork network(int channels, IUpdater updater) {
    return Mtaeu.network(channels, this, updater);
  }

  /** Four rows per neighbourhood, task-major. */
  @Override
  public long[] batchShape(int windows, int channels) {
    return new long[] {(long) windowPixels() * windows, channels};
  }

  /** Task-major: task t of the i-th neighbourhood at row {@code t·count + i}. */
  @Override
  public void layout(WindowSample sample, int[] order, int from, int count, float scale, float[] out) {
    int b = sample.channels();
    for (int t = 0; t < windowPixels(); t++) {
      for (int i = 0; i < count; i++) {
        sample.copy(order[from + i], t, scale, out, (t * count + i) * b);
      }
    }
  }

  @Override
  public int pixelsPerScoredRow() {
    return 1;
  }

  @Override
  public void foldScale(MultiLayerNetwork network, float max) {
    Mtaeu.foldScale(network, max);
  }

  @Override
  public void scaleDecoder(MultiLayerNetwork network, double factor) {
    Daeu.scaleDecoder(network, factor);
  }

  @Override
  public double[] sampleAbundances(MultiLayerNetwork network, WindowSample sample) {
    double[] a = new double[sample.distinct() * endmembers];
    Mtaeu.encode(network, sample.spectra(), sample.distinct(), null, a);
    return a;
  }

  @Override
  public double[][] decoderEndmembers(MultiLayerNetwork network) {
    return Daeu.decoderWeights(network);
  }

  @Override
  public Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    return Mtaeu.abundances(network, image);
  }
}
