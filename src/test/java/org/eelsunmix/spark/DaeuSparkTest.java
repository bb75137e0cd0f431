package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.spark.ml.AutoencoderTraining;
import org.eelsunmix.spark.ml.BarrierAveraging;
import org.eelsunmix.spark.ml.AutoencoderEstimator;
import org.eelsunmix.spark.ml.DaeuEstimator;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** DAEU trained on Spark: parameter averaging against single-machine training, restarts, the sample draw. */
class DaeuSparkTest {
  private static final SyntheticCube CUBE = SyntheticGenerator.generate(
      SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32).withBlock(8), 5);

  @Test
  void parameterAveragingWithSgdEqualsSingleMachineTraining() {
    // DL4J's own check (TestCompareParameterAveragingSparkVsSingleMachine): one worker, plain SGD, one batch of
    // every example, averaging after every step — then averaging is the identity and Spark must match one machine.
    SpectrumImage image = CUBE.image();
    int b = image.channels();
    int n = 40;
    float[] counts = java.util.Arrays.copyOf(image.data(), n * b);
    float max = 0;
    for (float v : counts) {
      max = Math.max(max, v);
    }
    DaeuOptions o = new DaeuOptions(3, 11, 3, n, n, 0.05);
    MultiLayerNetwork spark = AutoencoderTraining.parameterAveraging(
        JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext()), WindowSample.ofSpectra(counts, b), o,
        new Sgd(0.05), 1, 1, "test sample").network();

    MultiLayerNetwork single = Daeu.network(b, o, new Sgd(0.05));
    float[] scaled = new float[n * b];
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] = counts[i] * (1f / max); // as the training loop scales
    }
    // The same batch as the Spark path: all n spectra, in the order its seeded shuffle gives each epoch (batch
    // normalisation sums in that order).
    int[] order = java.util.stream.IntStream.range(0, n).toArray();
    java.util.SplittableRandom random = new java.util.SplittableRandom(o.seed());
    float[] batch = new float[n * b];
    for (int e = 0; e < o.epochs(); e++) {
      AutoencoderFit.shuffle(order, random);
      for (int i = 0; i < n; i++) {
        System.arraycopy(scaled, order[i] * b, batch, i * b, b);
      }
      INDArray x = Nd4j.create(batch, new long[] {n, b}, DataType.FLOAT);
      single.fit(x, x);
    }
    AutoencoderFit.toCounts(o, single, max, WindowSample.ofSpectra(counts, b));
    float[] expected = single.getLayer(0).params().toFloatVector();
    float[] actual = spark.getLayer(0).params().toFloatVector();
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]) / Math.max(1e-3, Math.abs(expected[i])));
    }
    assertTrue(worst < 1e-5, "encoder parameters differ by " + worst);
    double[][] me = Daeu.decoderWeights(single);
    double[][] ma = Daeu.decoderWeights(spark);
    for (int k = 0; k < me.length; k++) {
      for (int c = 0; c < b; c++) {
        assertEquals(me[k][c], ma[k][c], 1e-5 * Math.abs(me[k][c]) + 1e-6, "decoder " + k + "," + c);
      }
    }
  }

  @Test
  void parameterAveragingWithRmspropIsAsGoodAsInMemoryTraining() {
    // The tolerance stated in the README for the real optimiser: 2 workers, RMSprop, averaging every 25
    // mini-batches, over seeds 1..3, reach a mean SAD to the truth within 0.05 rad of in-memory training with the
    // same schedule. Single runs vary a lot either way (DAEU's poor minima): measured over seeds 1..4, in memory
    // 0.109, 0.077, 0.134, 0.167 rad; averaging 0.115, 0.035, 0.148, 0.259.
    Dataset<Row> pixels = VcaFclsSparkTest.pixels(CUBE.image(), 2);
    double averaged = 0;
    double inMemory = 0;
    for (long seed = 1; seed <= 3; seed++) {
      for (boolean spark : new boolean[] {true, false}) {
        AutoencoderModel model = new DaeuEstimator().setNumEndmembers(3).setSeed(seed).setSparkTraining(spark)
            .setRestarts(1).setWorkers(2).setAveragingFrequency(25).setBatchSize(12).setLearningRate(3e-3)
            .setSamples(600).setEpochs(8).fit(pixels);
        double sad = score(model, pixels).meanSad();
        assertTrue(sad < 0.3, "seed " + seed + (spark ? " averaged" : " in memory") + ": " + sad);
        if (spark) {
          assertEquals("parameter-averaging", model.summary().training());
          averaged += sad / 3;
        } else {
          inMemory += sad / 3;
        }
      }
    }
    System.out.printf("DAEU mean SAD over 3 seeds: parameter averaging %.3f, in memory %.3f%n", averaged, inMemory);
    assertTrue(averaged < inMemory + 0.05, averaged + " against " + inMemory);
  }

  @Test
  void barrierAveragingIsBitIdenticalOnRepeatedRuns() {
    // Two workers, RMSprop, averaging every 3 mini-batches (with a last, shorter round per epoch): the average is
    // summed in worker order, so which task finishes first cannot change a bit.
    SpectrumImage image = CUBE.image();
    int b = image.channels();
    WindowSample sample = WindowSample.ofSpectra(java.util.Arrays.copyOf(image.data(), 500 * b), b);
    DaeuOptions o = new DaeuOptions(3, 7, 3, 12, 500, 3e-3);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    BarrierAveraging.Result first = BarrierAveraging.train(sc, sample, o, AutoencoderFit.rmsProp(3e-3), 2, 3, "s");
    BarrierAveraging.Result second = BarrierAveraging.train(sc, sample, o, AutoencoderFit.rmsProp(3e-3), 2, 3, "s");
    // 41 mini-batches an epoch in rounds of 2 × 3: 7 rounds, the last one partial.
    assertEquals(3 * 7, first.timing().rounds());
    assertArrayEquals(first.outcome().network().params().toFloatVector(),
        second.outcome().network().params().toFloatVector());
    assertArrayEquals(first.outcome().losses(), second.outcome().losses());
    // Averaging actually ran: a single worker on the same schedule ends elsewhere.
    BarrierAveraging.Result alone = BarrierAveraging.train(sc, sample, o, AutoencoderFit.rmsProp(3e-3), 1, 3, "s");
    assertEquals(0, alone.timing().rounds());
    assertFalse(java.util.Arrays.equals(alone.outcome().network().params().toFloatVector(),
        first.outcome().network().params().toFloatVector()));
  }

  @Test
  void parameterAveragingGivesTheSameModelWhateverThePartitioning() {
    // The sample is drawn independently of the pixel rows' partitioning and the barrier job's tasks are the
    // workers, not the data's partitions: 1 or 3 input partitions give the same bits.
    AutoencoderEstimator<?> estimator = new DaeuEstimator().setNumEndmembers(3).setSeed(5).setSparkTraining(true)
        .setRestarts(1).setWorkers(2).setAveragingFrequency(4).setBatchSize(10).setSamples(300).setEpochs(2);
    AutoencoderModel one = estimator.fit(VcaFclsSparkTest.pixels(CUBE.image(), 1));
    AutoencoderModel three = estimator.fit(VcaFclsSparkTest.pixels(CUBE.image(), 3));
    assertEquals("parameter-averaging", one.summary().training());
    assertArrayEquals(one.summary().losses(), three.summary().losses());
    assertEquals(one.endmembers(), three.endmembers());
  }

  @Test
  void moreWorkersThanTaskSlotsIsRefusedNamingTheOption() {
    SpectrumImage image = CUBE.image();
    int b = image.channels();
    WindowSample sample = WindowSample.ofSpectra(java.util.Arrays.copyOf(image.data(), 40 * b), b);
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestSpark.session().sparkContext());
    BadInputException e = assertThrows(BadInputException.class, () -> BarrierAveraging.train(sc, sample,
        new DaeuOptions(3, 1, 1, 10, 40, 1e-3), new Sgd(0.05), 3, 1, "s"));
    assertTrue(e.getMessage().contains("workers"), e.getMessage());
  }

  @Test
  void restartsKeepTheLowestLossWhateverThePartitioning() {
    AutoencoderEstimator<?> estimator = new DaeuEstimator().setNumEndmembers(3).setSeed(3).setRestarts(2)
        .setSamples(300).setEpochs(2);
    AutoencoderModel one = estimator.fit(VcaFclsSparkTest.pixels(CUBE.image(), 1));
    AutoencoderModel three = estimator.fit(VcaFclsSparkTest.pixels(CUBE.image(), 3));
    double[] finals = one.summary().restartLosses();
    assertEquals(2, finals.length);
    int best = finals[0] <= finals[1] ? 0 : 1;
    assertEquals(best, one.summary().kept());
    assertEquals(300, one.summary().samples());
    assertArrayEquals(finals, three.summary().restartLosses());
    assertEquals(one.endmembers(), three.endmembers());
  }

  static UnmixingScores score(AutoencoderModel model, Dataset<Row> pixels) {
    SpectrumImage image = CUBE.image();
    return UnmixingScores.score(CUBE.truthEndmembers(), CUBE.truthAbundances(), model.endmembers(),
        VcaFclsSparkTest.maps(model.transform(pixels), image.height(), image.width(), 3), image);
  }
}
