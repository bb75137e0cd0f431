package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * CNNAEU's fused convolution ({@link FusedConvolution}: {@link WinogradConvolution} F(4×4) and F(2×2) or
 * {@link ShiftedConvolution} for the 3×3 encoder, {@link PointwiseConvolution} for the 1×1 layer,
 * {@link SameConvolution} by im2col, {@link FftConvolution} for the decoder) in double precision against three
 * references: a direct convolution written out here (forward, every border pixel), DL4J's own
 * {@code ConvolutionLayer} with the same parameters (forward, ∂W, ∂b, ∂x), and central differences of
 * {@code L = Σ ε ⊙ f(conv(x))} (∂W, ∂b, ∂x). Shapes cover the encoder (3×3, bias, LeakyReLU) and the decoder (13×13,
 * no bias, identity) on patches smaller than the kernel, several patches per batch (so patches go to several
 * workers), and non-square patches.
 */
class FusedConvolutionTest {
  private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();

  /** A layer of a one-convolution double network: index 1 (after an identity layer) so it computes ∂x. */
  private static Layer layer(boolean fused, int in, int out, int k, boolean bias, IActivation f, int h, int w) {
    return layer(DataType.DOUBLE, fused, in, out, k, bias, f, h, w);
  }

  private static Layer layer(DataType type, boolean fused, int in, int out, int k, boolean bias, IActivation f, int h,
      int w) {
    ConvolutionLayer conv = fused
        ? new FusedConvolution.Builder(k).nOut(out).hasBias(bias).activation(f).build()
        : new ConvolutionLayer.Builder(k, k).nOut(out).hasBias(bias).activation(f).build();
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
        .seed(3).dataType(type).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER_UNIFORM)
        .convolutionMode(ConvolutionMode.Same).list()
        .layer(new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder().activation(Activation.IDENTITY).build())
        .layer(conv)
        .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
        .setInputType(InputType.convolutional(h, w, in)).build());
    net.init();
    net.initGradientsView();
    return net.getLayer(1);
  }

  private static INDArray random(SplittableRandom r, long... shape) {
    INDArray a = Nd4j.create(DataType.DOUBLE, shape);
    double[] v = new double[(int) a.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    NdBuffers.write(v, a);
    return a;
  }

  /** The direct convolution: every output sums its k×k neighbourhood, zeros beyond the patch. */
  private static double[] direct(double[] x, int n, int c, int h, int w, double[] wt, double[] b, int o, int k) {
    double[] z = new double[n * o * h * w];
    int p = k / 2;
    for (int s = 0; s < n; s++) {
      for (int q = 0; q < o; q++) {
        for (int y = 0; y < h; y++) {
          for (int xx = 0; xx < w; xx++) {
            double sum = b == null ? 0 : b[q];
            for (int ch = 0; ch < c; ch++) {
              for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                  int yy = y + i - p;
                  int xj = xx + j - p;
                  if (yy >= 0 && yy < h && xj >= 0 && xj < w) {
                    sum += wt[((q * c + ch) * k + i) * k + j] * x[((s * c + ch) * h + yy) * w + xj];
                  }
                }
              }
            }
            z[((s * o + q) * h + y) * w + xx] = sum;
          }
        }
      }
    }
    return z;
  }

  private static double[] values(INDArray a) {
    double[] v = new double[(int) a.length()];
    NdBuffers.read(a, v);
    return v;
  }

  private static double loss(Layer l, INDArray x, INDArray eps) {
    l.setInput(x, NO_WS);
    return l.activate(false, NO_WS).mul(eps).sumNumber().doubleValue();
  }

  private static void check(int in, int out, int k, boolean bias, IActivation f, int n, int h, int w) {
    String what = in + "→" + out + " k" + k + " " + n + "×" + h + "×" + w;
    SplittableRandom r = new SplittableRandom(k * 31L + h);
    Layer fused = layer(true, in, out, k, bias, f, h, w);
    Layer ref = layer(false, in, out, k, bias, f, h, w);
    INDArray params = random(r, fused.numParams());
    fused.setParams(params.dup());
    ref.setParams(params.dup());
    INDArray x = random(r, n, in, h, w);
    INDArray eps = random(r, n, out, h, w);

    // Forward: the direct convolution (identity activation) and DL4J.
    fused.setInput(x, NO_WS);
    INDArray a = fused.activate(true, NO_WS).dup();
    ref.setInput(x, NO_WS);
    INDArray aRef = ref.activate(true, NO_WS).dup();
    assertArrayEquals(values(aRef), values(a), 1e-12, what + " forward vs DL4J");
    if (f instanceof ActivationIdentity) {
      double[] b = bias ? values(fused.getParam(ConvolutionParamInitializer.BIAS_KEY)) : null;
      double[] z = direct(values(x), n, in, h, w, values(fused.getParam(ConvolutionParamInitializer.WEIGHT_KEY)), b,
          out, k);
      assertArrayEquals(z, values(a), 1e-12, what + " forward vs direct");
    }

    // Backward after the training pass, against DL4J.
    Pair<Gradient, INDArray> g = fused.backpropGradient(eps.dup(), NO_WS);
    double[] dW = values(g.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY));
    double[] dB = bias ? values(g.getFirst().getGradientFor(ConvolutionParamInitializer.BIAS_KEY)) : null;
    double[] dX = values(g.getSecond());
    Pair<Gradient, INDArray> gRef = ref.backpropGradient(eps.dup(), NO_WS);
    assertArrayEquals(values(gRef.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY)), dW, 1e-11,
        what + " ∂W vs DL4J");
    if (bias) {
      assertArrayEquals(values(gRef.getFirst().getGradientFor(ConvolutionParamInitializer.BIAS_KEY)), dB, 1e-11,
          what + " ∂b vs DL4J");
    }
    assertArrayEquals(values(gRef.getSecond()), dX, 1e-11, what + " ∂x vs DL4J");

    // Central differences of L = Σ ε ⊙ a (LeakyReLU's kink is measure-zero for random inputs).
    double hStep = 1e-6;
    INDArray p = fused.params().dup();
    for (int i = 0; i < p.length(); i += Math.max(1, (int) p.length() / 40)) {
      INDArray plus = p.dup();
      plus.putScalar(i, p.getDouble(i) + hStep);
      fused.setParams(plus);
      double lp = loss(fused, x, eps);
      INDArray minus = p.dup();
      minus.putScalar(i, p.getDouble(i) - hStep);
      fused.setParams(minus);
      double lm = loss(fused, x, eps);
      double numeric = (lp - lm) / (2 * hStep);
      int weights = dW.length;
      // Parameter order: DL4J's convolution puts the bias first.
      double analytic = bias ? (i < out ? dB[i] : dW[i - out]) : dW[i];
      assertEquals(numeric, analytic, 1e-7 * (1 + Math.abs(numeric)), what + " parameter " + i + " of "
          + (weights + (bias ? out : 0)));
    }
    fused.setParams(p);
    for (int i = 0; i < x.length(); i += Math.max(1, (int) x.length() / 60)) {
      INDArray plus = x.dup();
      plus.putScalar(i, x.getDouble(i) + hStep);
      INDArray minus = x.dup();
      minus.putScalar(i, x.getDouble(i) - hStep);
      double numeric = (loss(fused, plus, eps) - loss(fused, minus, eps)) / (2 * hStep);
      assertEquals(numeric, dX[i], 1e-7 * (1 + Math.abs(numeric)), what + " input " + i);
    }
  }

  @Test
  void encoderConvolutionMatchesReferences() {
    check(6, 4, 3, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 3, 5, 7);
    check(5, 3, 3, true, new ActivationIdentity(), 2, 4, 4);
  }

  @Test
  void encoderConvolutionMatchesReferencesOnOnePatchAndOddBatches() {
    oddShapes();
  }

  /** One patch (one chunk), five (chunks of 2 and 3 patches), a 1-pixel-wide patch: every pixel a border. */
  private static void oddShapes() {
    check(7, 3, 3, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 1, 6, 5);
    check(4, 6, 3, true, new ActivationIdentity(), 5, 3, 8);
    check(3, 2, 3, false, new ActivationIdentity(), 2, 5, 1);
  }

  /** Winograd's smaller tiles, F(2×2, 3×3), on the same shapes (sides that 2 does and does not divide). */
  @Test
  void winogradWithTwoByTwoTilesMatchesReferences() {
    int previous = WinogradConvolution.useTile(2);
    try {
      check(6, 4, 3, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 3, 5, 7);
      oddShapes();
    } finally {
      WinogradConvolution.useTile(previous);
    }
  }

  /** The shifted-GEMM path (before Winograd, still selectable) on the same shapes. */
  @Test
  void shiftedEncoderConvolutionStillMatchesReferences() {
    boolean previous = FusedConvolutionLayer.allowWinograd(false);
    try {
      check(6, 4, 3, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 3, 5, 7);
      oddShapes();
    } finally {
      FusedConvolutionLayer.allowWinograd(previous);
    }
  }

  /** A smaller batch after a larger one (an epoch's last batch) gives what a fresh layer gives, bit for bit. */
  @Test
  void aSmallerBatchAfterALargerOneEqualsAFreshLayer() {
    SplittableRandom r = new SplittableRandom(5);
    Layer used = layer(true, 5, 4, 3, true, new ActivationLReLU(0.02), 6, 5);
    Layer fresh = layer(true, 5, 4, 3, true, new ActivationLReLU(0.02), 6, 5);
    INDArray params = random(r, used.numParams());
    used.setParams(params.dup());
    fresh.setParams(params.dup());
    used.setInput(random(r, 4, 5, 6, 5), NO_WS);
    used.activate(true, NO_WS);
    used.backpropGradient(random(r, 4, 4, 6, 5), NO_WS);
    INDArray x = random(r, 2, 5, 6, 5);
    INDArray eps = random(r, 2, 4, 6, 5);
    double[][] got = new double[2][];
    Layer[] layers = {used, fresh};
    for (int k = 0; k < 2; k++) {
      layers[k].setInput(x, NO_WS);
      double[] a = values(layers[k].activate(true, NO_WS));
      Pair<Gradient, INDArray> g = layers[k].backpropGradient(eps, NO_WS);
      double[] dW = values(g.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY));
      double[] dX = values(g.getSecond());
      got[k] = new double[a.length + dW.length + dX.length];
      System.arraycopy(a, 0, got[k], 0, a.length);
      System.arraycopy(dW, 0, got[k], a.length, dW.length);
      System.arraycopy(dX, 0, got[k], a.length + dW.length, dX.length);
    }
    assertArrayEquals(got[1], got[0]);
  }

  @Test
  void im2colEncoderConvolutionStillMatchesReferences() {
    boolean previous = FusedConvolutionLayer.allowShifted(false);
    boolean winograd = FusedConvolutionLayer.allowWinograd(false);
    try {
      check(6, 4, 3, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 3, 5, 7);
    } finally {
      FusedConvolutionLayer.allowShifted(previous);
      FusedConvolutionLayer.allowWinograd(winograd);
    }
  }

  /** The 1×1 layer (CNNAEU's filters → R): one and several patches, a 1-pixel-wide patch, with and without bias. */
  @Test
  void pointwiseConvolutionMatchesReferences() {
    assertTrue(((FusedConvolutionLayer) layer(true, 6, 3, 1, true, new ActivationIdentity(), 4, 4)).kernelInUse()
        instanceof PointwiseConvolution);
    check(48, 3, 1, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 3, 5, 7);
    check(5, 4, 1, true, new ActivationIdentity(), 1, 6, 5);
    check(3, 2, 1, false, new ActivationIdentity(), 5, 3, 1);
  }

  @Test
  void im2colPointwiseConvolutionStillMatchesReferences() {
    boolean previous = FusedConvolutionLayer.allowPointwise(false);
    try {
      assertTrue(((FusedConvolutionLayer) layer(true, 6, 3, 1, true, new ActivationIdentity(), 4, 4)).kernelInUse()
          instanceof SameConvolution);
      check(48, 3, 1, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 3, 5, 7);
    } finally {
      FusedConvolutionLayer.allowPointwise(previous);
    }
  }

  /**
   * LeakyReLU in Java ({@link LeakyRelu}) against DL4J's activation on the same layer, bit for bit, forward (training
   * and inference) and backward, in float and double, 1 and 3 threads, with random parameters and with zero ones (every
   * pre-activation ±0, the kernel's edge).
   */
  @Test
  void javaLeakyReluGivesDl4jsBits() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (int k : new int[] {3, 1}) {
        for (boolean zero : new boolean[] {false, true}) {
          double[][] seen = new double[3][];
          int previousThreads = PatchWorkers.threads();
          boolean previous = FusedConvolutionLayer.allowJavaActivation(true);
          try {
            for (int run = 0; run < 3; run++) {
              FusedConvolutionLayer.allowJavaActivation(run > 0);
              PatchWorkers.setThreads(run == 2 ? 3 : 1);
              SplittableRandom r = new SplittableRandom(k + 11);
              Layer l = layer(type, true, 6, 5, k, true, new ActivationLReLU(Cnnaeu.LEAKY_SLOPE), 6, 7);
              INDArray p = random(new SplittableRandom(2), l.numParams()).castTo(type);
              l.setParams(zero ? p.mul(0) : p);
              INDArray x = random(r, 4, 6, 6, 7).castTo(type);
              INDArray eps = random(r, 4, 5, 6, 7).castTo(type);
              l.setInput(x, NO_WS);
              double[] inference = values(l.activate(false, NO_WS).castTo(DataType.DOUBLE));
              l.setInput(x, NO_WS);
              double[] a = values(l.activate(true, NO_WS).castTo(DataType.DOUBLE));
              Pair<Gradient, INDArray> g = l.backpropGradient(eps, NO_WS);
              double[] dW = values(g.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY)
                  .castTo(DataType.DOUBLE));
              double[] dX = values(g.getSecond().castTo(DataType.DOUBLE));
              seen[run] = java.util.stream.DoubleStream.concat(java.util.stream.DoubleStream.concat(
                  java.util.Arrays.stream(inference), java.util.Arrays.stream(a)), java.util.stream.DoubleStream
                  .concat(java.util.Arrays.stream(dW), java.util.Arrays.stream(dX))).toArray();
            }
          } finally {
            FusedConvolutionLayer.allowJavaActivation(previous);
            PatchWorkers.setThreads(previousThreads);
          }
          String what = type + " k" + k + (zero ? " zero parameters" : "");
          assertArrayEquals(seen[0], seen[1], 0.0, what + ": Java vs DL4J");
          assertArrayEquals(seen[0], seen[2], 0.0, what + ": 3 threads vs 1");
        }
      }
    }
  }

  @Test
  void decoderConvolutionMatchesReferencesIncludingKernelsLargerThanThePatch() {
    check(3, 7, 13, false, new ActivationIdentity(), 3, 9, 11);
    check(2, 5, 5, false, new ActivationIdentity(), 4, 3, 6);
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    sameForEveryThreadCount(3);
    sameForEveryThreadCount(1);
  }

  private static void sameForEveryThreadCount(int k) {
    SplittableRandom r = new SplittableRandom(8);
    Layer fused = layer(true, 4, 5, k, true, new ActivationLReLU(0.02), 6, 7);
    fused.setParams(random(r, fused.numParams()));
    INDArray x = random(r, 5, 4, 6, 7);
    INDArray eps = random(r, 5, 5, 6, 7);
    double[][] seen = new double[3][];
    int previous = PatchWorkers.threads();
    try {
      for (int threads = 1; threads <= 3; threads++) {
        PatchWorkers.setThreads(threads);
        fused.setInput(x, NO_WS);
        double[] a = values(fused.activate(true, NO_WS));
        Pair<Gradient, INDArray> g = fused.backpropGradient(eps, NO_WS);
        double[] dW = values(g.getFirst().getGradientFor(ConvolutionParamInitializer.WEIGHT_KEY));
        double[] dB = values(g.getFirst().getGradientFor(ConvolutionParamInitializer.BIAS_KEY));
        double[] dX = values(g.getSecond());
        double[] all = new double[a.length + dW.length + dB.length + dX.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(dW, 0, all, a.length, dW.length);
        System.arraycopy(dB, 0, all, a.length + dW.length, dB.length);
        System.arraycopy(dX, 0, all, a.length + dW.length + dB.length, dX.length);
        seen[threads - 1] = all;
      }
    } finally {
      PatchWorkers.setThreads(previous);
    }
    assertArrayEquals(seen[0], seen[1]);
    assertArrayEquals(seen[0], seen[2]);
  }

  @Test
  void theFirstLayerComputesNoInputGradient() {
    SplittableRandom r = new SplittableRandom(2);
    Layer fused = layer(true, 3, 2, 3, true, new ActivationIdentity(), 4, 4);
    fused.setIndex(0);
    fused.setParams(random(r, fused.numParams()));
    fused.setInput(random(r, 2, 3, 4, 4), NO_WS);
    fused.activate(true, NO_WS);
    assertEquals(WinogradConvolution.class.getSimpleName(),
        ((FusedConvolutionLayer) fused).kernelInUse().getClass().getSimpleName());
    assertNull(fused.backpropGradient(random(r, 2, 2, 4, 4), NO_WS).getSecond());
  }

  /**
   * The backward pass that follows a forward pass reuses the kernel's transformed input (padded channels-last copy,
   * spectra) and gives the gradients of a plain backward pass bit for bit; after a forward pass of another array it
   * transforms its own input again.
   */
  @Test
  void backwardAfterForwardEqualsAPlainBackwardPass() {
    SplittableRandom r = new SplittableRandom(12);
    int n = 3;
    int c = 4;
    int o = 5;
    int h = 6;
    int w = 7;
    for (int k : new int[] {3, 5, 0}) {
      // k = 0: the 3×3 kernel by Winograd.
      boolean winograd = k == 0;
      k = winograd ? 3 : k;
      boolean fft = k >= FusedConvolutionLayer.FFT_KERNEL;
      INDArray x = random(r, n, c, h, w);
      INDArray other = random(r, n, c, h, w);
      INDArray wt = random(r, o, c, k, k);
      INDArray b = fft ? null : random(r, o);
      INDArray dz = random(r, n, o, h, w);
      double[][] seen = new double[3][];
      for (int v = 0; v < 3; v++) {
        ConvolutionKernel kernel = fft ? new FftConvolution(c, o, k)
            : winograd ? new WinogradConvolution(c, o, k) : new ShiftedConvolution(c, o, k);
        INDArray z = Nd4j.create(DataType.DOUBLE, n, o, h, w);
        kernel.forward(v == 2 ? other : x, wt, b, z);
        INDArray dW = Nd4j.create(DataType.DOUBLE, o, c, k, k);
        INDArray dB = fft ? null : Nd4j.create(DataType.DOUBLE, o);
        INDArray dX = Nd4j.create(DataType.DOUBLE, n, c, h, w);
        if (v == 0) {
          kernel.backward(x, wt, dz, dW, dB, dX);
        } else {
          kernel.backwardAfterForward(x, wt, dz, dW, dB, dX);
        }
        double[] dw = values(dW);
        double[] dx = values(dX);
        double[] db = fft ? new double[0] : values(dB);
        seen[v] = new double[dw.length + dx.length + db.length];
        System.arraycopy(dw, 0, seen[v], 0, dw.length);
        System.arraycopy(dx, 0, seen[v], dw.length, dx.length);
        System.arraycopy(db, 0, seen[v], dw.length + dx.length, db.length);
      }
      assertArrayEquals(seen[0], seen[1], "k " + k + ": after the forward pass of x");
      assertArrayEquals(seen[0], seen[2], "k " + k + ": after the forward pass of another array");
    }
  }

  /**
   * The wide forward pass (one product of {@code 9·O} columns per patch and a shifted sum in Java) equals the nine
   * accumulated products it replaced on CNNAEU's float shapes (B = 200 and 903 channels → 48 filters, three patches
   * of 11×9, bias): the same additions in the same order, so equal to float rounding of the C-sums BLAS splits into
   * blocks (bit for bit where it does not).
   */
  @Test
  void wideForwardEqualsTheNineProductsInFloat() {
    SplittableRandom r = new SplittableRandom(21);
    for (int c : new int[] {200, 903}) {
      int o = 48;
      INDArray x = random(r, 3, c, 11, 9).castTo(DataType.FLOAT);
      INDArray wt = random(r, o, c, 3, 3).castTo(DataType.FLOAT);
      INDArray b = random(r, o).castTo(DataType.FLOAT);
      INDArray[] z = new INDArray[2];
      for (int v = 0; v < 2; v++) {
        boolean previous = ShiftedConvolution.useWideForward(v == 1);
        try {
          z[v] = Nd4j.create(DataType.FLOAT, 3, o, 11, 9);
          new ShiftedConvolution(c, o, 3).forward(x, wt, b, z[v]);
        } finally {
          ShiftedConvolution.useWideForward(previous);
        }
      }
      double scale = z[0].amaxNumber().doubleValue();
      double worst = z[1].sub(z[0]).amaxNumber().doubleValue();
      assertEquals(0, worst, 4e-6 * scale, "C " + c + ": largest difference " + worst + " of " + scale);
    }
  }

  /**
   * Winograd in float on CNNAEU's shapes (B = 200 and 903 channels → 48 filters, three patches of 12×10: 10 is no
   * multiple of 4, so F(4×4)'s last tiles reach past the patch) against the shifted path in double: forward and ∂W,
   * largest difference relative to the largest value, for F(2×2) and F(4×4), beside the float shifted path's own
   * error. Inputs as CNNAEU's first layer sees them: non-negative spectra, weights of both signs.
   */
  @Test
  void winogradInFloatIsAsCloseToTheDoubleReferenceAsTheShiftedPath() {
    SplittableRandom r = new SplittableRandom(33);
    int n = 3;
    int h = 12;
    int w = 10;
    int o = 48;
    for (int c : new int[] {200, 903}) {
      INDArray x = random(r, n, c, h, w);
      Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.same.Abs(x));
      INDArray wt = random(r, o, c, 3, 3).muli(0.1);
      INDArray b = random(r, o);
      INDArray dz = random(r, n, o, h, w);
      INDArray z = Nd4j.create(DataType.DOUBLE, n, o, h, w);
      INDArray dW = Nd4j.create(DataType.DOUBLE, o, c, 3, 3);
      INDArray dB = Nd4j.create(DataType.DOUBLE, o);
      ShiftedConvolution exact = new ShiftedConvolution(c, o, 3);
      exact.forward(x, wt, b, z);
      exact.backward(x, wt, dz, dW, dB, null);
      double[] err = new double[6];
      ConvolutionKernel[] kernels = {new ShiftedConvolution(c, o, 3), new WinogradConvolution(c, o, 3, 2),
          new WinogradConvolution(c, o, 3, 4)};
      for (int k = 0; k < kernels.length; k++) {
        INDArray zf = Nd4j.create(DataType.FLOAT, n, o, h, w);
        INDArray dWf = Nd4j.create(DataType.FLOAT, o, c, 3, 3);
        INDArray dBf = Nd4j.create(DataType.FLOAT, o);
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray wf = wt.castTo(DataType.FLOAT);
        kernels[k].forward(xf, wf, b.castTo(DataType.FLOAT), zf);
        kernels[k].backwardAfterForward(xf, wf, dz.castTo(DataType.FLOAT), dWf, dBf, null);
        err[2 * k] = zf.castTo(DataType.DOUBLE).sub(z).amaxNumber().doubleValue() / z.amaxNumber().doubleValue();
        err[2 * k + 1] = dWf.castTo(DataType.DOUBLE).sub(dW).amaxNumber().doubleValue()
            / dW.amaxNumber().doubleValue();
      }
      System.out.printf("C %d, largest relative error in float (forward, ∂W): shifted %.2e %.2e, F(2x2) %.2e %.2e,"
          + " F(4x4) %.2e %.2e%n", c, err[0], err[1], err[2], err[3], err[4], err[5]);
      for (int k = 2; k < 6; k++) {
        assertEquals(0, err[k], 1e-5, "C " + c + ": error " + k);
      }
    }
  }
}
