package org.eelsunmix.autoencoder;

import java.util.SplittableRandom;
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
import org.eelsunmix.unmix.Unmixing;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * DAEU, the unmixing autoencoder of Palsson, Sigurdsson, Sveinsson &amp; Ulfarsson, "Hyperspectral unmixing using a
 * neural network autoencoder", IEEE Access 6:25646–25656, 2018, trained in memory on one spectrum image.
 *
 * <p>The network (DL4J {@link MultiLayerNetwork}, float): layer 0 is the encoder {@link AbundanceEncoder} (spectrum
 * → R abundances, ≥ 0, sum 1), layer 1 the decoder {@link EndmemberDecoder}, linear without bias, whose weights
 * (R × B) are kept non-negative by DL4J's {@code NonNegativeConstraint} after each update: they are the endmembers,
 * and the reconstruction is {@code ŷ = aᵀ M}. The loss is the spectral angle between spectrum and reconstruction
 * ({@link SadLossFunction}).
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
    return encoderDecoder(o.seed(), o.learningRate(), new AbundanceEncoder.Builder().nIn(channels)
        .nOut(o.endmembers()).build(), o.endmembers(), channels);
  }

  /**
   * A float network of {@code encoder} (layer 0, R abundances out) and the non-negative {@link EndmemberDecoder}
   * (layer 1, R → B), RMSprop (ρ 0.9, ε 1e-7, Keras' values), Glorot-uniform weights drawn from {@code seed}.
   */
  static MultiLayerNetwork encoderDecoder(long seed, double learningRate, Layer encoder, int endmembers,
      int channels) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .updater(new RmsProp(learningRate, 0.9, 1e-7))
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .list()
        .layer(encoder)
        .layer(new EndmemberDecoder.Builder().nIn(endmembers).nOut(channels).build())
        .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /**
   * Trains DAEU on {@code image} and unmixes all its pixels.
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, or has fewer channels
   *     than endmembers
   */
  public static DaeuResult train(SpectrumImage image, DaeuOptions o) {
    int b = image.channels();
    float max = checkedMaximum(image, o.endmembers());
    float[] data = image.data();
    SplittableRandom random = new SplittableRandom(o.seed());
    int n = Math.min(o.samples(), image.pixels());
    int[] order = firstOfPermutation(image.pixels(), n, random);
    float[] spectra = new float[n * b];
    for (int i = 0; i < n; i++) {
      int base = order[i] * b;
      for (int c = 0; c < b; c++) {
        spectra[i * b + c] = data[base + c] / max;
      }
    }

    MultiLayerNetwork net = network(b, o);
    int batch = o.batchSize();
    INDArray full = Nd4j.create(DataType.FLOAT, batch, b);
    INDArray rest = n % batch == 0 ? null : Nd4j.create(DataType.FLOAT, n % batch, b);
    float[] buffer = new float[batch * b];
    int[] shuffled = new int[n];
    for (int i = 0; i < n; i++) {
      shuffled[i] = i;
    }
    double[] losses = new double[o.epochs()];
    for (int epoch = 0; epoch < o.epochs(); epoch++) {
      shuffle(shuffled, random);
      double lossSum = 0;
      for (int start = 0; start < n; start += batch) {
        int size = Math.min(batch, n - start);
        for (int i = 0; i < size; i++) {
          System.arraycopy(spectra, shuffled[start + i] * b, buffer, i * b, b);
        }
        INDArray x = size == batch ? full : rest;
        NdBuffers.write(buffer, x);
        net.fit(x, x);
        lossSum += net.score() * size;
      }
      losses[epoch] = lossSum / n;
    }
    // Fold the input scale into the network: it now takes and reconstructs counts.
    AbundanceEncoderKernel k = new AbundanceEncoderKernel(b, o.endmembers());
    INDArray trained = net.getLayer(0).getParam(AbundanceEncoderParams.TRAINED);
    trained.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, (long) b * k.width(1))).divi(max);
    net.getLayer(1).getParam("W").muli(max);
    Abundances a = abundances(net, image);
    // The angle ignores the decoder's overall scale: fit it to the counts (least squares), so that a × M
    // reconstructs the image and the RMSE means something.
    INDArray w = net.getLayer(1).getParam("W");
    w.muli(countScale(image, endmembers(net, image), a));
    return new DaeuResult(net, losses, new Unmixing(endmembers(net, image), a));
  }

  /**
   * The largest count of {@code image}, the scale its spectra are divided by for training.
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, or has fewer channels
   *     than {@code endmembers}
   */
  static float checkedMaximum(SpectrumImage image, int endmembers) {
    if (endmembers > image.channels()) {
      throw new BadInputException("--endmembers", "asked for " + endmembers + " endmembers but " + image.id()
          + " has only " + image.channels() + " channels");
    }
    try {
      image.requireNonNegative(image.id());
    } catch (IllegalArgumentException e) {
      throw new BadInputException(image.id(), e.getMessage());
    }
    float max = 0f;
    for (float v : image.data()) {
      max = Math.max(max, v);
    }
    if (!(max > 0)) {
      throw new BadInputException(image.id(), "every count is zero; there is nothing to unmix");
    }
    return max;
  }

  /** The factor s minimising Σ‖y − s·aᵀM‖² over the pixels (1 when the reconstruction is zero). */
  static double countScale(SpectrumImage image, Endmembers m, Abundances a) {
    double[][] spectra = m.matrix();
    int b = image.channels();
    int r = spectra.length;
    float[] data = image.data();
    double[] values = a.values();
    double[] fit = new double[b];
    double yf = 0;
    double ff = 0;
    for (int p = 0; p < image.pixels(); p++) {
      java.util.Arrays.fill(fit, 0);
      for (int k = 0; k < r; k++) {
        double ak = values[p * r + k];
        for (int c = 0; c < b; c++) {
          fit[c] += ak * spectra[k][c];
        }
      }
      for (int c = 0; c < b; c++) {
        yf += data[p * b + c] * fit[c];
        ff += fit[c] * fit[c];
      }
    }
    return ff > 0 ? yf / ff : 1.0;
  }

  /** The decoder weights of a DAEU network as endmembers on {@code image}'s energy axis. */
  public static Endmembers endmembers(MultiLayerNetwork network, SpectrumImage image) {
    INDArray w = network.getLayer(1).getParam("W");
    double[][] m = new double[(int) w.size(0)][(int) w.size(1)];
    double[] flat = new double[(int) w.length()];
    NdBuffers.read(w, flat);
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(flat, r * m[r].length, m[r], 0, m[r].length);
    }
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
    int b = image.channels();
    int r = (int) encoder.getNOut();
    int pixels = image.pixels();
    double[] values = new double[pixels * r];
    float[] out = new float[INFERENCE_BATCH * r];
    INDArray in = null;
    for (int start = 0; start < pixels; start += INFERENCE_BATCH) {
      int size = Math.min(INFERENCE_BATCH, pixels - start);
      if (in == null || in.size(0) != size) {
        in = Nd4j.create(DataType.FLOAT, size, b);
      }
      NdBuffers.write(image.data(), start * b, in);
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
    return new Abundances(image.height(), image.width(), r, values);
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

  static void shuffle(int[] a, SplittableRandom random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
