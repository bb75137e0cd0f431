package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of {@link MultitaskEncoder} in {@link MultitaskEncoderKernel}'s order, as the two views of
 * {@link FusedEncoderParams}: dense weights Glorot-uniform (Keras' default), biases 0, γ 1, β 0, running means 0 and
 * variances 1.
 */
public final class MultitaskEncoderParams extends FusedEncoderParams {
  private static final MultitaskEncoderParams INSTANCE = new MultitaskEncoderParams();

  public static MultitaskEncoderParams getInstance() {
    return INSTANCE;
  }

  private static MultitaskEncoderKernel kernelFor(Layer layer) {
    MultitaskEncoder conf = (MultitaskEncoder) layer;
    return new MultitaskEncoderKernel((int) conf.getNIn(), (int) conf.getNOut(), 0);
  }

  @Override
  protected long statisticsCount(Layer layer) {
    return kernelFor(layer).statisticsCount();
  }

  @Override
  protected long parameterCount(Layer layer) {
    return kernelFor(layer).parameterCount();
  }

  @Override
  protected void initialise(Layer layer, INDArray flat) {
    MultitaskEncoderKernel k = kernelFor(layer);
    int b = k.channels();
    int r = k.endmembers();
    flat.assign(0);
    WeightInitXavierUniform glorot = new WeightInitXavierUniform();
    glorot.init(b, b, new long[] {b, b}, 'c', slice(flat, k.sharedWeights(), (long) b * b));
    normalisation(flat, k.sharedNorm(), b);
    for (int t = 0; t < MultitaskEncoderKernel.TASKS; t++) {
      glorot.init(b, r, new long[] {b, r}, 'c', slice(flat, k.headWeights(t), (long) b * r));
      normalisation(flat, k.headNorm(t), r);
    }
  }

  /** γ = 1 and running variance 1 (β, running mean and biases stay 0). */
  private static void normalisation(INDArray flat, BatchNormalisation.Offsets o, int width) {
    slice(flat, o.gamma(), width).assign(1);
    slice(flat, o.variance(), width).assign(1);
  }
}
