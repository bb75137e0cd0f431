package org.eelsunmix.autoencoder;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.SpectralAngle;
import org.eelsunmix.core.Unmixing;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * The one training loop of the three unmixing autoencoders (Palsson et al.: DAEU 2018, MTAEU 2019, CNNAEU 2021),
 * as their reference code trains them: the windows' spectra divided by the sample's largest count (the reference
 * scales its data to a maximum of 1), shuffled every epoch (seeded), mini-batches of
 * {@link AutoencoderOptions#batchSize()}, RMSprop (ρ 0.9, ε 1e-7, Keras' values); afterwards the scale is folded
 * into the network and the decoder's overall scale fitted to the counts ({@link #toCounts}).
 * This is what {@code train} on an image runs, and what each Spark restart task runs on a sample drawn from pixel
 * rows.
 */
public final class AutoencoderFit {
  static {
    NativeMemory.uncapped();
  }

  private AutoencoderFit() {}

  /** RMSprop with Keras' ρ and ε, the reference's optimiser. */
  public static IUpdater rmsProp(double learningRate) {
    return new RmsProp(learningRate, 0.9, 1e-7);
  }

  /** The generator that draws the training windows: separate from the one that shuffles the batches. */
  /** What ND4J and DL4J are given for the seed 0, which they take as "no seed" (a time-based draw). */
  static final long ZERO_SEED = 0x9E3779B97F4A7C15L;

  /**
   * The seed to give ND4J's generator and DL4J's configurations for {@code seed}: {@code seed} itself, except 0,
   * which ND4J treats as unseeded — so {@code --seed 0}, the default, gave other weights on every run (measured:
   * reconstruction losses 0.064, 0.058, 0.096 for three runs of one command). 0 maps to {@link #ZERO_SEED}.
   */
  public static long nd4jSeed(long seed) {
    return seed == 0 ? ZERO_SEED : seed;
  }

  static SplittableRandom drawing(long seed) {
    return new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
  }

  /**
   * Trains the autoencoder {@code o} on {@code sample}.
   *
   * @param source names the sample in errors
   * @throws BadInputException naming {@code source} (or {@code endmembers}) when counts are negative or all zero,
   *     there are fewer windows than a batch, or fewer channels than endmembers
   */
  public static TrainedNetwork fit(AutoencoderOptions o, WindowSample sample, String source) {
    requireChannels(o, sample.channels(), source);
    MultiLayerNetwork net = o.network(sample.channels(), rmsProp(o.learningRate()));
    return fit(o, sample, source, net, trainingSteps(o, net, sample.channels()));
  }

  /**
   * The steps that train {@code net}, a network of {@code o} for spectra of {@code channels} channels: DAEU's on
   * plain float arrays ({@link DaeuTrainer}, DL4J's step in the same float operations) when {@code net} is trained
   * with RMSprop, every other step through DL4J.
   */
  public static TrainingSteps trainingSteps(AutoencoderOptions o, MultiLayerNetwork net, int channels) {
    return trainingSteps(o, net, channels, false);
  }

  /** As {@link #trainingSteps(AutoencoderOptions, MultiLayerNetwork, int)}; {@code throughDl4j}: always DL4J's. */
  public static TrainingSteps trainingSteps(AutoencoderOptions o, MultiLayerNetwork net, int channels,
      boolean throughDl4j) {
    return !throughDl4j && o instanceof DaeuOptions && Daeu.plainTrainable(net) ? Daeu.trainingSteps(net)
        : new NetworkSteps(o, net, channels);
  }

  /**
   * Trains {@code net}, an untrained network of {@code o}'s shape (e.g. built from DL4J's standard layers, to compare
   * a fused layer with what it replaces), as {@link #fit(AutoencoderOptions, WindowSample, String)} trains its own.
   */
  static TrainedNetwork fit(AutoencoderOptions o, WindowSample sample, String source, MultiLayerNetwork net) {
    return fit(o, sample, source, net, new NetworkSteps(o, net, sample.channels()));
  }

  /** Trains {@code net} as above, each mini-batch's update made by {@code steps}. */
  static TrainedNetwork fit(AutoencoderOptions o, WindowSample sample, String source, MultiLayerNetwork net,
      TrainingSteps steps) {
    int b = sample.channels();
    requireChannels(o, b, source);
    int n = sample.count();
    if (n < o.batchSize()) {
      throw new BadInputException(source, "has " + n + " training windows, fewer than one batch of "
          + o.batchSize());
    }
    float max = sample.largest(source);
    // Dropout layers of standard DL4J layers (CNNAEU) draw from ND4J's generator of this thread: seed it.
    Nd4j.getRandom().setSeed(nd4jSeed(o.seed()));
    SplittableRandom random = new SplittableRandom(o.seed());
    int batch = o.batchSize();
    float[] buffer = new float[o.batchLength(batch, b)];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    double[] losses = new double[o.epochs()];
    double[] wall = new double[o.epochs()];
    double[] cpu = new double[o.epochs()];
    // CNNAEU through DL4J: the first convolution of each batch runs on its patches' canvas where that is cheaper.
    PatchCanvas canvas = o instanceof CnnaeuOptions co && steps instanceof NetworkSteps ? co.canvas(sample) : null;
    long t = System.nanoTime();
    long c = EpochTimes.processCpuNanos();
    for (int epoch = 0; epoch < o.epochs(); epoch++) {
      shuffle(order, random);
      double lossSum = 0;
      for (int start = 0; start < n; start += batch) {
        int size = Math.min(batch, n - start);
        o.layout(sample, order, start, size, 1f / max, buffer);
        if (canvas != null) {
          ((NetworkSteps) steps).place(canvas.pays(size, Cnnaeu.ENCODER_KERNEL) ? canvas.place(order, start, size, buffer)
              : null);
        }
        lossSum += steps.step(buffer, size) / o.pixelsPerScoredRow() * size;
      }
      losses[epoch] = lossSum / n;
      long now = System.nanoTime();
      long cpuNow = EpochTimes.processCpuNanos();
      wall[epoch] = (now - t) / 1e9;
      cpu[epoch] = c < 0 || cpuNow < 0 ? Double.NaN : (cpuNow - c) / 1e9;
      t = now;
      c = cpuNow;
    }
    steps.finish();
    return new TrainedNetwork(net, losses, toCounts(o, net, max, sample), new EpochTimes(wall, cpu));
  }

  /**
   * Puts a network trained on spectra divided by {@code max} on the count scale ({@link
   * AutoencoderOptions#foldScale}), then fits the decoder's overall scale to the sample's counts by least squares
   * (the angle does not fix it, so that {@code aᵀM} reconstructs counts).
   *
   * @return the reconstruction loss: the mean spectral angle between the sample's distinct spectra and their
   *     reconstructions {@code aᵀM} in inference mode — deterministic, unlike the last epoch's training loss,
   *     which dropout, noise and (on Spark) averaging make noisy; restarts keep the lowest
   */
  public static double toCounts(AutoencoderOptions o, MultiLayerNetwork net, float max, WindowSample sample) {
    o.foldScale(net, max);
    double[] a = o.sampleAbundances(net, sample);
    int b = sample.channels();
    int n = sample.distinct();
    double[][] m = o.decoderEndmembers(net);
    // One pass: the least-squares scale s minimising Σ‖y − s·aᵀM‖², and the angles (which s does not change).
    double[] y = new double[b];
    double[] fit = new double[b];
    double yf = 0;
    double ff = 0;
    double angles = 0;
    for (int p = 0; p < n; p++) {
      Daeu.reconstruct(m, a, p, fit);
      for (int c = 0; c < b; c++) {
        y[c] = sample.spectra()[p * b + c];
        yf += y[c] * fit[c];
        ff += fit[c] * fit[c];
      }
      angles += SpectralAngle.between(y, fit);
    }
    o.scaleDecoder(net, ff > 0 ? yf / ff : 1.0);
    return angles / n;
  }

  /**
   * Trains the autoencoder {@code o} on windows drawn from {@code image} and unmixes all its pixels.
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, has fewer channels than
   *     endmembers or is too small for the windows
   */
  public static AutoencoderResult train(SpectrumImage image, AutoencoderOptions o) {
    requireChannels(o, image.channels(), image.id());
    image.requireNonNegative(image.id());
    int[] windows = o.drawWindows(image.width(), image.height(), image.id());
    TrainedNetwork t = fit(o, WindowSample.of(image, windows, o.windowPixels()), image.id());
    Abundances a = o.abundances(t.network(), image);
    Endmembers m = new Endmembers(o.decoderEndmembers(t.network()), null, image.axis());
    return new AutoencoderResult(t.network(), t.losses(), new Unmixing(m, a), t.epochTimes());
  }

  /** Shuffles {@code a} in place (Fisher–Yates) with {@code random}: the batch order of an epoch. */
  public static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** The first {@code n} entries of a random permutation of {@code 0 .. size − 1} (partial Fisher–Yates). */
  static int[] firstOfPermutation(int size, int n, SplittableRandom random) {
    int[] all = new int[size];
    for (int i = 0; i < size; i++) {
      all[i] = i;
    }
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(size - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, n);
  }

  static void requireChannels(AutoencoderOptions o, int channels, String source) {
    if (o.endmembers() > channels) {
      throw new BadInputException("endmembers", "asked for " + o.endmembers() + " endmembers but " + source
          + " has only " + channels + " channels");
    }
  }
}
