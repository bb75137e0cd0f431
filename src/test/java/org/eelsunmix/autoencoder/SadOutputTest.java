package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.SpectralAngle;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * CNNAEU's SAD output layer on NCHW arrays ({@link SadOutput}) against the layer it replaces (DL4J's
 * {@code CnnLossLayer} with {@link SadLossFunction}: same score and gradient bit for bit, in float, with and without
 * masks, zero spectra included), against central differences of the summed angle in double precision (every pixel,
 * the patch's borders included), against the angles computed one pixel at a time ({@link SpectralAngle}), and
 * independent of the thread count.
 */
class SadOutputTest {
  private static final int N = 3;
  private static final int B = 7;
  private static final int H = 4;
  private static final int W = 5;

  /** An identity layer (so the network's input gradient is the loss's) and the loss: ours or DL4J's. */
  private static MultiLayerNetwork network(boolean fused, DataType type) {
    MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(type)
        .updater(new Sgd(0.1)).list()
        .layer(new ActivationLayer.Builder().activation(Activation.IDENTITY).build())
        .layer(fused ? new SadOutput()
            : new CnnLossLayer.Builder(new SadLossFunction()).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(H, W, B)).build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /**
   * Spectra and reconstructions {@code [N, B, H, W]}: random, with a zero spectrum (pixel 0 of patch 0), a zero
   * reconstruction (pixel 7 of patch 1), and a reconstruction parallel to its spectrum (pixel 3 of patch 2).
   */
  private static INDArray[] data(DataType type, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] y = new double[N * B * H * W];
    double[] yHat = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = r.nextDouble();
      yHat[i] = y[i] * (1 + 0.4 * r.nextGaussian()) + 0.05 * r.nextGaussian();
    }
    int plane = H * W;
    for (int c = 0; c < B; c++) {
      y[c * plane] = 0;
      yHat[(B + c) * plane + 7] = 0;
      yHat[(2 * B + c) * plane + 3] = 2 * y[(2 * B + c) * plane + 3];
    }
    INDArray a = Nd4j.create(type, N, B, H, W);
    INDArray b = Nd4j.create(type, N, B, H, W);
    NdBuffers.write(y, a);
    NdBuffers.write(yHat, b);
    return new INDArray[] {a, b};
  }

  private static float[] floats(INDArray a) {
    float[] v = new float[(int) a.length()];
    NdBuffers.read(a, v);
    return v;
  }

  @Test
  void scoreAndGradientAreThoseOfDl4jsLayerBitForBit() {
    INDArray[] d = data(DataType.FLOAT, 5);
    INDArray y = d[0];
    INDArray yHat = d[1];
    double[] score = new double[2];
    float[][] gradient = new float[2][];
    for (int v = 0; v < 2; v++) {
      MultiLayerNetwork net = network(v == 0, DataType.FLOAT);
      net.setInput(yHat);
      net.setLabels(y);
      net.computeGradientAndScore();
      score[v] = net.score();
      gradient[v] = floats(net.calculateGradients(yHat, y, null, null).getSecond());
    }
    assertInstanceOf(SadOutputLayer.class, network(true, DataType.FLOAT).getOutputLayer());
    assertEquals(score[1], score[0], 0.0);
    assertArrayEquals(gradient[1], gradient[0]);
    // The score against the angles one pixel at a time (SpectralAngle: a zero spectrum is π/2 from anything).
    double sum = 0;
    double[] a = new double[B];
    double[] b = new double[B];
    for (int i = 0; i < N; i++) {
      for (int p = 0; p < H * W; p++) {
        for (int c = 0; c < B; c++) {
          a[c] = y.getDouble(i, c, p / W, p % W);
          b[c] = yHat.getDouble(i, c, p / W, p % W);
        }
        sum += SpectralAngle.between(a, b);
      }
    }
    assertEquals(sum / N, score[0], 1e-6);
  }

  @Test
  void maskedScoresAndGradientsAreThoseOfDl4jsLayer() {
    INDArray[] d = data(DataType.FLOAT, 6);
    INDArray perPixel = Nd4j.create(DataType.FLOAT, N, 1, H, W);
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < perPixel.length(); i++) {
      perPixel.putScalar(i, r.nextInt(3) * 0.5);
    }
    INDArray perExample = Nd4j.create(new float[] {1, 0, 0.5f}, new long[] {N, 1}, DataType.FLOAT);
    for (INDArray mask : new INDArray[] {perPixel, perExample}) {
      double[] score = new double[2];
      float[][] gradient = new float[2][];
      for (int v = 0; v < 2; v++) {
        MultiLayerNetwork net = network(v == 0, DataType.FLOAT);
        score[v] = net.score(new DataSet(d[1], d[0], null, mask), false);
        gradient[v] = floats(net.calculateGradients(d[1], d[0], null, mask).getSecond());
      }
      assertEquals(score[1], score[0], 0.0, "mask " + java.util.Arrays.toString(mask.shape()));
      assertArrayEquals(gradient[1], gradient[0], "mask " + java.util.Arrays.toString(mask.shape()));
    }
  }

  @Test
  void gradientMatchesCentralDifferencesInDouble() {
    INDArray[] d = data(DataType.DOUBLE, 7);
    INDArray y = d[0];
    INDArray yHat = d[1];
    MultiLayerNetwork net = network(true, DataType.DOUBLE);
    INDArray g = net.calculateGradients(yHat, y, null, null).getSecond();
    int plane = H * W;
    double step = 1e-6;
    int checked = 0;
    for (int i = 0; i < N; i++) {
      for (int c = 0; c < B; c++) {
        for (int p = 0; p < plane; p++) {
          long[] at = {i, c, p / W, p % W};
          double analytic = g.getDouble(at);
          if (i == 1 && p == 7) {
            // A zero reconstruction: the angle jumps there (π/2 at zero); the gradient is defined as 0.
            assertEquals(0.0, analytic, 0.0);
            continue;
          }
          double keep = yHat.getDouble(at);
          yHat.putScalar(at, keep + step);
          double plus = net.score(new DataSet(yHat, y), false) * N;
          yHat.putScalar(at, keep - step);
          double minus = net.score(new DataSet(yHat, y), false) * N;
          yHat.putScalar(at, keep);
          double numeric = (plus - minus) / (2 * step);
          if (i == 2 && p == 3) {
            // θ = 0 there: the kink's one-sided slopes cancel in the difference; the gradient's clamp keeps it finite.
            assertTrue(Double.isFinite(analytic), "parallel pixel " + analytic);
            continue;
          }
          assertEquals(numeric, analytic, 1e-6 * (1 + Math.abs(numeric)), "patch " + i + " channel " + c
              + " pixel " + p);
          checked++;
        }
      }
    }
    assertEquals(N * B * plane - 2 * B, checked);
  }

  @Test
  void theThreadCountChangesNothing() {
    INDArray[] d = data(DataType.FLOAT, 8);
    int previous = PatchWorkers.threads();
    try {
      float[][] gradient = new float[2][];
      double[] score = new double[2];
      for (int t = 0; t < 2; t++) {
        PatchWorkers.setThreads(t + 1);
        MultiLayerNetwork net = network(true, DataType.FLOAT);
        net.setInput(d[1]);
        net.setLabels(d[0]);
        net.computeGradientAndScore();
        score[t] = net.score();
        gradient[t] = floats(net.calculateGradients(d[1], d[0], null, null).getSecond());
      }
      assertEquals(score[0], score[1], 0.0);
      assertArrayEquals(gradient[0], gradient[1]);
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }

  /**
   * A seeded CNNAEU training with this layer is the training with DL4J's loss layer, bit for bit (losses, weights):
   * the layer changes no result, so SAD against the truth is unchanged on every set.
   */
  @Test
  void cnnaeuTrainsBitForBitAsWithDl4jsLossLayer() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    SpectrumImage image = cube.image();
    CnnaeuOptions o = new CnnaeuOptions(3, 3).withEpochs(3).withPatches(30, 16).withDecoderSize(5);
    WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
        o.windowPixels());
    TrainedNetwork[] t = new TrainedNetwork[2];
    for (int v = 0; v < 2; v++) {
      MultiLayerNetwork net = Cnnaeu.network(image.channels(), o, AutoencoderFit.rmsProp(o.learningRate()), true,
          v == 0);
      assertEquals(v == 0, net.getOutputLayer() instanceof SadOutputLayer);
      t[v] = AutoencoderFit.fit(o, sample, image.id(), net);
    }
    assertArrayEquals(t[1].losses(), t[0].losses());
    assertArrayEquals(floats(t[1].network().params()), floats(t[0].network().params()));
  }
}
