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
 * The DL4J layer of {@link MultitaskEncoder}: forward and backward passes hand the whole batch ({@code 4n} rows,
 * task-major) to one {@link MultitaskEncoderKernel}, whose noise and dropout generator is seeded from the network's
 * seed. Parameters stay in the network's flat parameter vector. One instance per network (not thread-safe).
 */
public class MultitaskEncoderLayer extends BaseLayer<MultitaskEncoder> {
  private static final long serialVersionUID = 1L;
  private transient MultitaskEncoderKernel kernel;
  private transient float[] x = new float[0];
  private transient float[] params = new float[0];
  private transient float[] out = new float[0];
  private transient float[] dOut = new float[0];
  private transient float[] gradient = new float[0];

  public MultitaskEncoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private MultitaskEncoderKernel kernel() {
    if (kernel == null) {
      MultitaskEncoder c = layerConf();
      kernel = new MultitaskEncoderKernel((int) c.getNIn(), (int) c.getNOut(), conf().getSeed());
      params = new float[kernel.parameterCount()];
      gradient = new float[kernel.parameterCount()];
    }
    return kernel;
  }

  /** Copies the input batch into {@link #x}; returns its number of samples (rows / 4). */
  private int loadInput() {
    MultitaskEncoderKernel k = kernel();
    int tasks = MultitaskEncoderKernel.TASKS;
    if (input.rank() != 2 || input.size(1) != k.channels() || input.size(0) % tasks != 0) {
      throw new IllegalArgumentException(String.format("%s expects %d tasks' spectra of %d channels as [%d·samples, "
          + "%d], got %s", layerId(), tasks, k.channels(), tasks, k.channels(),
          java.util.Arrays.toString(input.shape())));
    }
    int rows = (int) input.size(0);
    if (x.length < rows * k.channels()) {
      x = new float[rows * k.channels()];
      out = new float[rows * k.endmembers()];
      dOut = new float[rows * k.endmembers()];
    }
    NdBuffers.read(input, x);
    return rows / tasks;
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    MultitaskEncoderKernel k = kernel();
    int n = loadInput();
    NdBuffers.read(paramsFlattened, params);
    k.forward(x, 0, n, params, training ? AbundanceEncoderKernel.Mode.TRAIN : AbundanceEncoderKernel.Mode.INFER,
        out, 0);
    if (training) {
      NdBuffers.write(params, 0, getParam(MultitaskEncoderParams.STATISTICS));
    }
    int rows = n * MultitaskEncoderKernel.TASKS;
    INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {rows,
        k.endmembers()}, 'c');
    NdBuffers.write(out, result);
    return result;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    MultitaskEncoderKernel k = kernel();
    int n = loadInput();
    if (!k.holdsTrainingPass(n)) {
      throw new IllegalStateException(layerId() + ": backpropagation needs the training pass of the same batch");
    }
    NdBuffers.read(epsilon, dOut);
    k.backward(x, 0, n, params, dOut, 0, gradient, null);
    NdBuffers.write(gradient, gradientsFlattened);
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (String key : MultitaskEncoderParams.getInstance().paramKeys(layerConf())) {
      g.gradientForVariable().put(key, gradientViews.get(key));
    }
    // The encoder is the first layer: nothing needs ∂L/∂input.
    return new Pair<>(g, null);
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public boolean hasBias() {
    return true;
  }

  @Override
  public Type type() {
    return Type.FEED_FORWARD;
  }
}
