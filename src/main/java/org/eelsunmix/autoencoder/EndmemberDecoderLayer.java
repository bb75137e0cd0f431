package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The DL4J layer of {@link EndmemberDecoder}: reconstruction {@code ŷ = a W} and its backward pass (∂θ/∂ŷ from
 * {@link SpectralAngleLoss}, {@code ∂W = aᵀ ∂ŷ}, {@code ∂a = ∂ŷ Wᵀ}), the loops of {@link EndmemberDecoderKernel} over
 * Java copies of the batch,
 * so a step makes no native matrix call. The score goes through the configured {@link SadLossFunction}, which uses
 * the same {@link SpectralAngleLoss}. One instance per network (not thread-safe).
 */
public class EndmemberDecoderLayer extends BaseOutputLayer<EndmemberDecoder> {
  private static final long serialVersionUID = 1L;
  private transient float[] w = new float[0];
  private transient float[] a = new float[0];
  private transient float[] gradient = new float[0];
  private transient float[] da = new float[0];
  private transient float[] out = new float[0];
  private transient double[] y = new double[0];
  private transient double[] yHat = new double[0];
  private transient double[] dyHat = new double[0];

  public EndmemberDecoderLayer(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private int loadInputAndWeights() {
    int r = (int) layerConf().getNIn();
    int b = (int) layerConf().getNOut();
    if (input.rank() != 2 || input.size(1) != r) {
      throw new IllegalArgumentException(layerId() + " expects [pixels, " + r + "] abundances, got "
          + java.util.Arrays.toString(input.shape()));
    }
    int n = (int) input.size(0);
    if (w.length != r * b) {
      w = new float[r * b];
      gradient = new float[r * b];
    }
    if (a.length < n * r) {
      a = new float[n * r];
      da = new float[n * r];
      out = new float[n * b];
      y = new double[n * b];
      yHat = new double[n * b];
      dyHat = new double[n * b];
    }
    NdBuffers.read(input, a);
    // DL4J stores dense weights [R, B] in Fortran order: W[k][c] at c * R + k, as its gradient view.
    INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
    if (!NdBuffers.denseFortran(weights)) {
      throw new IllegalStateException(layerId() + ": decoder weights are not the dense Fortran-order view DL4J makes");
    }
    NdBuffers.readStored(weights, w);
    return n;
  }

  /** ŷ = a W into {@link #out} (n × B). */
  private void reconstruct(int n) {
    EndmemberDecoderKernel.reconstruct(a, w, n, (int) layerConf().getNIn(), (int) layerConf().getNOut(), out);
  }

  @Override
  protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(false);
    int n = loadInputAndWeights();
    reconstruct(n);
    INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {n,
        layerConf().getNOut()}, 'c');
    NdBuffers.write(out, result);
    return result;
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
    assertInputSet(true);
    int r = (int) layerConf().getNIn();
    int b = (int) layerConf().getNOut();
    int n = loadInputAndWeights();
    reconstruct(n);
    NdBuffers.read(getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM), y);
    for (int i = 0; i < n * b; i++) {
      yHat[i] = out[i];
    }
    EndmemberDecoderKernel.loss(y, yHat, n, b, dyHat);
    EndmemberDecoderKernel.backward(a, w, dyHat, n, r, b, gradient, da);
    INDArray wGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
    NdBuffers.writeStored(gradient, wGradient);
    Gradient g = new DefaultGradient(gradientsFlattened);
    g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, wGradient);
    INDArray dInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {n, r}, 'c');
    NdBuffers.write(da, dInput);
    return new Pair<>(g, dInput);
  }

  @Override
  protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
    if (labels.rank() != 2) {
      throw new IllegalArgumentException(layerId() + " expects [pixels, channels] labels");
    }
    return labels;
  }
}
