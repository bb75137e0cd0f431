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
 * The DL4J layer of {@link AbundanceEncoder}: forward and backward passes hand the whole batch to one
 * {@link AbundanceEncoderKernel} (plain loops over Java copies of the input, the parameter view and the gradient
 * view), so a training step costs a handful of buffer copies instead of dozens of tiny native operations.
 * Parameters stay in the network's flat parameter vector, where the updater, constraints, parameter averaging and
 * ModelSerializer find them. One instance per network (not thread-safe), as for every DL4J layer.
 */
public class AbundanceEncoderLayer extends BaseLayer<AbundanceEncoder> {
  private static final long serialVersionUID = 1L;
  private transient AbundanceEncoderKernel kernel;
  private transient float[] x = new float[0];
  private transient float[] params = new float[0];
  private transient float[] out = new float[0];
  private transient float[] dOut = new float[0];
  private transient float[] gradient = new float[0];
  private transient float[] dx = new float[0];

  public AbundanceEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private AbundanceEncoderKernel kernel() {
    if (kernel == null) {
      AbundanceEncoder c = layerConf();
      kernel = new AbundanceEncoderKernel((int) c.getNIn(), (int) c.getNOut());
      params = new float[kernel.parameterCount()];
      gradient = new float[kernel.parameterCount()];
    }
    return kernel;
  }

  /** Copies the input batch into {@link #x}; returns its number of spectra. */
  private int loadInput() {
    AbundanceEncoderKernel k = kernel();
    if (input.rank() != 2 || input.size(1) != k.channels()) {
      throw new IllegalArgumentException(String.format("%s expects spectra of %d channels as [pixels, %d], got %s",
          layerId(), k.channels(), k.channels(), java.util.Arrays.toString(input.shape())));
    }
    int n = (int) input.size(0);
    if (x.length < n * k.channels()) {
      x = new float[n * k.channels()];
      dx = new float[n * k.channels()];
      out = new float[n * k.endmembers()];
      dOut = new float[n * k.endmembers()];
    }
    NdBuffers.read(input, x);
    return n;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    AbundanceEncoderKernel k = kernel();
    int n = loadInput();
    NdBuffers.read(paramsFlattened, params);
    k.forward(x, 0, n, params, training ? AbundanceEncoderKernel.Mode.TRAIN : AbundanceEncoderKernel.Mode.INFER,
        out, 0);
    if (training) {
      // Only the running statistics changed: write back their 2R values.
      NdBuffers.write(params, k.meanOffset(), getParam(AbundanceEncoderParams.STATISTICS));
    }
    INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {n,
        k.endmembers()}, 'c');
    NdBuffers.write(out, result);
    return result;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    AbundanceEncoderKernel k = kernel();
    int n = loadInput();
    if (!k.holdsTrainingPass(n)) {
      // Recompute the training pass (batch statistics) without moving the running statistics a second time.
      NdBuffers.read(paramsFlattened, params);
      k.forward(x, 0, n, params, AbundanceEncoderKernel.Mode.TRAIN_NO_UPDATE, out, 0);
    }
    NdBuffers.read(epsilon, dOut);
    k.backward(x, 0, n, params, dOut, 0, gradient, dx);
    NdBuffers.write(gradient, gradientsFlattened);
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (String key : AbundanceEncoderParams.getInstance().paramKeys(layerConf())) {
      g.gradientForVariable().put(key, gradientViews.get(key));
    }
    INDArray dInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {n,
        k.channels()}, 'c');
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
