package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J layer of a {@link FusedEncoder}: forward and backward passes hand the whole batch to one
 * {@link EncoderKernel} (plain loops over Java copies of the input, the parameter view and the gradient view), so a
 * training step costs a handful of buffer copies instead of dozens of tiny native operations. Parameters stay in the
 * network's flat parameter vector ({@link FusedEncoderParams}), where the updater, constraints, parameter averaging
 * and ModelSerializer find them. One instance per network (not thread-safe), as for every DL4J layer.
 */
abstract class FusedEncoderLayer<C extends FusedEncoder> extends BaseLayer<C> {
  private static final long serialVersionUID = 1L;
  private transient EncoderKernel kernel;
  private transient float[] x = new float[0];
  private transient float[] params = new float[0];
  private transient float[] out = new float[0];
  private transient float[] dOut = new float[0];
  private transient float[] gradient = new float[0];
  private transient float[] dx = new float[0];

  FusedEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  /** A new kernel for this layer's configuration. */
  protected abstract EncoderKernel newKernel();

  private EncoderKernel kernel() {
    if (kernel == null) {
      kernel = newKernel();
      params = new float[kernel.parameterCount()];
      gradient = new float[kernel.parameterCount()];
    }
    return kernel;
  }

  /** Copies the input batch into {@link #x}; returns its number of samples. */
  private int loadInput() {
    EncoderKernel k = kernel();
    int per = k.rowsPerSample();
    if (input.rank() != 2 || input.size(1) != k.channels() || input.size(0) % per != 0) {
      throw new IllegalArgumentException(String.format("%s expects spectra of %d channels as [%s, %d], got %s",
          layerId(), k.channels(), per == 1 ? "pixels" : per + "·samples", k.channels(),
          java.util.Arrays.toString(input.shape())));
    }
    int rows = (int) input.size(0);
    if (x.length < rows * k.channels()) {
      x = new float[rows * k.channels()];
      dx = new float[rows * k.channels()];
      out = new float[rows * k.endmembers()];
      dOut = new float[rows * k.endmembers()];
    }
    NdBuffers.read(input, x);
    return rows / per;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    EncoderKernel k = kernel();
    int n = loadInput();
    NdBuffers.read(paramsFlattened, params);
    k.forward(x, 0, n, params, training ? AbundanceEncoderKernel.Mode.TRAIN : AbundanceEncoderKernel.Mode.INFER,
        out, 0);
    if (training) {
      // Only the running statistics (first in the vector) changed: write them back.
      NdBuffers.write(params, 0, getParam(FusedEncoderParams.STATISTICS));
    }
    INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {
        (long) n * k.rowsPerSample(), k.endmembers()}, 'c');
    NdBuffers.write(out, result);
    return result;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    EncoderKernel k = kernel();
    int n = loadInput();
    if (!k.holdsTrainingPass(n)) {
      // Recompute the training pass (batch statistics) without moving the running statistics a second time.
      NdBuffers.read(paramsFlattened, params);
      k.forward(x, 0, n, params, AbundanceEncoderKernel.Mode.TRAIN_NO_UPDATE, out, 0);
    }
    NdBuffers.read(epsilon, dOut);
    // The first layer of a network needs no ∂L/∂input.
    boolean first = getIndex() == 0;
    k.backward(x, 0, n, params, dOut, 0, gradient, first ? null : dx);
    NdBuffers.write(gradient, gradientsFlattened);
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (String key : layerConf().initializer().paramKeys(layerConf())) {
      g.gradientForVariable().put(key, gradientViews.get(key));
    }
    if (first) {
      return new Pair<>(g, null);
    }
    INDArray dInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {
        (long) n * k.rowsPerSample(), k.channels()}, 'c');
    NdBuffers.write(dx, dInput);
    return new Pair<>(g, dInput);
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return false;
  }

  @Override
  public Type type() {
    return Type.FEED_FORWARD;
  }
}
