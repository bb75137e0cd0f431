package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DAEU in memory on the synthetic co-ru-pt protocol (ground truth known). */
class DaeuTest {
  private static final SyntheticCube CUBE = SyntheticGenerator.generate(
      SyntheticGenerator.Options.builtin("co-ru-pt"), 0);

  /** A short schedule: the properties below do not need the full 40 epochs. */
  private static DaeuOptions quick(long seed) {
    return new DaeuOptions(3, seed).withEpochs(3).withSamples(600);
  }

  @Test
  void constraintsHoldAfterTraining() {
    AutoencoderResult r = Daeu.train(CUBE.image(), quick(1));
    double[][] m = r.unmixing().endmembers().matrix();
    for (double[] row : m) {
      for (double v : row) {
        assertTrue(v >= 0, "negative decoder weight " + v);
      }
    }
    float[] trained = r.network().getLayer(0).getParam(AbundanceEncoderParams.TRAINED).toFloatVector();
    for (int k = 0; k < 3; k++) {
      assertTrue(trained[trained.length - 3 + k] >= 0f, "negative soft threshold");
    }
    MtaeuTest.assertSimplex(r.unmixing().abundances());
    assertEquals(3, r.losses().length);
    assertTrue(r.losses()[2] < r.losses()[0], "loss did not decrease: " + java.util.Arrays.toString(r.losses()));
  }

  @Test
  void sameSeedSameResult() {
    AutoencoderResult a = Daeu.train(CUBE.image(), quick(7));
    AutoencoderResult b = Daeu.train(CUBE.image(), quick(7));
    assertArrayEquals(a.losses(), b.losses());
    assertArrayEquals(a.unmixing().abundances().values(), b.unmixing().abundances().values());
    assertEquals(a.unmixing().endmembers(), b.unmixing().endmembers());
  }

  /**
   * DAEU trains with {@link JavaRmsProp} (ND4J's RMSprop as a Java loop, in its float order), and that training
   * equals one with ND4J's own op on the same seed and samples: losses and endmembers to float rounding.
   */
  @Test
  void javaRmsPropTrainsAsNd4jsRmsProp() {
    DaeuOptions o = quick(3);
    int b = CUBE.image().channels();
    assertTrue(Daeu.network(b, o).getLayerWiseConfigurations().getConf(0).getLayer().getUpdaterByParam("W")
        instanceof JavaRmsProp);
    assertEquals(org.nd4j.linalg.learning.config.Sgd.class, Daeu.network(b, o,
        new org.nd4j.linalg.learning.config.Sgd(0.1)).getLayerWiseConfigurations().getConf(1).getLayer()
        .getUpdaterByParam("W").getClass(), "other updaters are kept");
    WindowSample sample = WindowSample.ofSpectra(java.util.Arrays.copyOf(CUBE.image().data(), 600 * b), b);
    TrainedNetwork java = AutoencoderFit.fit(o, sample, "sample", Daeu.network(b, o));
    MultiLayerNetwork nd4jNet = Daeu.encoderDecoder(o.seed(), AutoencoderFit.rmsProp(o.learningRate()),
        new AbundanceEncoder.Builder().nIn(b).nOut(3).build(), 3, b);
    TrainedNetwork nd4j = AutoencoderFit.fit(o, sample, "sample", nd4jNet);
    assertArrayEquals(nd4j.losses(), java.losses(), 1e-5);
    double[][] mj = Daeu.decoderWeights(java.network());
    double[][] mn = Daeu.decoderWeights(nd4j.network());
    for (int k = 0; k < 3; k++) {
      for (int c = 0; c < b; c++) {
        assertEquals(mn[k][c], mj[k][c], 1e-4 * Math.max(1, Math.abs(mn[k][c])), "endmember " + k + ", channel " + c);
      }
    }
  }

  @Test
  void savedNetworkGivesTheSameAbundances(@TempDir Path dir) throws Exception {
    AutoencoderResult r = Daeu.train(CUBE.image(), quick(2).withEpochs(1));
    File zip = dir.resolve("daeu.zip").toFile();
    ModelSerializer.writeModel(r.network(), zip, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
    assertEquals(r.network().getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
    assertArrayEquals(r.unmixing().abundances().values(), Daeu.abundances(restored, CUBE.image()).values());
    assertTrue(Files.size(zip.toPath()) > 0);
  }

  @Test
  void referenceScheduleFindsTheEndmembers() {
    // One run of the reference schedule (2000 spectra, batches of 6, 40 epochs) and two shorter seeded runs.
    DaeuOptions[] runs = {new DaeuOptions(3, 0), new DaeuOptions(3, 1).withEpochs(10).withSamples(1000),
        new DaeuOptions(3, 2).withEpochs(10).withSamples(1000)};
    double total = 0;
    for (DaeuOptions o : runs) {
      AutoencoderResult r = Daeu.train(CUBE.image(), o);
      UnmixingScores s = UnmixingScores.score(CUBE.truthEndmembers(), CUBE.truthAbundances(),
          r.unmixing().endmembers(), r.unmixing().abundances(), CUBE.image());
      // Any single run may settle in a poor local minimum (as the reference can); the mean over runs may not.
      assertTrue(s.meanSad() < 0.3, o + ": " + s);
      // The angle loss fits directions, not counts: the reconstruction stays within ten times the Poisson noise
      // (sqrt of ~500 counts per channel); VCA-FCLS reaches about the noise.
      assertTrue(s.rmse() < 220, o + ": " + s);
      total += s.meanSad();
    }
    assertTrue(total / runs.length < 0.1, "mean SAD over the runs " + total / runs.length);
  }

  @Test
  void refusesImagesThatDoNotFit() {
    float[] data = new float[4 * 5];
    SpectrumImage zeros = new SpectrumImage("dark", 2, 2, new EnergyAxis(0, 1, "eV", 5), data);
    assertThrows(BadInputException.class, () -> Daeu.train(zeros, new DaeuOptions(2, 1)));
    BadInputException tooMany = assertThrows(BadInputException.class, () -> Daeu.train(zeros, new DaeuOptions(6,
        1)));
    assertEquals("endmembers", tooMany.source(), tooMany.getMessage());
    AutoencoderResult r = Daeu.train(CUBE.image(), quick(3).withEpochs(1));
    SpectrumImage other = new SpectrumImage("other", 2, 2, new EnergyAxis(0, 1, "eV", 5), data);
    BadInputException wrong = assertThrows(BadInputException.class, () -> Daeu.abundances(r.network(), other));
    assertTrue(wrong.getMessage().contains("other") && wrong.getMessage().contains("200"), wrong.getMessage());
    assertThrows(BadInputException.class, () -> new DaeuOptions(3, 1, 40, 1, 2000, 1e-3));
  }
}
