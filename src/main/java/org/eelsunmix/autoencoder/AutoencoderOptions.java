package org.eelsunmix.autoencoder;

import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * One unmixing autoencoder with its training settings: DAEU ({@link DaeuOptions}), MTAEU ({@link MtaeuOptions}) or
 * CNNAEU ({@link CnnaeuOptions}). It says what differs between the three — the training windows (pixels,
 * neighbourhoods, patches), the network, how a mini-batch of windows is laid out for it, how the decoder holds the
 * endmembers and how an image is encoded — so that one training loop ({@link AutoencoderFit}) and one Spark
 * estimator serve all three.
 */
public sealed interface AutoencoderOptions extends Serializable permits DaeuOptions, MtaeuOptions, CnnaeuOptions {
  /** The method's name on the command line and in saved models: daeu, mtaeu or cnnaeu. */
  String method();

  /** R. */
  int endmembers();

  /** Seeds the weights, the drawn windows, the batch order and any noise or dropout. */
  long seed();

  /** Passes over the windows. */
  int epochs();

  /** Windows per update. */
  int batchSize();

  /** RMSprop learning rate. */
  double learningRate();

  /** A copy with another seed (restarts). */
  AutoencoderOptions withSeed(long seed);

  /** Pixels per training window: 1 (DAEU), 4 (MTAEU), the patch's pixel count (CNNAEU). */
  int windowPixels();

  /**
   * The training windows of a {@code width × height} image, drawn from {@link #seed()}: {@code n × windowPixels()}
   * raster pixel indices ({@code y · width + x}).
   *
   * @param image names the image in errors (e.g. an image smaller than a patch)
   */
  int[] drawWindows(int width, int height, String image);

  /** The untrained network for spectra of {@code channels} channels, weights drawn from {@link #seed()}. */
  MultiLayerNetwork network(int channels, IUpdater updater);

  /** The shape of the network's input for a mini-batch of {@code windows} windows. */
  long[] batchShape(int windows, int channels);

  /** Floats in the network's input for a mini-batch of {@code windows} windows: the product of {@link #batchShape}. */
  default int batchLength(int windows, int channels) {
    long length = 1;
    for (long d : batchShape(windows, channels)) {
      length *= d;
    }
    return Math.toIntExact(length);
  }

  /**
   * Writes the windows {@code order[from .. from + count)} of {@code sample}, times {@code scale}, into {@code out}
   * in the network's input layout ({@link #batchShape}, C order).
   */
  void layout(WindowSample sample, int[] order, int from, int count, float scale, float[] out);

  /** Pixels one DL4J score averages over per window row: the mean angle per pixel is {@code score / this}. */
  int pixelsPerScoredRow();

  /**
   * Folds the training scale into a network trained on spectra divided by {@code max}: it then takes and
   * reconstructs counts (first weights divided by {@code max}, decoder multiplied).
   */
  void foldScale(MultiLayerNetwork network, float max);

  /** Multiplies the decoder's weights by {@code factor} (changes no angle and no abundance). */
  void scaleDecoder(MultiLayerNetwork network, double factor);

  /**
   * The abundances of the sample's distinct pixels, {@code distinct × R} (inference mode): DAEU per pixel; MTAEU
   * the mean of its four heads (a pixel inside an image); CNNAEU from the first patch holding the pixel, encoded on
   * its own.
   */
  double[] sampleAbundances(MultiLayerNetwork network, WindowSample sample);

  /** The endmembers the decoder holds, R × B (counts once {@link AutoencoderFit#toCounts} ran). */
  double[][] decoderEndmembers(MultiLayerNetwork network);

  /** The abundances of every pixel of {@code image} (inference mode). */
  Abundances abundances(MultiLayerNetwork network, SpectrumImage image);
}
