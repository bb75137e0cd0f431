package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * CNNAEU with its 3×3 encoder convolution by Winograd F(4×4, 3×3) ({@link WinogradConvolution}) against the same
 * network with the shifted GEMMs ({@link ShiftedConvolution}, the path before it), on both built-in sets: the first
 * epoch's loss agrees to float rounding, the endmembers' mean SAD against the truth over seeded short runs stays
 * within 0.02 rad (the runs part after the first steps, as two float implementations do), and a seeded training
 * with Winograd is bit-identical twice and whatever the thread count.
 */
class CnnaeuWinogradTest {
  @Test
  void winogradEncoderTrainsAsTheShiftedEncoderOnCoRuPt() {
    CnnaeuSeededRun.comparePaths("co-ru-pt", 3, 12, 30,
        24, FusedConvolutionLayer::allowWinograd, "Winograd", "shifted", 1, 2, 3);
  }

  @Test
  void winogradEncoderTrainsAsTheShiftedEncoderOnKEdges() {
    CnnaeuSeededRun.comparePaths("k-edges", 4, 8, 15,
        24, FusedConvolutionLayer::allowWinograd, "Winograd", "shifted", 1, 2);
  }

  @Test
  void seededTrainingIsBitIdenticalTwiceAndWhateverTheThreads() {
    CnnaeuSeededRun.assertBitIdentical(new CnnaeuOptions(3, 5).withEpochs(3).withPatches(30, 24), 2, 1);
  }

  /**
   * A saved CNNAEU model (trained with the shifted encoder, written by DL4J's ModelSerializer as the Spark model's
   * {@code network.zip}) loads and gives the same abundance maps with the Winograd encoder as with the shifted one,
   * to float rounding: largest difference printed, bound 1e-5 (abundances lie in [0, 1]).
   */
  @Test
  void aSavedModelGivesTheSameMapsToFloatRounding(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws java.io.IOException {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    CnnaeuOptions o = new CnnaeuOptions(3, 7).withEpochs(2).withPatches(15, 24);
    java.io.File file = dir.resolve("network.zip").toFile();
    double[][] maps = new double[2][];
    boolean previous = FusedConvolutionLayer.allowWinograd(false);
    try {
      SpectrumImage image = cube.image();
      WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
          o.windowPixels());
      TrainedNetwork t = AutoencoderFit.fit(o, sample, image.id(), Cnnaeu.network(image.channels(), o));
      org.deeplearning4j.util.ModelSerializer.writeModel(t.network(), file, false);
      for (int v = 0; v < 2; v++) {
        FusedConvolutionLayer.allowWinograd(v == 1);
        MultiLayerNetwork net = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(file, false);
        maps[v] = Cnnaeu.abundances(net, image).values();
      }
    } finally {
      FusedConvolutionLayer.allowWinograd(previous);
    }
    double worst = 0;
    for (int k = 0; k < maps[0].length; k++) {
      worst = Math.max(worst, Math.abs(maps[1][k] - maps[0][k]));
    }
    System.out.printf("CNNAEU saved model: abundance maps, Winograd against shifted encoder, largest difference %.2e%n",
        worst);
    assertEquals(0, worst, 1e-5);
  }
}
