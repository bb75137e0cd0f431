package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer of {@link FusedBatchNormalization}: DL4J's batch normalisation whose training pass on NCHW batches runs
 * in plain Java ({@link BatchNormalisation#forwardPlanes}, {@link BatchNormalisation#backwardPlanes}: two reads of
 * the batch forward, two backward, in double) instead of DL4J's dozen ND4J operations, each allocating a batch-sized
 * array. The running statistics move as DL4J moves them, through the pseudo-gradients its no-op updater subtracts:
 * {@code ∂mean = (m − μ)(1 − d)} and, for the log10 σ parameterisation,
 * {@code ∂log10σ = ln(v / (d·v + (1 − d)·σ²)) / (2 ln 10)} with {@code v = (10^{log10σ})²}, σ² the biased batch
 * variance, d the decay (or {@code ∂var = (v − σ²)(1 − d)}). Inference, other layouts and a backward pass without
 * this layer's training pass before it are DL4J's own. The channels are dealt to the {@link PatchWorkers} threads
 * (each channel's statistics, values and gradients are computed from its own planes alone, so the results do not
 * depend on the thread count, bit for bit).
 */
public class FusedBatchNormalizationLayer extends BatchNormalization {
  private static final long serialVersionUID = 1L;
  /** Whether layers made from now on compute their training pass here (tests and measurements compare with DL4J). */
  private static volatile boolean fusedAllowed = true;
  private final boolean fused = fusedAllowed;
  /** The input of the last training pass computed here, and its values and batch statistics. */
  private transient INDArray trained;
  private transient double[] x;
  /** Work arrays of the batch's size (output, ∂y, ∂x), kept from call to call. */
  private transient double[] y;
  private transient double[] dy;
  private transient double[] dx;
  private transient double[] mean;
  private transient double[] variance;
  private transient double[] std;
  /** Each worker's staging plane ({@link #forChannels}). */
  private transient Object[] staging;

  public FusedBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** Lets layers made from now on use the Java training pass (true) or DL4J's; returns the previous setting. */
  static boolean allowFused(boolean allowed) {
    boolean previous = fusedAllowed;
    fusedAllowed = allowed;
    return previous;
  }

  private boolean handles(INDArray in) {
    org.deeplearning4j.nn.conf.layers.BatchNormalization c = layerConf();
    return fused && in.rank() == 4 && c.getCnn2DFormat() == CNN2DFormat.NCHW && !c.isLockGammaBeta()
        && c.getIDropout() == null && getHelper() == null
        && (in.dataType() == DataType.FLOAT || in.dataType() == DataType.DOUBLE) && in.size(1) == c.getNOut();
  }

  private double[] param(String key) {
    INDArray p = getParam(key);
    double[] v = new double[(int) p.length()];
    NdBuffers.read(p, v);
    return v;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    trained = null;
    if (!training || !handles(input)) {
      return super.activate(training, workspaceMgr);
    }
    int n = (int) input.size(0);
    int channels = (int) input.size(1);
    int area = (int) (input.size(2) * input.size(3));
    int length = n * channels * area;
    if (x == null || x.length != length) {
      x = new double[length];
      y = new double[length];
      dy = new double[length];
      dx = new double[length];
    }
    if (mean == null || mean.length != channels) {
      mean = new double[channels];
      variance = new double[channels];
      std = new double[channels];
    }
    INDArray in = NdBuffers.dense(input) ? input : workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
    double[] gamma = param(BatchNormalizationParamInitializer.GAMMA);
    double[] beta = param(BatchNormalizationParamInitializer.BETA);
    double eps = layerConf().getEps();
    // Channel by channel over the workers (each channel's statistics and values are its own: the same bits
    // whichever thread computes them), reading and writing that channel's planes there too.
    forChannels(input.dataType(), channels, area, (from, to, plane) -> {
      readPlanes(in, x, n, channels, area, from, to, plane);
      BatchNormalisation.forwardPlanes(x, n, channels, area, from, to, gamma, beta, eps, mean, variance, std, y);
      writePlanes(y, out, n, channels, area, from, to, plane);
    });
    trained = input;
    return out;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    if (trained != input || !handles(input)) {
      return super.backpropGradient(epsilon, workspaceMgr);
    }
    org.deeplearning4j.nn.conf.layers.BatchNormalization c = layerConf();
    int n = (int) input.size(0);
    int channels = (int) input.size(1);
    int area = (int) (input.size(2) * input.size(3));
    INDArray e = NdBuffers.dense(epsilon) ? epsilon : workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon, 'c');
    INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
    double[] dGamma = new double[channels];
    double[] dBeta = new double[channels];
    double[] gamma = param(BatchNormalizationParamInitializer.GAMMA);
    forChannels(input.dataType(), channels, area, (from, to, plane) -> {
      readPlanes(e, dy, n, channels, area, from, to, plane);
      BatchNormalisation.backwardPlanes(x, n, channels, area, from, to, gamma, mean, std, dy, dGamma, dBeta, dx);
      writePlanes(dx, out, n, channels, area, from, to, plane);
    });
    Gradient g = new DefaultGradient();
    set(g, BatchNormalizationParamInitializer.GAMMA, dGamma);
    set(g, BatchNormalizationParamInitializer.BETA, dBeta);
    double decay = c.getDecay();
    double[] running = param(BatchNormalizationParamInitializer.GLOBAL_MEAN);
    double[] move = new double[channels];
    for (int k = 0; k < channels; k++) {
      move[k] = (running[k] - mean[k]) * (1 - decay);
    }
    set(g, BatchNormalizationParamInitializer.GLOBAL_MEAN, move);
    if (c.isUseLogStd()) {
      double[] log10Std = param(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
      for (int k = 0; k < channels; k++) {
        double v = Math.pow(10, log10Std[k]);
        v *= v;
        move[k] = Math.log(v / (v * decay + variance[k] * (1 - decay))) / (2 * Math.log(10));
      }
      set(g, BatchNormalizationParamInitializer.GLOBAL_LOG_STD, move);
    } else {
      double[] v = param(BatchNormalizationParamInitializer.GLOBAL_VAR);
      for (int k = 0; k < channels; k++) {
        move[k] = (v[k] - variance[k]) * (1 - decay);
      }
      set(g, BatchNormalizationParamInitializer.GLOBAL_VAR, move);
    }
    return new Pair<>(g, out);
  }

  /** Work on channels {@code [from, to)} with a worker's staging plane ({@code area} values of the batch's type). */
  private interface ChannelWork {
    void run(int from, int to, Object staging);
  }

  /**
   * Runs {@code work} on every channel, channels dealt to the {@link PatchWorkers} (worker {@code t} takes channels
   * {@code t, t + T, …}, one at a time), each worker with a staging plane of its own.
   */
  private void forChannels(DataType type, int channels, int area, ChannelWork work) {
    int workers = PatchWorkers.workers(channels);
    if (staging == null || staging.length < workers || Staging.length(staging[0]) != area
        || (staging[0] instanceof float[]) != (type == DataType.FLOAT)) {
      staging = new Object[workers];
      for (int t = 0; t < workers; t++) {
        staging[t] = Staging.array(type, area);
      }
    }
    Object[] planes = staging;
    PatchWorkers.run(workers, t -> {
      for (int c = t; c < channels; c += workers) {
        work.run(c, c + 1, planes[t]);
      }
    });
  }

  /** Channels {@code [from, to)} of dense NCHW {@code a} into {@code dst} (same layout) as doubles. */
  private static void readPlanes(INDArray a, double[] dst, int n, int channels, int area, int from, int to,
      Object staging) {
    for (int i = 0; i < n; i++) {
      for (int c = from; c < to; c++) {
        int at = (i * channels + c) * area;
        Staging.read(a, at, staging, area);
        if (staging instanceof float[] f) {
          for (int p = 0; p < area; p++) {
            dst[at + p] = f[p];
          }
        } else {
          System.arraycopy((double[]) staging, 0, dst, at, area);
        }
      }
    }
  }

  /** Channels {@code [from, to)} of {@code src} (NCHW doubles) into dense {@code a}, in its type. */
  private static void writePlanes(double[] src, INDArray a, int n, int channels, int area, int from, int to,
      Object staging) {
    Staging.Runs runs = Staging.runs(a, 1);
    for (int i = 0; i < n; i++) {
      for (int c = from; c < to; c++) {
        int at = (i * channels + c) * area;
        if (staging instanceof float[] f) {
          for (int p = 0; p < area; p++) {
            f[p] = (float) src[at + p];
          }
        } else {
          System.arraycopy(src, at, (double[]) staging, 0, area);
        }
        runs.copy(staging, 0, at, area);
      }
    }
  }

  /** Writes {@code values} into the gradient view of {@code key} and names it in {@code g}. */
  private void set(Gradient g, String key, double[] values) {
    INDArray view = gradientViews.get(key);
    NdBuffers.write(values, view);
    g.setGradientFor(key, view);
  }
}
