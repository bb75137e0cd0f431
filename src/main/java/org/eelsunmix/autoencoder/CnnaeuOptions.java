package org.eelsunmix.autoencoder;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Training settings of {@link Cnnaeu}; the defaults are the reference's (Palsson, Ulfarsson &amp; Sveinsson,
 * "Convolutional autoencoder for spectral–spatial hyperspectral unmixing", IEEE TGRS 59(1):535–549, 2021): 250
 * patches of 40×40 pixels drawn at random, batches of 15, 320 epochs, RMSprop with learning rate 3e-3; 48 filters of
 * 3×3 in the first layer and a 13×13 decoder. The schedule is heavy on a CPU (the decoder alone is
 * B·R·13² multiply-adds per pixel): every setting can be lowered.
 *
 * @param endmembers R (≥ 1)
 * @param seed seeds the weights, the patches, the batch order and the dropout masks
 * @param epochs passes over the patches (≥ 1)
 * @param batchSize patches per update (≥ 2)
 * @param patches patches drawn (≥ batch size)
 * @param patchSize side of a square patch in pixels (≥ 2, at most the image's smaller side)
 * @param learningRate RMSprop learning rate (&gt; 0)
 * @param filters filters of the first 3×3 convolution (≥ 1)
 * @param decoderSize side of the decoder's kernel (odd, ≥ 1)
 */
public record CnnaeuOptions(int endmembers, long seed, int epochs, int batchSize, int patches, int patchSize,
    double learningRate, int filters, int decoderSize) implements AutoencoderOptions {
  public static final int DEFAULT_EPOCHS = 320;
  public static final int DEFAULT_BATCH_SIZE = 15;
  public static final int DEFAULT_PATCHES = 250;
  public static final int DEFAULT_PATCH_SIZE = 40;
  public static final double DEFAULT_LEARNING_RATE = 3e-3;
  public static final int DEFAULT_FILTERS = 48;
  public static final int DEFAULT_DECODER_SIZE = 13;

  /** Validates, naming the setting at fault. */
  public CnnaeuOptions {
    DaeuOptions.checkSchedule(endmembers, epochs, batchSize, patches, learningRate);
    if (patchSize < 2) {
      throw new BadInputException("patchSize", "must be at least 2 pixels, got " + patchSize);
    }
    if (filters < 1) {
      throw new BadInputException("filters", "must be at least 1, got " + filters);
    }
    if (decoderSize < 1 || decoderSize % 2 == 0) {
      throw new BadInputException("decoderSize", "must be odd and positive, got " + decoderSize);
    }
  }

  /** The reference schedule for R endmembers. */
  public CnnaeuOptions(int endmembers, long seed) {
    this(endmembers, seed, DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_PATCHES, DEFAULT_PATCH_SIZE,
        DEFAULT_LEARNING_RATE, DEFAULT_FILTERS, DEFAULT_DECODER_SIZE);
  }

  /** A copy with another number of epochs. */
  public CnnaeuOptions withEpochs(int newEpochs) {
    return new CnnaeuOptions(endmembers, seed, newEpochs, batchSize, patches, patchSize, learningRate, filters,
        decoderSize);
  }

  /** A copy with other patches: {@code count} of {@code size}×{@code size} pixels. */
  public CnnaeuOptions withPatches(int count, int size) {
    return new CnnaeuOptions(endmembers, seed, epochs, batchSize, count, size, learningRate, filters, decoderSize);
  }

  /** A copy with another decoder kernel size. */
  public CnnaeuOptions withDecoderSize(int size) {
    return new CnnaeuOptions(endmembers, seed, epochs, batchSize, patches, patchSize, learningRate, filters, size);
  }

  /** A copy with another seed. */
  public CnnaeuOptions withSeed(long newSeed) {
    return new CnnaeuOptions(endmembers, newSeed, epochs, batchSize, patches, patchSize, learningRate, filters,
        decoderSize);
  }

  @Override
  public String method() {
    return "cnnaeu";
  }

  @Override
  public int windowPixels() {
    return patchSize * patchSize;
  }

  /**
   * {@code patches} square patches at random positions (drawn with replacement, as the reference's random crops),
   * each as its pixels in raster order.
   *
   * @throws BadInputException naming {@code patchSize} and the image when a patch does not fit in it
   */
  @Override
  public int[] drawWindows(int width, int height, String image) {
    if (patchSize > width || patchSize > height) {
      throw new BadInputException("patchSize", String.format("patches of %d×%d pixels do not fit in %s (%d×%d)",
          patchSize, patchSize, image, width, height));
    }
    SplittableRandom random = AutoencoderFit.drawing(seed);
    int size = windowPixels();
    int[] windows = new int[patches * size];
    for (int i = 0; i < patches; i++) {
      int x0 = random.nextInt(width - patchSize + 1);
      int y0 = random.nextInt(height - patchSize + 1);
      for (int y = 0; y < patchSize; y++) {
        for (int x = 0; x < patchSize; x++) {
          windows[i * size + y * patchSize + x] = (y0 + y) * width + x0 + x;
        }
      }
    }
    return windows;
  }

  @Override
  public MultiLayerNetwork network(int channels, IUpdater updater) {
    return Cnnaeu.network(channels, this, updater);
  }

  /**
   * The canvas the sample's patches lie on ({@link PatchCanvas}), on which each training batch's first convolution
   * runs once instead of patch by patch; null when the patches do not connect or {@link PatchCanvas#allow} turned
   * it off.
   */
  PatchCanvas canvas(WindowSample sample) {
    return PatchCanvas.allowed() ? PatchCanvas.of(sample, patchSize) : null;
  }

  /** NCHW patches. */
  @Override
  public long[] batchShape(int windows, int channels) {
    return new long[] {windows, channels, patchSize, patchSize};
  }

  /** Spectra a worker of {@link #layout} gathers before writing them out channel by channel. */
  private static final int LAYOUT_BLOCK = 16;

  @Override
  public void layout(WindowSample sample, int[] order, int from, int count, float scale, float[] out) {
    int b = sample.channels();
    int plane = windowPixels();
    // Patches dealt to the PatchWorkers (a pure copy: the same values whatever the thread count); a serial
    // transpose was 4% of a k-edges training step on the calling thread alone.
    int workers = PatchWorkers.workers(count);
    // Positions go in blocks of LAYOUT_BLOCK spectra, so each channel row is written in runs, not one value a row.
    PatchWorkers.run(workers, t -> {
      float[] block = new float[LAYOUT_BLOCK * b];
      for (int i = t; i < count; i += workers) {
        int base = i * b * plane;
        for (int first = 0; first < plane; first += LAYOUT_BLOCK) {
          int size = Math.min(LAYOUT_BLOCK, plane - first);
          for (int k = 0; k < size; k++) {
            sample.copy(order[from + i], first + k, scale, block, k * b);
          }
          for (int c = 0; c < b; c++) {
            int row = base + c * plane + first;
            for (int k = 0; k < size; k++) {
              out[row + k] = block[k * b + c];
            }
          }
        }
      }
    });
  }

  /** The loss layer ({@link SadOutput}, as DL4J's CnnLossLayer) scores the sum of a patch's pixel angles. */
  @Override
  public int pixelsPerScoredRow() {
    return windowPixels();
  }

  @Override
  public void foldScale(MultiLayerNetwork network, float max) {
    Cnnaeu.foldScale(network, max);
  }

  @Override
  public void scaleDecoder(MultiLayerNetwork network, double factor) {
    Cnnaeu.scaleDecoder(network, factor);
  }

  @Override
  public double[] sampleAbundances(MultiLayerNetwork network, WindowSample sample) {
    return Cnnaeu.sampleAbundances(network, sample, patchSize);
  }

  @Override
  public double[][] decoderEndmembers(MultiLayerNetwork network) {
    return Cnnaeu.decoderEndmembers(network);
  }

  @Override
  public Abundances abundances(MultiLayerNetwork network, SpectrumImage image) {
    return Cnnaeu.abundances(network, image);
  }
}
