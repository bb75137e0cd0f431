package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * DAEU's training step (Palsson et al., IEEE Access 6, 2018) on plain float arrays allocated once: what DL4J's
 * {@code MultiLayerNetwork.fit} does for the {@link Daeu} network, without its per-step plumbing (array creation,
 * workspaces, updater blocks, the score computed apart from the gradient), which on this ≈ 110 kflop step cost more
 * than the arithmetic. A step, as DL4J makes it:
 *
 * <ol>
 *   <li>encoder forward in training mode ({@link AbundanceEncoderKernel}: batch statistics, the running estimates
 *       moved), decoder {@code ŷ = a W}, the angles and {@code ∂θ/∂ŷ} ({@link EndmemberDecoderKernel}); the score is
 *       the mean angle;</li>
 *   <li>backward through the decoder and the encoder; every gradient divided by the batch size (DL4J's mini-batch
 *       division, in float);</li>
 *   <li>RMSprop ({@link JavaRmsProp#step}) on the trained parameters, {@code θ ← θ − update};</li>
 *   <li>the constraints: soft thresholds α ← max(α, 0) ({@link SoftThresholdConstraint}), decoder weights
 *       W ← max(W, 0) (DL4J's {@code NonNegativeConstraint}).</li>
 * </ol>
 *
 * The same kernels and the same float operations in the same order as the DL4J layers, so each step equals DL4J's
 * bit for bit in practice ({@code DaeuTrainerTest} holds it to float rounding). The network stays the model: its
 * seeded initial parameters and RMSprop state are read at construction, the trained parameters, RMSprop state and
 * iteration count written back once by {@link #finish} (and read again by {@link #reload}, which parameter averaging
 * calls after each round); saved models, inference and parameter averaging see a DL4J network as before. Not thread-safe: one trainer per network.
 */
final class DaeuTrainer implements TrainingSteps {
  private final MultiLayerNetwork net;
  private final AbundanceEncoderKernel encoder;
  private final IUpdater updater;
  private final int b;
  private final int r;
  /** The encoder's flat parameters (running statistics, then the trained ones), {@link AbundanceEncoderKernel}'s layout. */
  private final float[] encoderParams;
  /** The decoder's W (R × B), {@code W[k][c]} at {@code c·R + k} (DL4J's storage). */
  private final float[] w;
  private final float[] encoderGradient;
  private final float[] wGradient;
  /** RMSprop's state of the trained encoder parameters, then of W: DL4J's updater state view, in its order. */
  private final float[] state;
  private final int trainedOffset;
  private final int trainedCount;
  private int iteration;
  private float[] a = new float[0];
  private float[] da = new float[0];
  private float[] out = new float[0];
  private double[] y = new double[0];
  private double[] yHat = new double[0];
  private double[] dyHat = new double[0];

  /**
   * A trainer starting from {@code net}'s current parameters and RMSprop state.
   *
   * @throws IllegalArgumentException when {@code net} is not a DAEU network trained with RMSprop
   */
  DaeuTrainer(MultiLayerNetwork net) {
    this.net = net;
    AbundanceEncoder conf = Daeu.encoderLayer(net);
    b = (int) conf.getNIn();
    r = (int) conf.getNOut();
    encoder = new AbundanceEncoderKernel(b, r);
    updater = decoderUpdater(net);
    if (!accepts(net)) {
      throw new IllegalArgumentException("the plain DAEU trainer needs one RMSprop for the encoder and the decoder, "
          + "got " + updater);
    }
    encoderParams = new float[encoder.parameterCount()];
    w = new float[r * b];
    encoderGradient = new float[encoder.parameterCount()];
    wGradient = new float[r * b];
    trainedOffset = encoder.trainedOffset();
    trainedCount = encoder.parameterCount() - trainedOffset;
    state = new float[trainedCount + r * b];
    reload();
  }

  @Override
  public void reload() {
    NdBuffers.readStored(net.getLayer(0).params(), encoderParams);
    NdBuffers.readStored(decoderWeights(), w);
    INDArray view = stateView();
    if (view.length() != state.length) {
      throw new IllegalStateException("DL4J's RMSprop state holds " + view.length() + " values, expected "
          + state.length);
    }
    NdBuffers.readStored(view, state);
    iteration = net.getIterationCount();
  }

  /** Whether {@code net} (a DAEU network) is trained by one RMSprop, the only optimiser this trainer implements. */
  static boolean accepts(MultiLayerNetwork net) {
    IUpdater u = decoderUpdater(net);
    return u instanceof RmsProp && u.equals(Daeu.encoderLayer(net).getUpdaterByParam(AbundanceEncoderParams.TRAINED));
  }

  private static IUpdater decoderUpdater(MultiLayerNetwork net) {
    return ((BaseLayer) net.getLayerWiseConfigurations().getConf(1).getLayer()).getIUpdater();
  }

  private INDArray decoderWeights() {
    return net.getLayer(1).getParam(DefaultParamInitializer.WEIGHT_KEY);
  }

  /** The network's RMSprop state (initialised to ε by DL4J when the updater is first made). */
  private INDArray stateView() {
    Updater u = net.getUpdater(true);
    return u.getStateViewArray();
  }

  private void ensureCapacity(int n) {
    if (a.length >= n * r) {
      return;
    }
    a = new float[n * r];
    da = new float[n * r];
    out = new float[n * b];
    y = new double[n * b];
    yHat = new double[n * b];
    dyHat = new double[n * b];
  }

  @Override
  public double step(float[] batch, int n) {
    ensureCapacity(n);
    double score = gradient(batch, n);
    update(n);
    return score;
  }

  /**
   * Forward and backward pass over {@code n} spectra (training mode; the running statistics move): leaves the
   * gradients of the summed angles in {@link #encoderGradient} and {@link #wGradient}.
   *
   * @return the mean angle (DL4J's score)
   */
  double gradient(float[] batch, int n) {
    ensureCapacity(n);
    encoder.forward(batch, 0, n, encoderParams, AbundanceEncoderKernel.Mode.TRAIN, a, 0);
    EndmemberDecoderKernel.reconstruct(a, w, n, r, b, out);
    for (int i = 0; i < n * b; i++) {
      y[i] = batch[i];
      yHat[i] = out[i];
    }
    double sum = EndmemberDecoderKernel.loss(y, yHat, n, b, dyHat);
    EndmemberDecoderKernel.backward(a, w, dyHat, n, r, b, wGradient, da);
    encoder.backward(batch, 0, n, encoderParams, da, 0, encoderGradient, null);
    return sum / n;
  }

  /** Mini-batch division, RMSprop, the step and the constraints (the running statistics are not trained). */
  void update(int n) {
    float size = n;
    for (int i = trainedOffset; i < encoderGradient.length; i++) {
      encoderGradient[i] /= size;
    }
    for (int i = 0; i < wGradient.length; i++) {
      wGradient[i] /= size;
    }
    RmsProp rms = (RmsProp) updater;
    float lr = (float) rms.getLearningRate(iteration, net.getEpochCount());
    float decay = (float) rms.getRmsDecay();
    float epsilon = (float) rms.getEpsilon();
    JavaRmsProp.step(encoderGradient, trainedOffset, state, 0, trainedCount, lr, decay, epsilon);
    JavaRmsProp.step(wGradient, 0, state, trainedCount, wGradient.length, lr, decay, epsilon);
    for (int i = trainedOffset; i < encoderParams.length; i++) {
      encoderParams[i] -= encoderGradient[i];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] -= wGradient[i];
    }
    for (int i = encoder.alphaOffset(); i < encoder.alphaOffset() + r; i++) {
      if (encoderParams[i] < 0f) {
        encoderParams[i] = 0f;
      }
    }
    for (int i = 0; i < w.length; i++) {
      if (w[i] < 0f) {
        w[i] = 0f;
      }
    }
    iteration++;
  }

  /** The encoder's parameters as they stand (running statistics first), {@link AbundanceEncoderKernel}'s layout. */
  float[] encoderParams() {
    return encoderParams;
  }

  float[] encoderGradient() {
    return encoderGradient;
  }

  /** W as DL4J stores it ({@code W[k][c]} at {@code c·R + k}). */
  float[] decoderWeights(boolean gradient) {
    return gradient ? wGradient : w;
  }

  @Override
  public void finish() {
    NdBuffers.writeStored(encoderParams, net.getLayer(0).params());
    NdBuffers.writeStored(w, decoderWeights());
    NdBuffers.writeStored(state, stateView());
    net.setIterationCount(iteration);
  }
}
