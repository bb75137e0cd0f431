package org.eelsunmix.autoencoder;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of {@link AbundanceEncoder}: the two views of {@link FusedEncoderParams}, laid out as
 * {@link AbundanceEncoderKernel} expects:
 *
 * <ul>
 *   <li>{@value #STATISTICS}: running mean (0) and variance (1) of batch normalisation, 2R values, not trained by
 *       the updater (the forward training pass moves them);</li>
 *   <li>{@value #TRAINED}: dense weights {@code W1..W4} (Glorot-uniform, Keras' default), batch-normalisation scale
 *       γ (1) and shift β (0), soft thresholds α (0).</li>
 * </ul>
 */
public final class AbundanceEncoderParams extends FusedEncoderParams {
  private static final AbundanceEncoderParams INSTANCE = new AbundanceEncoderParams();

  public static AbundanceEncoderParams getInstance() {
    return INSTANCE;
  }

  static AbundanceEncoderKernel kernelFor(Layer layer) {
    AbundanceEncoder conf = (AbundanceEncoder) layer;
    return new AbundanceEncoderKernel((int) conf.getNIn(), (int) conf.getNOut());
  }

  @Override
  protected long statisticsCount(Layer layer) {
    return kernelFor(layer).trainedOffset();
  }

  @Override
  protected long parameterCount(Layer layer) {
    AbundanceEncoder conf = (AbundanceEncoder) layer;
    return AbundanceEncoderKernel.parameterCount((int) conf.getNIn(), (int) conf.getNOut());
  }

  @Override
  protected void initialise(Layer layer, INDArray flat) {
    AbundanceEncoderKernel k = kernelFor(layer);
    int r = k.endmembers();
    slice(flat, k.meanOffset(), r).assign(0);
    slice(flat, k.varianceOffset(), r).assign(1);
    WeightInitXavierUniform glorot = new WeightInitXavierUniform();
    for (int l = 0; l < 4; l++) {
      long rows = k.width(l);
      long cols = k.width(l + 1);
      glorot.init(rows, cols, new long[] {rows, cols}, 'c', slice(flat, k.weightOffset(l), rows * cols));
    }
    slice(flat, k.gammaOffset(), r).assign(1);
    slice(flat, k.betaOffset(), r).assign(0);
    slice(flat, k.alphaOffset(), r).assign(0);
  }
}
