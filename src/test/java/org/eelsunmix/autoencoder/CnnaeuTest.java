package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** CNNAEU in memory on the synthetic co-ru-pt protocol, with a reduced schedule (the reference one is hours). */
class CnnaeuTest {
  private static final SyntheticCube CUBE = SyntheticGenerator.generate(
      SyntheticGenerator.Options.builtin("co-ru-pt"), 0);

  /** 30 patches of 16×16, a 5×5 decoder. */
  private static CnnaeuOptions quick(long seed, int epochs) {
    return new CnnaeuOptions(3, seed).withEpochs(epochs).withPatches(30, 16).withDecoderSize(5);
  }

  @Test
  void shortTrainingFindsTheEndmembersWithinTheConstraints(@TempDir Path dir) throws Exception {
    CnnaeuOptions o = quick(1, 25);
    AutoencoderResult r = Cnnaeu.train(CUBE.image(), o);
    for (double[] row : r.unmixing().endmembers().matrix()) {
      for (double v : row) {
        assertTrue(v >= 0, "negative decoder weight " + v);
      }
    }
    MtaeuTest.assertSimplex(r.unmixing().abundances());
    double[] losses = r.losses();
    assertTrue(losses[losses.length - 1] < losses[0], java.util.Arrays.toString(losses));
    UnmixingScores s = UnmixingScores.score(CUBE.truthEndmembers(), CUBE.truthAbundances(),
        r.unmixing().endmembers(), r.unmixing().abundances(), CUBE.image());
    System.out.println("CNNAEU " + o + ": " + s + " losses " + losses[0] + " -> " + losses[losses.length - 1]);
    // Clearly better than random non-negative endmembers (about 0.9 rad against these truths).
    double[][] guess = new double[3][CUBE.image().channels()];
    Random random = new Random(9);
    for (double[] row : guess) {
      for (int c = 0; c < row.length; c++) {
        row[c] = random.nextDouble();
      }
    }
    UnmixingScores chance = UnmixingScores.score(CUBE.truthEndmembers(), CUBE.truthAbundances(),
        new Endmembers(guess, null, CUBE.image().axis()), r.unmixing().abundances(), CUBE.image());
    System.out.println("random endmembers: mean SAD " + chance.meanSad());
    assertTrue(s.meanSad() < 0.2 && s.meanSad() < chance.meanSad() / 2, o + ": " + s + ", random " + chance);
    File zip = dir.resolve("cnnaeu.zip").toFile();
    ModelSerializer.writeModel(r.network(), zip, true);
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
    assertArrayEquals(r.unmixing().abundances().values(), Cnnaeu.abundances(restored, CUBE.image()).values());
  }

  @Test
  void sameSeedSameResult() {
    AutoencoderResult a = Cnnaeu.train(CUBE.image(), quick(5, 2));
    AutoencoderResult b = Cnnaeu.train(CUBE.image(), quick(5, 2));
    assertArrayEquals(a.losses(), b.losses());
    assertArrayEquals(a.unmixing().abundances().values(), b.unmixing().abundances().values());
    assertEquals(a.unmixing().endmembers(), b.unmixing().endmembers());
  }

  /** Mean SAD against the truth of a network trained by {@link AutoencoderFit} (its losses into {@code losses}). */
  private static double sad(SyntheticCube cube, CnnaeuOptions o, boolean fused, double[][] losses, int slot) {
    SpectrumImage image = cube.image();
    WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
        o.windowPixels());
    MultiLayerNetwork net = Cnnaeu.network(image.channels(), o, AutoencoderFit.rmsProp(o.learningRate()), fused);
    TrainedNetwork t = AutoencoderFit.fit(o, sample, image.id(), net);
    losses[slot] = t.losses();
    Endmembers m = new Endmembers(Cnnaeu.decoderEndmembers(t.network()), null, image.axis());
    return UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), m,
        Cnnaeu.abundances(t.network(), image), image).meanSad();
  }

  /**
   * The fused convolutions train as DL4J's own layers do: same initial weights and dropout masks, so the first
   * epoch's mean loss (two batches, one RMSprop step between them) agrees to 1e-5 relative (measured 1e-7);
   * afterwards float rounding differences grow as in any two float implementations, and the endmembers' mean SAD
   * against the truth, averaged over two seeded runs on co-ru-pt (short schedule: 15 epochs of 30 patches of
   * 16×16, 5×5 decoder), stays within 0.02 rad of DL4J's (measured: 0.1391 fused, 0.1369 DL4J). k-edges is
   * compared on one step ({@link #fusedNetworkGradientEqualsDl4jsOnABatch}): DL4J's layers take minutes there.
   */
  @Test
  void fusedLayersTrainAsDl4jsConvolutions() {
    double fused = 0;
    double reference = 0;
    long[] seeds = {1, 2};
    for (long seed : seeds) {
      CnnaeuOptions o = new CnnaeuOptions(3, seed).withEpochs(15).withPatches(30, 16).withDecoderSize(5);
      double[][] losses = new double[2][];
      double f = sad(CUBE, o, true, losses, 0);
      double r = sad(CUBE, o, false, losses, 1);
      System.out.printf("CNNAEU co-ru-pt seed %d: mean SAD fused %.5f, DL4J %.5f; first loss %.7f vs %.7f%n", seed,
          f, r, losses[0][0], losses[1][0]);
      assertEquals(losses[1][0], losses[0][0], 1e-5 * losses[1][0], "seed " + seed + " first epoch");
      fused += f / seeds.length;
      reference += r / seeds.length;
    }
    assertEquals(reference, fused, 0.02, "mean SAD over the seeds");
  }

  /**
   * One training step's score and gradient of the whole network (loss, decoder, softmax, batch norms, dropout,
   * all three convolutions) equal those of the same network of DL4J's convolutions, on a batch of each built-in set
   * (B = 200 and 903), with the same initial weights and dropout masks: to float rounding.
   */
  @Test
  void fusedNetworkGradientEqualsDl4jsOnABatch() {
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = set.equals("co-ru-pt") ? CUBE
          : SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      SpectrumImage image = cube.image();
      int b = image.channels();
      CnnaeuOptions o = new CnnaeuOptions(cube.truthEndmembers().count(), 6).withPatches(15, 12);
      WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
          o.windowPixels());
      float[] batch = new float[4 * b * o.windowPixels()];
      o.layout(sample, new int[] {0, 1, 2, 3}, 0, 4, 1f / sample.largest(set), batch);
      INDArray x = Nd4j.create(DataType.FLOAT, o.batchShape(4, b));
      NdBuffers.write(batch, x);
      double[] score = new double[2];
      float[][] gradient = new float[2][];
      for (int v = 0; v < 2; v++) {
        MultiLayerNetwork net = Cnnaeu.network(b, o, AutoencoderFit.rmsProp(o.learningRate()), v == 0);
        net.setInput(x);
        net.setLabels(x);
        Nd4j.getRandom().setSeed(11);
        net.computeGradientAndScore();
        score[v] = net.score();
        gradient[v] = new float[(int) net.numParams()];
        NdBuffers.read(net.gradient().gradient(), gradient[v]);
      }
      assertEquals(score[1], score[0], 1e-5 * score[1], set + " score");
      double largest = 0;
      for (float g : gradient[1]) {
        largest = Math.max(largest, Math.abs(g));
      }
      for (int i = 0; i < gradient[0].length; i++) {
        assertEquals(gradient[1][i], gradient[0][i], 1e-4 * largest, set + " gradient " + i);
      }
    }
  }

  @Test
  void theThreadCountChangesNothing() {
    int previous = PatchWorkers.threads();
    try {
      PatchWorkers.setThreads(1);
      AutoencoderResult one = Cnnaeu.train(CUBE.image(), quick(4, 2));
      PatchWorkers.setThreads(2);
      AutoencoderResult two = Cnnaeu.train(CUBE.image(), quick(4, 2));
      assertArrayEquals(one.losses(), two.losses());
      assertArrayEquals(one.unmixing().abundances().values(), two.unmixing().abundances().values());
      assertEquals(one.unmixing().endmembers(), two.unmixing().endmembers());
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }

  @Test
  void scaledSoftmaxBackwardMatchesCentralDifferences() {
    ScaledSoftmaxActivation softmax = new ScaledSoftmaxActivation();
    Random random = new Random(3);
    INDArray z = Nd4j.create(DataType.DOUBLE, 2, 3, 2, 2);
    INDArray w = Nd4j.create(DataType.DOUBLE, 2, 3, 2, 2);
    double[] values = new double[24];
    for (int i = 0; i < 24; i++) {
      values[i] = random.nextGaussian();
    }
    NdBuffers.write(values, z);
    for (int i = 0; i < 24; i++) {
      values[i] = random.nextGaussian();
    }
    NdBuffers.write(values, w);
    INDArray a = softmax.getActivation(z.dup(), false);
    // Each pixel's three channels sum to one.
    INDArray sums = a.sum(1);
    for (int i = 0; i < sums.length(); i++) {
      assertEquals(1.0, sums.getDouble(i), 1e-6);
    }
    INDArray gradient = softmax.backprop(z.dup(), w).getFirst();
    // The softmax runs in float: differences with step 1e-3 agree to about 1e-3 relative.
    double h = 1e-3;
    for (int i = 0; i < 24; i++) {
      INDArray plus = z.dup();
      plus.putScalar(i, z.getDouble(i) + h);
      INDArray minus = z.dup();
      minus.putScalar(i, z.getDouble(i) - h);
      double expected = (softmax.getActivation(plus, false).mul(w).sumNumber().doubleValue()
          - softmax.getActivation(minus, false).mul(w).sumNumber().doubleValue()) / (2 * h);
      assertEquals(expected, gradient.getDouble(i), 2e-3 * (1 + Math.abs(expected)), "value " + i);
    }
  }

  @Test
  void refusesImagesThatDoNotFit() {
    float[] data = new float[4 * 5];
    java.util.Arrays.fill(data, 1f);
    SpectrumImage small = new SpectrumImage("small", 2, 2, new EnergyAxis(0, 1, "eV", 5), data);
    BadInputException patch = assertThrows(BadInputException.class, () -> Cnnaeu.train(small,
        new CnnaeuOptions(2, 1)));
    assertTrue(patch.getMessage().startsWith("patchSize: ") && patch.getMessage().contains("small"),
        patch.getMessage());
    assertThrows(BadInputException.class, () -> new CnnaeuOptions(3, 1).withDecoderSize(4));
    MultiLayerNetwork net = Cnnaeu.network(200, quick(1, 1));
    BadInputException wrong = assertThrows(BadInputException.class, () -> Cnnaeu.abundances(net, small));
    assertTrue(wrong.getMessage().contains("small") && wrong.getMessage().contains("200"), wrong.getMessage());
  }
}
