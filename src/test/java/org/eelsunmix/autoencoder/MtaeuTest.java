package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MTAEU in memory on the synthetic co-ru-pt protocol (ground truth known). */
class MtaeuTest {
  private static final SyntheticCube CUBE = SyntheticGenerator.generate(
      SyntheticGenerator.Options.builtin("co-ru-pt"), 0);

  private static MtaeuOptions quick(long seed) {
    return new MtaeuOptions(3, seed).withEpochs(3).withSamples(300);
  }

  static void assertSimplex(Abundances a) {
    for (int p = 0; p < a.pixels(); p++) {
      double sum = 0;
      for (int k = 0; k < a.count(); k++) {
        double v = a.values()[p * a.count() + k];
        assertTrue(v >= 0, "negative abundance at pixel " + p);
        sum += v;
      }
      assertEquals(1.0, sum, 1e-9, "pixel " + p);
    }
  }

  @Test
  void constraintsHoldAndTheSameSeedGivesTheSameResult(@TempDir Path dir) throws Exception {
    AutoencoderResult r = Mtaeu.train(CUBE.image(), quick(7));
    for (double[] row : r.unmixing().endmembers().matrix()) {
      for (double v : row) {
        assertTrue(v >= 0, "negative decoder weight " + v);
      }
    }
    assertSimplex(r.unmixing().abundances());
    AutoencoderResult again = Mtaeu.train(CUBE.image(), quick(7));
    assertArrayEquals(r.losses(), again.losses());
    assertArrayEquals(r.unmixing().abundances().values(), again.unmixing().abundances().values());
    assertEquals(r.unmixing().endmembers(), again.unmixing().endmembers());
    File zip = dir.resolve("mtaeu.zip").toFile();
    ModelSerializer.writeModel(r.network(), zip, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
    assertArrayEquals(r.unmixing().abundances().values(), Mtaeu.abundances(restored, CUBE.image()).values());
  }

  /**
   * k-edges (903 channels: the shared layer's GEMMs run in four column blocks): trainings on one and on two threads,
   * and twice on two threads with the same seed, end with bit-identical weights, losses and abundances.
   */
  @Test
  void theThreadCountChangesNothingOnKEdges() {
    SpectrumImage kEdges = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("k-edges"), 0).image();
    MtaeuOptions o = new MtaeuOptions(4, 5).withEpochs(2).withSamples(150);
    int previous = PatchWorkers.setThreads(1);
    try {
      AutoencoderResult one = Mtaeu.train(kEdges, o);
      PatchWorkers.setThreads(2);
      AutoencoderResult two = Mtaeu.train(kEdges, o);
      AutoencoderResult again = Mtaeu.train(kEdges, o);
      for (AutoencoderResult other : new AutoencoderResult[] {two, again}) {
        // Bit for bit (INDArray.equals allows 1e-5).
        assertArrayEquals(one.network().params().toFloatVector(), other.network().params().toFloatVector());
        assertArrayEquals(one.losses(), other.losses());
        assertArrayEquals(one.unmixing().abundances().values(), other.unmixing().abundances().values());
      }
      assertTrue(one.losses()[1] < one.losses()[0], java.util.Arrays.toString(one.losses()));
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }

  @Test
  void trainingFindsTheEndmembers() {
    MtaeuOptions o = new MtaeuOptions(3, 1).withEpochs(20).withSamples(1000);
    AutoencoderResult r = Mtaeu.train(CUBE.image(), o);
    double[] losses = r.losses();
    assertTrue(losses[losses.length - 1] < losses[0], java.util.Arrays.toString(losses));
    UnmixingScores s = UnmixingScores.score(CUBE.truthEndmembers(), CUBE.truthAbundances(),
        r.unmixing().endmembers(), r.unmixing().abundances(), CUBE.image());
    System.out.println("MTAEU " + o + ": " + s + " losses " + losses[0] + " -> " + losses[losses.length - 1]);
    assertTrue(s.meanSad() < 0.1, o + ": " + s);
  }

  @Test
  void refusesImagesThatDoNotFit() {
    float[] data = new float[4 * 5];
    SpectrumImage zeros = new SpectrumImage("dark", 2, 2, new EnergyAxis(0, 1, "eV", 5), data);
    assertThrows(BadInputException.class, () -> Mtaeu.train(zeros, new MtaeuOptions(2, 1)));
    BadInputException tooMany = assertThrows(BadInputException.class, () -> Mtaeu.train(zeros,
        new MtaeuOptions(6, 1)));
    assertEquals("endmembers", tooMany.source(), tooMany.getMessage());
    MultiLayerNetwork net = Mtaeu.network(200, new MtaeuOptions(3, 1));
    BadInputException wrong = assertThrows(BadInputException.class, () -> Mtaeu.abundances(net, zeros));
    assertTrue(wrong.getMessage().contains("dark") && wrong.getMessage().contains("200"), wrong.getMessage());
    assertThrows(BadInputException.class, () -> new MtaeuOptions(3, 1, 60, 15, 10, 1e-3));
  }

  @Test
  void usesCountTheNeighbourhoodsOfEveryPixelAsBruteForceDoes() {
    for (int[] size : new int[][] {{5, 4}, {1, 3}, {2, 2}, {1, 1}, {7, 1}}) {
      int w = size[0];
      int h = size[1];
      int[][] counted = new int[w * h][4];
      for (int anchor = 0; anchor < w * h; anchor++) {
        for (int t = 0; t < 4; t++) {
          counted[Neighbourhood.task(w, h, anchor, t)][t]++;
        }
      }
      for (int p = 0; p < w * h; p++) {
        for (int t = 0; t < 4; t++) {
          assertEquals(counted[p][t], Neighbourhood.uses(w, h, p % w, p / w, t), w + "x" + h + " pixel " + p);
        }
      }
    }
  }

  @Test
  void perPixelInferenceEqualsAveragingOverEveryNeighbourhood() {
    // The reference: every pixel anchors one 2x2 neighbourhood; run the encoder on all of them (task-major rows)
    // and average, for each pixel, the head outputs of the neighbourhoods it takes part in.
    SpectrumImage image = crop(CUBE.image(), 9, 7);
    MultiLayerNetwork net = Mtaeu.network(image.channels(), new MtaeuOptions(3, 2));
    int pixels = image.pixels();
    int b = image.channels();
    float[] rows = new float[4 * pixels * b];
    for (int t = 0; t < 4; t++) {
      for (int a = 0; a < pixels; a++) {
        int p = Neighbourhood.task(image.width(), image.height(), a, t);
        System.arraycopy(image.data(), p * b, rows, (t * pixels + a) * b, b);
      }
    }
    INDArray out = net.getLayer(0).activate(Nd4j.create(rows, new long[] {4L * pixels, b}, DataType.FLOAT), false,
        LayerWorkspaceMgr.noWorkspaces());
    double[] sums = new double[pixels * 3];
    double[] totals = new double[pixels];
    for (int t = 0; t < 4; t++) {
      for (int a = 0; a < pixels; a++) {
        int p = Neighbourhood.task(image.width(), image.height(), a, t);
        for (int k = 0; k < 3; k++) {
          double v = out.getDouble(t * pixels + a, k);
          sums[p * 3 + k] += v;
          totals[p] += v;
        }
      }
    }
    for (int p = 0; p < pixels; p++) {
      for (int k = 0; k < 3; k++) {
        sums[p * 3 + k] /= totals[p];
      }
    }
    assertArrayEquals(sums, Mtaeu.abundances(net, image).values(), 1e-6);
  }

  static SpectrumImage crop(SpectrumImage image, int width, int height) {
    int b = image.channels();
    float[] data = new float[width * height * b];
    for (int y = 0; y < height; y++) {
      System.arraycopy(image.data(), y * image.width() * b, data, y * width * b, width * b);
    }
    return new SpectrumImage(image.id(), height, width, image.axis(), data);
  }
}
