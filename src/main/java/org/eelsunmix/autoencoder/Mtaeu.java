package org.eelsunmix.autoencoder;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.unmix.Unmixing;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
 * <p>Training, as {@link Daeu}: the samples are drawn without replacement (seeded), divided by the image's largest
 * count, shuffled every epoch; RMSprop. Afterwards the scale is folded into the network (shared input weights divided
 * by it, decoder multiplied) and the decoder's overall scale is fitted to the counts by least squares. A pixel's
 * abundances are the mean of the head outputs for that pixel over the neighbourhoods it takes part in (inference
 * mode: no noise, no dropout, running statistics).
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
    return Daeu.encoderDecoder(o.seed(), o.learningRate(), new MultitaskEncoder.Builder().nIn(channels)
        .nOut(o.endmembers()).build(), o.endmembers(), channels);
  }

  /**
   * Copies the four tasks' spectra of the neighbourhoods anchored at {@code anchors[from .. from + size)} into
   * {@code rows} (task-major: task t of the i-th at row {@code t·size + i}), each multiplied by {@code scale}.
   */
  static void gather(SpectrumImage image, int[] anchors, int from, int size, float scale, float[] rows) {
    int b = image.channels();
    float[] data = image.data();
    for (int t = 0; t < TASKS; t++) {
      for (int i = 0; i < size; i++) {
        int pixel = Neighbourhood.task(image.width(), image.height(), anchors[from + i], t);
        int dst = (t * size + i) * b;
        for (int c = 0; c < b; c++) {
          rows[dst + c] = data[pixel * b + c] * scale;
        }
      }
    }
  }

  /**
   * Trains MTAEU on {@code image} and unmixes all its pixels.
   *
   * @throws BadInputException naming the image when it has negative counts, is all zero, or has fewer channels
   *     than endmembers
   */
  public static AutoencoderResult train(SpectrumImage image, MtaeuOptions o) {
    int b = image.channels();
    float max = Daeu.checkedMaximum(image, o.endmembers());
    SplittableRandom random = new SplittableRandom(o.seed());
    int n = Math.min(o.samples(), image.pixels());
    int[] anchors = Daeu.firstOfPermutation(image.pixels(), n, random);

    MultiLayerNetwork net = network(b, o);
    int batch = o.batchSize();
    INDArray full = Nd4j.create(DataType.FLOAT, (long) TASKS * batch, b);
    INDArray rest = n % batch == 0 ? null : Nd4j.create(DataType.FLOAT, (long) TASKS * (n % batch), b);
    float[] buffer = new float[TASKS * batch * b];
    int[] shuffled = new int[n];
    double[] losses = new double[o.epochs()];
    for (int epoch = 0; epoch < o.epochs(); epoch++) {
      System.arraycopy(anchors, 0, shuffled, 0, n);
      Daeu.shuffle(shuffled, random);
      double lossSum = 0;
      for (int start = 0; start < n; start += batch) {
        int size = Math.min(batch, n - start);
        gather(image, shuffled, start, size, 1f / max, buffer);
        INDArray x = size == batch ? full : rest;
        NdBuffers.write(buffer, x);
        net.fit(x, x);
        lossSum += net.score() * size;
      }
      losses[epoch] = lossSum / n;
    }
    // Fold the input scale into the network: it now takes and reconstructs counts.
    MultitaskEncoderKernel k = new MultitaskEncoderKernel(b, o.endmembers(), 0);
    INDArray trained = net.getLayer(0).getParam(MultitaskEncoderParams.TRAINED);
    long from = k.sharedWeights() - k.statisticsCount();
    trained.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + (long) b * b)).divi(max);
    net.getLayer(1).getParam("W").muli(max);
    Abundances a = abundances(net, image);
    INDArray w = net.getLayer(1).getParam("W");
    w.muli(Daeu.countScale(image, Daeu.endmembers(net, image), a));
    return new AutoencoderResult(net, losses, new Unmixing(Daeu.endmembers(net, image), a));
  }

  /**
   * Every pixel's abundances: the mean of the head outputs for it over the neighbourhoods it takes part in, in
   * passes of {@link #INFERENCE_BATCH} neighbourhoods (inference mode).
   *
   * @throws BadInputException naming the image when its channel count differs from the network's input
   */
  public static Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    int r = (int) Daeu.inputLayer(network, image).getNOut();
    int b = image.channels();
    int pixels = image.pixels();
    int[] anchors = new int[pixels];
    for (int p = 0; p < pixels; p++) {
      anchors[p] = p;
    }
    double[] sums = new double[pixels * r];
    float[] rows = new float[TASKS * INFERENCE_BATCH * b];
    float[] out = new float[TASKS * INFERENCE_BATCH * r];
    INDArray in = null;
    for (int start = 0; start < pixels; start += INFERENCE_BATCH) {
      int size = Math.min(INFERENCE_BATCH, pixels - start);
      if (in == null || in.size(0) != (long) TASKS * size) {
        in = Nd4j.create(DataType.FLOAT, (long) TASKS * size, b);
      }
      gather(image, anchors, start, size, 1f, rows);
      NdBuffers.write(rows, 0, in);
      INDArray a = network.getLayer(0).activate(in, false, LayerWorkspaceMgr.noWorkspaces());
      NdBuffers.read(a, out);
      for (int t = 0; t < TASKS; t++) {
        for (int i = 0; i < size; i++) {
          int pixel = Neighbourhood.task(image.width(), image.height(), start + i, t);
          for (int j = 0; j < r; j++) {
            sums[pixel * r + j] += out[(t * size + i) * r + j];
          }
        }
      }
    }
    // The softmax sums to one in float; renormalise in double so the maps sum to one to double rounding.
    for (int p = 0; p < pixels; p++) {
      double total = 0;
      for (int j = 0; j < r; j++) {
        total += sums[p * r + j];
      }
      for (int j = 0; j < r; j++) {
        sums[p * r + j] /= total;
      }
    }
    return new Abundances(image.height(), image.width(), r, sums);
  }
}
