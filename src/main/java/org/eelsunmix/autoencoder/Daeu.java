package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * DAEU, the unmixing autoencoder of Palsson, Sigurdsson, Sveinsson &amp; Ulfarsson, "Hyperspectral unmixing using a
 * neural network autoencoder", IEEE Access 6:25646–25656, 2018, trained in memory on one spectrum image.
 *
 * <p>The network (DL4J {@link MultiLayerNetwork}, float): layer 0 is the encoder {@link AbundanceEncoder} (spectrum
 * → R abundances, ≥ 0, sum 1), layer 1 the decoder {@link EndmemberDecoder}, linear without bias, whose weights
 * (R × B) are kept non-negative by DL4J's {@code NonNegativeConstraint} after each update: they are the endmembers,
 * and the reconstruction is {@code ŷ = aᵀ M}. The loss is the spectral angle between spectrum and reconstruction
 * ({@link SadLossFunction}). It is trained by {@link DaeuTrainer} (DL4J's step on plain float arrays, the weights
 * written into the network at the end), in memory and on each worker of Spark's parameter averaging.
 *
 * <p>Training, as the reference: {@link DaeuOptions#samples()} spectra drawn without replacement (seeded), divided by
 * the image's largest count (the reference scales its data to a maximum of 1), shuffled every epoch, batches of
 * {@link DaeuOptions#batchSize()}, RMSprop. After training the scale is folded into the network (first encoder
 * weights divided by it, decoder weights multiplied), so the returned network takes and reconstructs counts, and its
 * decoder weights are the endmembers on the count scale. The loss does not fix the decoder's overall scale, so it
 * is finally set by least squares against the image's counts (one factor for all endmembers, which changes no
 * angle and no abundance).
 *
 * <p>ND4J should run with {@code OMP_NUM_THREADS=1}: the network is far too small for intra-op threads.
 */
public final class Daeu {
  /** Pixels per forward pass when encoding a whole image. */
  public static final int INFERENCE_BATCH = 1024;

  static {
    NativeMemory.uncapped();
  }

  private Daeu() {}

  /** The untrained network for spectra of {@code channels} channels, weights drawn from {@code o.seed()}. */
  public static MultiLayerNetwork network(int channels, DaeuOptions o) {
    return network(channels, o, AutoencoderFit.rmsProp(o.learningRate()));
  }

  /**
   * The untrained network with another updater (e.g. plain SGD, to compare Spark's parameter averaging with
   * single-machine training step by step). ND4J's {@link org.nd4j.linalg.learning.config.RmsProp} is replaced by
   * {@link JavaRmsProp}, the same update as a Java loop: DAEU's 13 333 steps of the reference schedule each paid the
   * native op's call overhead for its three parameter blocks (measured: about 7 % of the training).
   */
  public static MultiLayerNetwork network(int channels, DaeuOptions o, IUpdater updater) {
    return encoderDecoder(o.seed(), JavaRmsProp.replacing(updater), new AbundanceEncoder.Builder().nIn(channels)
        .nOut(o.endmembers()).build(), o.endmembers(), channels);
  }

  /**
   * A float network of {@code encoder} (layer 0, R abundances out) and the non-negative {@link EndmemberDecoder}
   * (layer 1, R → B), trained with {@code updater}, Glorot-uniform weights drawn from {@code seed}.
   */
  static MultiLayerNetwork encoderDecoder(long seed, IUpdater updater, Layer encoder, int endmembers,
      int channels) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(AutoencoderFit.nd4jSeed(seed))
        .dataType(DataType.FLOAT)
        .updater(updater)
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .list()
        .layer(encoder)
        .layer(new EndmemberDecoder.Builder().nIn(endmembers).nOut(channels).build())
        .build();
    return initialised(conf, seed);
  }

  /**
   * The network of {@code conf} with its initial weights drawn from {@code seed} ({@link AutoencoderFit#nd4jSeed}):
   * ND4J's generator of this thread is seeded just before {@code init()}, so the weights do not depend on what ran
   * on the thread before.
   */
  static MultiLayerNetwork initialised(MultiLayerConfiguration conf, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    Nd4j.getRandom().setSeed(AutoencoderFit.nd4jSeed(seed));
    net.init();
    return net;
  }

  /**
   * Trains DAEU on {@code image} and unmixes all its pixels ({@link AutoencoderFit#train}).
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, or has fewer channels
   *     than endmembers
   */
  public static AutoencoderResult train(SpectrumImage image, DaeuOptions o) {
    return AutoencoderFit.train(image, o);
  }

  /**
   * The training steps {@link AutoencoderFit} runs for a DAEU network: the plain trainer {@link DaeuTrainer} (the
   * same step as DL4J's {@code fit} on float arrays, the network written once at the end).
   */
  static TrainingSteps trainingSteps(MultiLayerNetwork net) {
    return new DaeuTrainer(net);
  }

  /** Whether the plain trainer can train {@code net}: one RMSprop for all its parameters (e.g. not plain SGD). */
  static boolean plainTrainable(MultiLayerNetwork net) {
    return DaeuTrainer.accepts(net);
  }

  /**
   * Trains DAEU on {@code sample} as {@link AutoencoderFit#fit} does: with the plain trainer, or with
   * {@code throughDl4j} each step through DL4J's {@code MultiLayerNetwork.fit} (the path before the plain trainer;
   * for comparisons and benchmarks). Both start from the same seeded network.
   */
  public static TrainedNetwork fit(DaeuOptions o, WindowSample sample, String source, boolean throughDl4j) {
    if (!throughDl4j) {
      return AutoencoderFit.fit(o, sample, source);
    }
    AutoencoderFit.requireChannels(o, sample.channels(), source);
    return AutoencoderFit.fit(o, sample, source, network(sample.channels(), o));
  }

  /** Folds the input scale into the network: it then takes and reconstructs counts. */
  static void foldScale(MultiLayerNetwork net, float max, int b, int r) {
    AbundanceEncoderKernel k = new AbundanceEncoderKernel(b, r);
    INDArray trained = net.getLayer(0).getParam(AbundanceEncoderParams.TRAINED);
    trained.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, (long) b * k.width(1))).divi(max);
    scaleDecoder(net, max);
  }

  /**
   * The decoder's reconstruction {@code aᵀM} of pixel {@code p}: {@code fit[c] = Σₖ a[p·R + k] · m[k][c]}.
   *
   * @param m the endmembers, R × B (read-only)
   * @param a abundances, R per pixel (read-only)
   * @param fit written: B values
   */
  public static void reconstruct(double[][] m, double[] a, int p, double[] fit) {
    int r = m.length;
    java.util.Arrays.fill(fit, 0);
    for (int k = 0; k < r; k++) {
      double ak = a[p * r + k];
      for (int c = 0; c < fit.length; c++) {
        fit[c] += ak * m[k][c];
      }
    }
  }

  /** The configuration of a DAEU network's encoder. */
  static AbundanceEncoder encoderLayer(MultiLayerNetwork network) {
    return (AbundanceEncoder) network.getLayerWiseConfigurations().getConf(0).getLayer();
  }

  /** Multiplies the weights of the dense decoder (layer 1 of DAEU and MTAEU) by {@code factor}. */
  static void scaleDecoder(MultiLayerNetwork network, double factor) {
    network.getLayer(1).getParam("W").muli(factor);
  }

  /** The decoder weights of a DAEU network, R × B: the endmember spectra. */
  public static double[][] decoderWeights(MultiLayerNetwork network) {
    INDArray w = network.getLayer(1).getParam("W");
    double[][] m = new double[(int) w.size(0)][(int) w.size(1)];
    double[] flat = new double[(int) w.length()];
    NdBuffers.read(w, flat);
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(flat, r * m[r].length, m[r], 0, m[r].length);
    }
    return m;
  }

  /** The decoder weights of a DAEU network as endmembers on {@code image}'s energy axis. */
  public static Endmembers endmembers(MultiLayerNetwork network, SpectrumImage image) {
    double[][] m = decoderWeights(network);
    if (m[0].length != image.channels()) {
      throw new BadInputException(image.id(), "the network's decoder has " + m[0].length + " channels but the image "
          + image.channels());
    }
    return new Endmembers(m, null, image.axis());
  }

  /**
   * The encoder's abundances for every pixel of {@code image} (inference mode: running batch statistics), in
   * forward passes of {@link #INFERENCE_BATCH} pixels.
   *
   * @throws BadInputException naming the image when its channel count differs from the network's input
   */
  public static Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    FeedForwardLayer encoder = inputLayer(network, image);
    int r = (int) encoder.getNOut();
    double[] values = new double[image.pixels() * r];
    encode(network, image.data(), image.pixels(), values);
    return new Abundances(image.height(), image.width(), r, values);
  }

  /**
   * Encodes {@code pixels} spectra ({@code pixels × B} counts, row-major, B the network's input) into
   * {@code values} ({@code pixels × R}), in forward passes of at most {@link #INFERENCE_BATCH} pixels (inference
   * mode). The abundances are renormalised to sum to one in double.
   */
  public static void encode(MultiLayerNetwork network, float[] spectra, int pixels, double[] values) {
    AbundanceEncoder encoder = encoderLayer(network);
    int b = (int) encoder.getNIn();
    int r = (int) encoder.getNOut();
    float[] out = new float[Math.min(INFERENCE_BATCH, pixels) * r];
    INDArray in = null;
    for (int start = 0; start < pixels; start += INFERENCE_BATCH) {
      int size = Math.min(INFERENCE_BATCH, pixels - start);
      if (in == null || in.size(0) != size) {
        in = Nd4j.create(DataType.FLOAT, size, b);
      }
      NdBuffers.write(spectra, start * b, in);
      INDArray a = network.getLayer(0).activate(in, false, LayerWorkspaceMgr.noWorkspaces());
      NdBuffers.read(a, out);
      // The layer sums to one in float; renormalise in double so the maps sum to one to double rounding.
      for (int p = 0; p < size; p++) {
        double sum = 0;
        for (int k = 0; k < r; k++) {
          sum += out[p * r + k];
        }
        for (int k = 0; k < r; k++) {
          values[(start + p) * r + k] = out[p * r + k] / sum;
        }
      }
    }
  }

  /**
   * The configuration of {@code network}'s first layer, checked to take {@code image}'s spectra.
   *
   * @throws BadInputException naming the image when its channel count differs from the network's input
   */
  static FeedForwardLayer inputLayer(MultiLayerNetwork network, SpectrumImage image) {
    FeedForwardLayer first = (FeedForwardLayer) network.getLayerWiseConfigurations().getConf(0).getLayer();
    if (first.getNIn() != image.channels()) {
      throw new BadInputException(image.id(), String.format("the network takes spectra of %d channels but the image "
          + "has %d", first.getNIn(), image.channels()));
    }
    return first;
  }
}
