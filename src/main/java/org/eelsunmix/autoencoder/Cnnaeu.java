package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.dropout.SpatialDropout;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.EnergyAxis;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * CNNAEU, the convolutional unmixing autoencoder of Palsson, Ulfarsson &amp; Sveinsson, "Convolutional autoencoder for
 * spectral–spatial hyperspectral unmixing", IEEE TGRS 59(1):535–549, 2021, trained in memory on one spectrum image.
 *
 * <p>The network (DL4J {@link MultiLayerNetwork}, NCHW, float). The three convolutions, nearly all of the arithmetic,
 * are {@link FusedConvolution} layers (the encoder's 3×3: Winograd F(4×4, 3×3), 36 BLAS GEMMs on transformed tiles,
 * {@link WinogradConvolution}, or nine shifted GEMMs, {@link ShiftedConvolution}, the path before it; its 1×1: im2col + one GEMM per patch, {@link SameConvolution}; the decoder's: by FFT,
 * {@link FftConvolution}; work spread over the {@link PatchWorkers} threads, results independent of their number;
 * in training, a batch's first convolution runs once over the canvas its overlapping patches lie on,
 * {@link PatchCanvas}, {@link CanvasConvolution}, about a sixth of the per-patch work on a 64×64 image);
 * the rest are DL4J's standard layers:
 * <ol>
 *   <li>0: convolution 3×3 × {@link CnnaeuOptions#filters()} (same padding, bias), LeakyReLU(0.02);</li>
 *   <li>1: batch normalisation (Keras' momentum 0.99, ε 1e-3; {@link FusedBatchNormalization}: its training pass
 *       in plain Java);</li>
 *   <li>2: spatial dropout 0.2 (on its input), convolution 1×1 → R, LeakyReLU(0.02);</li>
 *   <li>3: batch normalisation;</li>
 *   <li>4: spatial dropout 0.2, then {@code softmax(3x)} over the R channels ({@link ScaledSoftmaxActivation}):
 *       the abundance maps, ≥ 0 and summing to one per pixel;</li>
 *   <li>5: the decoder, a linear convolution R → B channels with {@link CnnaeuOptions#decoderSize()}² kernels, same
 *       padding, no bias, weights kept non-negative by DL4J's {@code NonNegativeConstraint} (fused as layer 0);</li>
 *   <li>6: the loss, the spectral angle between each pixel's spectrum and its reconstruction, summed over a patch
 *       ({@link SadOutput}: DL4J's {@code CnnLossLayer} with {@link SadLossFunction}, computed on the NCHW arrays
 *       without their copies to {@code [pixels, channels]}).</li>
 * </ol>
 * A pixel's reconstruction mixes the abundances of its neighbours through the decoder kernel; endmember k is the
 * kernel's weights from abundance k averaged over its positions (as the reference reads them off).
 *
 * <p>Training ({@link AutoencoderFit}): {@link CnnaeuOptions#patches()} square patches drawn at random positions
 * (seeded), divided by the sample's largest count, shuffled every epoch, RMSprop. Afterwards the scale is folded
 * into the network and the decoder's overall scale is fitted to the counts by least squares ({@link #foldScale},
 * {@link #sampleAbundances}). The abundances come from inference passes over {@link #TILE}-pixel tiles with a
 * {@link #HALO}-pixel halo ({@link #abundances}, {@link #encodeTile}), equal to one pass over the whole image (fully
 * convolutional).
 */
public final class Cnnaeu {
  /** Layer holding the abundance maps. */
  static final int ABUNDANCE_LAYER = 4;
  /** Layer of the decoder convolution. */
  static final int DECODER_LAYER = 5;
  /** Slope of the LeakyReLU activations. */
  public static final double LEAKY_SLOPE = 0.02;
  /** Spatial dropout rate of the two dropout layers. */
  public static final double DROPOUT = 0.2;
  /** Side of the first convolution's kernel ({@link #network}): the encoder's only spatial layer. */
  static final int ENCODER_KERNEL = 3;
  /**
   * Pixels of context an abundance needs on each side: half the first convolution's kernel (layers 1 to
   * {@link #ABUNDANCE_LAYER} act pixel by pixel), so a tile's core is exact given this halo.
   */
  public static final int HALO = ENCODER_KERNEL / 2;
  /**
   * Core side of an inference tile: 64×64 pixels (66×66 with the halo, about 3% recomputed); a tile of 2048-channel
   * spectra is 34 MB of floats, and the first layer's activations are smaller than its input.
   */
  public static final int TILE = 64;

  static {
    NativeMemory.uncapped();
  }

  private Cnnaeu() {}

  /**
   * Threads one training's convolutions use: the system property {@code eelsunmix.autoencoder.threads}, default
   * the available processors. The results do not depend on it.
   */
  public static int threads() {
    return PatchWorkers.threads();
  }

  /** The untrained network for spectra of {@code channels} channels, weights drawn from {@code o.seed()}. */
  public static MultiLayerNetwork network(int channels, CnnaeuOptions o) {
    return network(channels, o, AutoencoderFit.rmsProp(o.learningRate()));
  }

  /** The untrained network with another updater. */
  public static MultiLayerNetwork network(int channels, CnnaeuOptions o, IUpdater updater) {
    return network(channels, o, updater, true);
  }

  /** A convolution layer of the network: {@link FusedConvolution}, or DL4J's own (the reference it replaces). */
  private static ConvolutionLayer.BaseConvBuilder<?> convolution(int k, boolean fused) {
    return fused ? new FusedConvolution.Builder(k) : new ConvolutionLayer.Builder(k, k);
  }

  /**
   * The untrained network, its convolutions {@link FusedConvolution}s, its batch normalisations
   * {@link FusedBatchNormalization}s and its loss {@link SadOutput} or ({@code fused = false}) DL4J's standard
   * {@code ConvolutionLayer}s, {@code BatchNormalization}s and {@code CnnLossLayer}: same configuration,
   * parameters and initial weights, the reference the fused layers are tested against.
   */
  static MultiLayerNetwork network(int channels, CnnaeuOptions o, IUpdater updater, boolean fused) {
    return network(channels, o, updater, fused, fused);
  }

  /**
   * The untrained network with the convolutions chosen by {@code fused} and the loss by {@code fusedLoss}
   * ({@link SadOutput}, or DL4J's {@code CnnLossLayer} with {@link SadLossFunction}, which it replaces bit for bit).
   */
  static MultiLayerNetwork network(int channels, CnnaeuOptions o, IUpdater updater, boolean fused,
      boolean fusedLoss) {
    int r = o.endmembers();
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
        .seed(AutoencoderFit.nd4jSeed(o.seed()))
        .dataType(DataType.FLOAT)
        .updater(updater)
        .weightInit(WeightInit.XAVIER_UNIFORM)
        .convolutionMode(ConvolutionMode.Same)
        .list()
        .layer(convolution(ENCODER_KERNEL, fused).nOut(o.filters())
            .activation(new ActivationLReLU(LEAKY_SLOPE)).build())
        .layer(batchNormalisation(fused))
        .layer(convolution(1, fused).nOut(r).activation(new ActivationLReLU(LEAKY_SLOPE))
            .dropOut(new SpatialDropout(1 - DROPOUT)).build())
        .layer(batchNormalisation(fused))
        .layer(new ActivationLayer.Builder().activation(new ScaledSoftmaxActivation())
            .dropOut(new SpatialDropout(1 - DROPOUT)).build())
        .layer(convolution(o.decoderSize(), fused).nOut(channels).hasBias(false)
            .activation(Activation.IDENTITY).constrainWeights(new NonNegativeConstraint()).build())
        .layer(fusedLoss ? new SadOutput()
            : new CnnLossLayer.Builder(new SadLossFunction()).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(o.patchSize(), o.patchSize(), channels))
        .build();
    return Daeu.initialised(conf, o.seed());
  }

  /** Keras' batch normalisation: {@link FusedBatchNormalization}, or ({@code fused = false}) DL4J's own. */
  private static BatchNormalization batchNormalisation(boolean fused) {
    BatchNormalization dl4j = new BatchNormalization.Builder().decay(BatchNormalisation.MOMENTUM)
        .eps(BatchNormalisation.EPSILON).build();
    return fused ? FusedBatchNormalization.of(dl4j) : dl4j;
  }

  /**
   * Trains CNNAEU on {@code image} and unmixes all its pixels ({@link AutoencoderFit#train}).
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, has fewer channels than
   *     endmembers, or is smaller than a patch
   */
  public static AutoencoderResult train(SpectrumImage image, CnnaeuOptions o) {
    return AutoencoderFit.train(image, o);
  }

  /** Divides the first convolution's weights by {@code max} and multiplies the decoder's: the network takes counts. */
  static void foldScale(MultiLayerNetwork net, float max) {
    net.getLayer(0).getParam(ConvolutionParamInitializer.WEIGHT_KEY).divi(max);
    scaleDecoder(net, max);
  }

  static void scaleDecoder(MultiLayerNetwork net, double factor) {
    net.getLayer(DECODER_LAYER).getParam(ConvolutionParamInitializer.WEIGHT_KEY).muli(factor);
  }

  /**
   * The abundances of the sample's distinct pixels ({@code distinct × R}), each from the first patch holding it,
   * every patch encoded on its own (zero padding at the patch's edge).
   */
  static double[] sampleAbundances(MultiLayerNetwork net, WindowSample sample, int patchSize) {
    int b = sample.channels();
    int plane = sample.windowPixels();
    int r = endmemberCount(net);
    double[] out = new double[sample.distinct() * r];
    boolean[] done = new boolean[sample.distinct()];
    EnergyAxis axis = EnergyAxis.ofEv(0, 1, b);
    float[] pixels = new float[plane * b];
    for (int w = 0; w < sample.count(); w++) {
      for (int position = 0; position < plane; position++) {
        sample.copy(w, position, 1f, pixels, position * b);
      }
      double[] a = abundances(net, new SpectrumImage("patch " + w, patchSize, patchSize, axis, pixels)).values();
      for (int position = 0; position < plane; position++) {
        int pixel = sample.windows()[w * plane + position];
        if (!done[pixel]) {
          System.arraycopy(a, position * r, out, pixel * r, r);
          done[pixel] = true;
        }
      }
    }
    return out;
  }

  /** The decoder kernels averaged over their positions, R × B: the endmembers. */
  public static double[][] decoderEndmembers(MultiLayerNetwork network) {
    INDArray w = network.getLayer(DECODER_LAYER).getParam(ConvolutionParamInitializer.WEIGHT_KEY);
    // [B out, R in, kh, kw]
    int b = (int) w.size(0);
    int r = (int) w.size(1);
    INDArray mean = w.mean(2, 3);
    double[] flat = new double[b * r];
    NdBuffers.read(mean, flat);
    double[][] m = new double[r][b];
    for (int c = 0; c < b; c++) {
      for (int k = 0; k < r; k++) {
        m[k][c] = flat[c * r + k];
      }
    }
    return m;
  }

  /** The decoder kernels averaged over their positions, as endmembers on {@code image}'s energy axis. */
  public static Endmembers endmembers(MultiLayerNetwork network, SpectrumImage image) {
    double[][] m = decoderEndmembers(network);
    if (m[0].length != image.channels()) {
      throw new BadInputException(image.id(), "the network's decoder has " + m[0].length + " channels but the image "
          + image.channels());
    }
    return new Endmembers(m, null, image.axis());
  }

  /**
   * The abundance maps of {@code image}, tile by tile: {@link #TILE}×{@link #TILE} cores, each encoded with
   * {@link #HALO} pixels of context on every side (zeros beyond the image's edge, which is the zero padding a single
   * pass over the whole image would apply), so memory is bounded by one tile whatever the image size. The maps equal
   * those of one pass over the whole image (running batch statistics, no dropout) to float rounding. The Spark path
   * ({@code spark.ml.CnnaeuTiles}) runs the same {@link #encodeTile} on tiles assembled from pixel rows.
   *
   * @throws BadInputException naming the image when its channel count differs from the network's input
   */
  public static Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    Daeu.inputLayer(network, image);
    int b = image.channels();
    int h = image.height();
    int w = image.width();
    int r = endmemberCount(network);
    int side = TILE + 2 * HALO;
    float[] block = new float[side * side * b];
    double[] tile = new double[side * side * r];
    double[] values = new double[h * w * r];
    float[] data = image.data();
    for (int y0 = 0; y0 < h; y0 += TILE) {
      for (int x0 = 0; x0 < w; x0 += TILE) {
        // The block: the core clipped to the image, plus the halo on every side.
        int coreW = Math.min(TILE, w - x0);
        int coreH = Math.min(TILE, h - y0);
        int bw = coreW + 2 * HALO;
        int bh = coreH + 2 * HALO;
        for (int by = 0; by < bh; by++) {
          int y = y0 - HALO + by;
          for (int bx = 0; bx < bw; bx++) {
            int x = x0 - HALO + bx;
            int at = (by * bw + bx) * b;
            if (y >= 0 && y < h && x >= 0 && x < w) {
              System.arraycopy(data, (y * w + x) * b, block, at, b);
            } else {
              java.util.Arrays.fill(block, at, at + b, 0f);
            }
          }
        }
        encodeTile(network, block, bw, bh, tile);
        for (int y = 0; y < coreH; y++) {
          System.arraycopy(tile, ((y + HALO) * bw + HALO) * r, values, ((y0 + y) * w + x0) * r, coreW * r);
        }
      }
    }
    return new Abundances(h, w, r, values);
  }

  /**
   * The abundances of every pixel of a block of spectra: one forward pass of the encoder (layers 0 to
   * {@link #ABUNDANCE_LAYER}, inference mode: running batch statistics, no dropout), renormalised in double so each
   * pixel's abundances sum to one to double rounding. A pixel's result depends on its 3×3 neighbourhood, zeros
   * beyond the block: only pixels at least {@link #HALO} from the block's edge get the values a larger image would
   * give them.
   *
   * @param pixels the block's spectra, pixel-major in raster order ({@code (y·width + x)·B + c}), zeros where there
   *     is no pixel; at least {@code width·height·B} values (the rest is ignored); not modified
   * @param out receives the abundances, {@code (y·width + x)·R + k}; at least {@code width·height·R} values
   */
  public static void encodeTile(MultiLayerNetwork network, float[] pixels, int width, int height, double[] out) {
    int b = (int) ((FeedForwardLayer) network.getLayerWiseConfigurations().getConf(0).getLayer()).getNIn();
    requireHalo(network);
    int plane = width * height;
    if (pixels.length < plane * b) {
      throw new IllegalArgumentException("a " + width + "×" + height + " block of " + b + "-channel spectra needs "
          + plane * b + " values, got " + pixels.length);
    }
    // Pixel-major (as the tables hold spectra) to the network's channel-major NCHW.
    float[] in = new float[b * plane];
    for (int p = 0; p < plane; p++) {
      for (int c = 0; c < b; c++) {
        in[c * plane + p] = pixels[p * b + c];
      }
    }
    INDArray x = Nd4j.create(DataType.FLOAT, 1, b, height, width);
    NdBuffers.write(in, x);
    INDArray maps = network.feedForwardToLayer(ABUNDANCE_LAYER, x, false).get(ABUNDANCE_LAYER + 1);
    int r = (int) maps.size(1);
    float[] a = new float[r * plane];
    NdBuffers.read(maps, a);
    for (int p = 0; p < plane; p++) {
      double sum = 0;
      for (int k = 0; k < r; k++) {
        sum += a[k * plane + p];
      }
      for (int k = 0; k < r; k++) {
        out[p * r + k] = a[k * plane + p] / sum;
      }
    }
  }

  /** R, the abundances per pixel: the decoder's input channels. */
  static int endmemberCount(MultiLayerNetwork network) {
    return (int) ((FeedForwardLayer) network.getLayerWiseConfigurations().getConf(DECODER_LAYER).getLayer())
        .getNIn();
  }

  /** Refuses a network whose first convolution sees farther than {@link #HALO} pixels (tiles would be wrong). */
  private static void requireHalo(MultiLayerNetwork network) {
    int[] kernel = ((ConvolutionLayer) network.getLayerWiseConfigurations().getConf(0).getLayer()).getKernelSize();
    if (kernel[0] / 2 > HALO || kernel[1] / 2 > HALO) {
      throw new IllegalArgumentException("the network's first convolution is " + kernel[0] + "×" + kernel[1]
          + " but CNNAEU tiles carry a halo of " + HALO + " pixel(s)");
    }
  }
}
