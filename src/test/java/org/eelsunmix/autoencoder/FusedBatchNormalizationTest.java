package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * CNNAEU's fused batch normalisation ({@link FusedBatchNormalization}) in double precision against DL4J's own layer
 * with the same parameters (training output, ∂γ, ∂β, ∂x, the running statistics' pseudo-gradients for both
 * parameterisations, inference output) and against central differences of {@code L = Σ ε ⊙ BN(x)}; and a network
 * saved with DL4J's layer (the models saved before it) still loads and gives the maps of the fused network.
 */
class FusedBatchNormalizationTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
  private static final String[] GRADIENTS = {BatchNormalizationParamInitializer.GAMMA,
      BatchNormalizationParamInitializer.BETA, BatchNormalizationParamInitializer.GLOBAL_MEAN};

  /** Layer 1 (after an identity layer, so it computes ∂x) of a double network. */
  private static Layer layer(boolean fused, boolean logStd, int c, int h, int w) {
    BatchNormalization dl4j = new BatchNormalization.Builder().decay(0.9).eps(1e-3).useLogStd(logStd).build();
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(3).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
        .layer(new ActivationLayer.Builder().activation(Activation.IDENTITY).build())
        .layer(fused ? FusedBatchNormalization.of(dl4j) : dl4j)
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(h, w, c)).build());
    net.init();
    net.initGradientsView();
    return net.getLayer(1);
  }

  private static INDArray random(SplittableRandom r, double from, double to, long... shape) {
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    double[] v = new double[(int) a.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextDouble(from, to);
    }
    NdBuffers.write(v, a);
    return a;
  }

  private static double[] values(INDArray a) {
    double[] v = new double[(int) a.length()];
    NdBuffers.read(a, v);
    return v;
  }

  private static void assertClose(double[] expected, double[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance * (1 + Math.abs(expected[i])), what + " [" + i + "]");
    }
  }

  @Test
  void trainingAndInferencePassesEqualDl4jsLayer() {
    for (boolean logStd : new boolean[] {true, false}) {
      SplittableRandom r = new SplittableRandom(logStd ? 4 : 5);
      int n = 3;
      int c = 4;
      int h = 5;
      int w = 6;
      Layer fused = layer(true, logStd, c, h, w);
      Layer dl4j = layer(false, logStd, c, h, w);
      assertTrue(fused instanceof FusedBatchNormalizationLayer);
      // γ, β, running mean around 0, running variance (or log10 σ) positive.
      INDArray params = random(r, 0.5, 1.5, fused.numParams());
      params.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2L * c, 3L * c)).subi(1);
      fused.setParams(params.dup());
      dl4j.setParams(params.dup());
      INDArray x = random(r, -2, 3, n, c, h, w);
      INDArray eps = random(r, -1, 1, n, c, h, w);
      String running = logStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
          : BatchNormalizationParamInitializer.GLOBAL_VAR;
      double[][] out = new double[2][];
      double[][] dx = new double[2][];
      double[][][] grads = new double[2][4][];
      double[][] inference = new double[2][];
      Layer[] layers = {fused, dl4j};
      for (int k = 0; k < 2; k++) {
        layers[k].setInput(x, NO_WS);
        out[k] = values(layers[k].activate(true, NO_WS));
        Pair<Gradient, INDArray> g = layers[k].backpropGradient(eps, NO_WS);
        dx[k] = values(g.getSecond());
        for (int i = 0; i < 3; i++) {
          grads[k][i] = values(g.getFirst().getGradientFor(GRADIENTS[i]));
        }
        grads[k][3] = values(g.getFirst().getGradientFor(running));
        layers[k].setInput(x, NO_WS);
        inference[k] = values(layers[k].activate(false, NO_WS));
      }
      String what = logStd ? "log10 σ: " : "variance: ";
      assertClose(out[1], out[0], 1e-12, what + "training output");
      assertClose(dx[1], dx[0], 1e-11, what + "∂x");
      for (int i = 0; i < 3; i++) {
        assertClose(grads[1][i], grads[0][i], 1e-11, what + GRADIENTS[i]);
      }
      assertClose(grads[1][3], grads[0][3], 1e-11, what + running);
      assertArrayEquals(inference[1], inference[0], what + "inference output");
    }
  }

  /**
   * The training pass deals the channels to the {@link PatchWorkers}: output, ∂x and every gradient are the same
   * bit for bit with 1, 2 and 3 threads (5 channels: uneven deals).
   */
  @Test
  void trainingPassIsTheSameForEveryThreadCount() {
    int previous = PatchWorkers.threads();
    try {
      double[][] first = null;
      for (int threads = 1; threads <= 3; threads++) {
        PatchWorkers.setThreads(threads);
        SplittableRandom r = new SplittableRandom(6);
        int c = 5;
        Layer layer = layer(true, true, c, 4, 7);
        INDArray params = random(r, 0.5, 1.5, layer.numParams());
        layer.setParams(params);
        INDArray x = random(r, -2, 3, 3, c, 4, 7);
        INDArray eps = random(r, -1, 1, 3, c, 4, 7);
        layer.setInput(x, NO_WS);
        double[] out = values(layer.activate(true, NO_WS));
        Pair<Gradient, INDArray> g = layer.backpropGradient(eps, NO_WS);
        double[][] all = {out, values(g.getSecond()), values(g.getFirst().getGradientFor(GRADIENTS[0])),
            values(g.getFirst().getGradientFor(GRADIENTS[1])), values(g.getFirst().getGradientFor(GRADIENTS[2])),
            values(g.getFirst().getGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD))};
        if (first == null) {
          first = all;
        } else {
          for (int i = 0; i < all.length; i++) {
            assertArrayEquals(first[i], all[i], threads + " threads, array " + i);
          }
        }
      }
    } finally {
      PatchWorkers.setThreads(previous);
    }
  }

  /** ∂x, ∂γ, ∂β of {@code L = Σ ε ⊙ BN(x)} by central differences, every border of the batch included. */
  @Test
  void gradientsEqualCentralDifferences() {
    SplittableRandom r = new SplittableRandom(9);
    int n = 2;
    int c = 3;
    int h = 3;
    int w = 4;
    Layer layer = layer(true, true, c, h, w);
    INDArray params = random(r, 0.5, 1.5, layer.numParams());
    layer.setParams(params.dup());
    INDArray x = random(r, -2, 2, n, c, h, w);
    INDArray eps = random(r, -1, 1, n, c, h, w);
    layer.setInput(x, NO_WS);
    layer.activate(true, NO_WS);
    Pair<Gradient, INDArray> g = layer.backpropGradient(eps, NO_WS);
    double[] dx = values(g.getSecond());
    double[] dGamma = values(g.getFirst().getGradientFor(BatchNormalizationParamInitializer.GAMMA));
    double[] dBeta = values(g.getFirst().getGradientFor(BatchNormalizationParamInitializer.BETA));
    double step = 1e-6;
    double[] xv = values(x);
    for (int i = 0; i < xv.length; i++) {
      double[] plus = xv.clone();
      double[] minus = xv.clone();
      plus[i] += step;
      minus[i] -= step;
      double numeric = (loss(layer, plus, x.shape(), eps) - loss(layer, minus, x.shape(), eps)) / (2 * step);
      assertEquals(numeric, dx[i], 1e-7, "∂x[" + i + "]");
    }
    double[] p = values(params);
    for (int k = 0; k < 2 * c; k++) {
      double[] plus = p.clone();
      double[] minus = p.clone();
      plus[k] += step;
      minus[k] -= step;
      layer.setParams(Nd4j.create(plus));
      double up = loss(layer, xv, x.shape(), eps);
      layer.setParams(Nd4j.create(minus));
      double down = loss(layer, xv, x.shape(), eps);
      double analytic = k < c ? dGamma[k] : dBeta[k - c];
      assertEquals((up - down) / (2 * step), analytic, 1e-7, (k < c ? "∂γ[" : "∂β[") + k % c + "]");
    }
  }

  private static double loss(Layer layer, double[] x, long[] shape, INDArray eps) {
    INDArray in = Nd4j.create(DataType.DOUBLE, shape);
    NdBuffers.write(x, in);
    layer.setInput(in, NO_WS);
    double[] y = values(layer.activate(true, NO_WS));
    double[] e = values(eps);
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      sum += e[i] * y[i];
    }
    return sum;
  }

  /**
   * A CNNAEU network saved with DL4J's batch normalisation (as models were saved before the fused layer) loads and
   * gives the abundance maps of the fused network with the same parameters, bit for bit; a fused one saves and loads.
   */
  @Test
  void modelsSavedWithDl4jsLayerStillLoadAndGiveTheSameMaps(@TempDir Path dir) throws Exception {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 0);
    SpectrumImage image = cube.image();
    CnnaeuOptions o = new CnnaeuOptions(cube.truthEndmembers().count(), 1).withPatches(15, 8);
    MultiLayerNetwork fused = Cnnaeu.network(image.channels(), o);
    String json = fused.getLayerWiseConfigurations().toJson();
    assertTrue(json.contains(FusedBatchNormalization.class.getName()));
    MultiLayerNetwork old = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(
        json.replace(FusedBatchNormalization.class.getName(), BatchNormalization.class.getName())));
    old.init(fused.params().dup(), false);
    File oldZip = dir.resolve("old.zip").toFile();
    File fusedZip = dir.resolve("fused.zip").toFile();
    ModelSerializer.writeModel(old, oldZip, false);
    ModelSerializer.writeModel(fused, fusedZip, false);
    MultiLayerNetwork oldLoaded = ModelSerializer.restoreMultiLayerNetwork(oldZip, false);
    MultiLayerNetwork fusedLoaded = ModelSerializer.restoreMultiLayerNetwork(fusedZip, false);
    assertTrue(oldLoaded.getLayer(1).getClass() == org.deeplearning4j.nn.layers.normalization.BatchNormalization.class);
    assertTrue(fusedLoaded.getLayer(1) instanceof FusedBatchNormalizationLayer);
    double[] expected = Cnnaeu.abundances(fused, image).values();
    assertArrayEquals(expected, Cnnaeu.abundances(oldLoaded, image).values());
    assertArrayEquals(expected, Cnnaeu.abundances(fusedLoaded, image).values());
  }
}
