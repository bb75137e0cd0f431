package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MTAEU, the multitask unmixing autoencoder of Palsson, Sveinsson &amp; Ulfarsson, "Spectral-spatial hyperspectral
 * unmixing using multitask learning", IEEE Access 7:148861–148872, 2019, trained in memory on one spectrum image.
 *
 * <p>Each sample is a 2×2 {@link Neighbourhood} of pixels, four tasks. The network (DL4J {@link MultiLayerNetwork},
 * float): layer 0 the encoder {@link MultitaskEncoder} (shared hidden layer, one abundance head per task, softmax(3x);
 * {@link MultitaskEncoderKernel}), layer 1 the shared decoder {@link EndmemberDecoder} (linear, no bias, weights kept
 * non-negative: the endmembers) applied to every task, and the loss the spectral angle of every task's
 * reconstruction ({@link SadLossFunction}; the mean over the four tasks is the reference's sum over tasks / 4). A batch
 * of n neighbourhoods is 4n rows, task-major.
 *
 * <p>Training ({@link AutoencoderFit}): the neighbourhoods are drawn without replacement (seeded), divided by the
 * sample's largest count, shuffled every epoch; RMSprop ({@link JavaRmsProp}). Afterwards the scale is folded into the network and the
 * decoder's overall scale is fitted to the counts by least squares ({@link #foldScale},
 * {@link AutoencoderFit#toCounts}). A pixel's abundances are the mean of the head outputs for that pixel over the
 * neighbourhoods it takes part in ({@link Encoder}).
 */
public final class Mtaeu {
  /** Neighbourhoods per forward pass when encoding a whole image. */
  public static final int INFERENCE_BATCH = 512;
  private static final int TASKS = MultitaskEncoderKernel.TASKS;

  static {
    NativeMemory.uncapped();
  }

  private Mtaeu() {}

  /** The untrained network for spectra of {@code channels} channels, weights drawn from {@code o.seed()}. */
  public static MultiLayerNetwork network(int channels, MtaeuOptions o) {
    return network(channels, o, AutoencoderFit.rmsProp(o.learningRate()));
  }

  /**
   * The untrained network with another updater. ND4J's {@link RmsProp} is replaced by {@link JavaRmsProp}, the same
   * update as a Java loop: on k-edges the native op took as long as the encoder's GEMMs.
   */
  public static MultiLayerNetwork network(int channels, MtaeuOptions o, IUpdater updater) {
    IUpdater u = updater.getClass() == RmsProp.class ? JavaRmsProp.of((RmsProp) updater) : updater;
    return Daeu.encoderDecoder(o.seed(), u, new MultitaskEncoder.Builder().nIn(channels)
        .nOut(o.endmembers()).build(), o.endmembers(), channels);
  }

  /**
   * Trains MTAEU on {@code image} and unmixes all its pixels ({@link AutoencoderFit#train}).
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, or has fewer channels
   *     than endmembers
   */
  public static AutoencoderResult train(SpectrumImage image, MtaeuOptions o) {
    return AutoencoderFit.train(image, o);
  }

  /** Divides the shared input weights by {@code max} and multiplies the decoder's: the network takes counts. */
  static void foldScale(MultiLayerNetwork net, float max) {
    MultitaskEncoder encoder = (MultitaskEncoder) net.getLayerWiseConfigurations().getConf(0).getLayer();
    int b = (int) encoder.getNIn();
    MultitaskEncoderKernel k = new MultitaskEncoderKernel(b, (int) encoder.getNOut(), 0);
    INDArray trained = net.getLayer(0).getParam(MultitaskEncoderParams.TRAINED);
    long from = k.sharedWeights() - k.statisticsCount();
    trained.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + (long) b * b)).divi(max);
    Daeu.scaleDecoder(net, max);
  }

  /**
   * Every pixel's abundances: the mean of the head outputs for it over the neighbourhoods it takes part in
   * (inference mode: no noise, no dropout, running statistics).
   *
   * @throws BadInputException naming the image when its channel count differs from the network's input
   */
  public static Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    int r = (int) Daeu.inputLayer(network, image).getNOut();
    int pixels = image.pixels();
    int[] uses = new int[pixels * TASKS];
    for (int p = 0; p < pixels; p++) {
      taskUses(image.width(), image.height(), p % image.width(), p / image.width(), uses, p * TASKS);
    }
    double[] values = new double[pixels * r];
    encode(network, image.data(), pixels, uses, values);
    return new Abundances(image.height(), image.width(), r, values);
  }

  /** Writes {@link Neighbourhood#uses} of pixel (x, y) for the four tasks into {@code out[offset ..]}. */
  public static void taskUses(int width, int height, int x, int y, int[] out, int offset) {
    for (int t = 0; t < TASKS; t++) {
      out[offset + t] = Neighbourhood.uses(width, height, x, y, t);
    }
  }

  /**
   * Encodes {@code pixels} spectra (counts, {@code pixels × B}) into {@code values} ({@code pixels × R}) with a new
   * {@link Encoder}; see {@link Encoder#encode}.
   */
  public static void encode(MultiLayerNetwork network, float[] spectra, int pixels, int[] uses, double[] values) {
    new Encoder(network).encode(spectra, pixels, uses, values);
  }

  /**
   * MTAEU's encoder for inference, per pixel: every head is applied to every pixel (the heads see one pixel each,
   * so a neighbourhood's output for its pixel in task t is head t's output for that pixel alone), and a pixel's
   * abundances are the heads' outputs weighted by how many neighbourhoods use it as each task, renormalised to sum
   * to one in double. This equals averaging over the neighbourhoods the pixel takes part in, and needs no
   * neighbour. Holds a copy of the parameters and the kernel's buffers: one per thread.
   */
  public static final class Encoder {
    private final MultitaskEncoderKernel kernel;
    private final float[] params;
    private float[] out = new float[0];

    public Encoder(MultiLayerNetwork network) {
      MultitaskEncoder c = (MultitaskEncoder) network.getLayerWiseConfigurations().getConf(0).getLayer();
      kernel = new MultitaskEncoderKernel((int) c.getNIn(), (int) c.getNOut(), 0);
      params = new float[kernel.parameterCount()];
      NdBuffers.read(network.getLayer(0).params(), params);
    }

    /**
     * @param spectra {@code pixels × B} counts (read-only)
     * @param uses {@code pixels × 4} use counts ({@link #taskUses}), or null for one use per task (inside the image)
     * @param values written: {@code pixels × R}
     */
    public void encode(float[] spectra, int pixels, int[] uses, double[] values) {
      int r = kernel.endmembers();
      int b = kernel.channels();
      for (int start = 0; start < pixels; start += INFERENCE_BATCH) {
        int size = Math.min(INFERENCE_BATCH, pixels - start);
        if (out.length < size * TASKS * r) {
          out = new float[size * TASKS * r];
        }
        kernel.inferEveryHead(spectra, start * b, size, params, out);
        for (int i = 0; i < size; i++) {
          int p = start + i;
          double total = 0;
          for (int k = 0; k < r; k++) {
            double v = 0;
            for (int t = 0; t < TASKS; t++) {
              v += (uses == null ? 1 : uses[p * TASKS + t]) * (double) out[(i * TASKS + t) * r + k];
            }
            values[p * r + k] = v;
            total += v;
          }
          for (int k = 0; k < r; k++) {
            values[p * r + k] /= total;
          }
        }
      }
    }
  }
}
