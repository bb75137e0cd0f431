package org.eelsunmix.autoencoder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of {@link MultitaskEncoder}, two views of the layer's flat vector in
 * {@link MultitaskEncoderKernel}'s order: {@value #STATISTICS} (running batch-normalisation means and variances, not
 * trained) and {@value #TRAINED} (dense weights, Glorot-uniform as Keras; biases 0; γ 1; β 0). Two coarse views, as
 * for {@link AbundanceEncoderParams}, keep DL4J's per-parameter bookkeeping small.
 */
public final class MultitaskEncoderParams implements ParamInitializer {
  /** Running batch-normalisation statistics. */
  public static final String STATISTICS = "statistics";
  /** Every trained value. */
  public static final String TRAINED = "trained";
  private static final List<String> KEYS = List.of(STATISTICS, TRAINED);
  private static final MultitaskEncoderParams INSTANCE = new MultitaskEncoderParams();

  public static MultitaskEncoderParams getInstance() {
    return INSTANCE;
  }

  private static MultitaskEncoderKernel kernelFor(Layer layer) {
    MultitaskEncoder conf = (MultitaskEncoder) layer;
    return new MultitaskEncoderKernel((int) conf.getNIn(), (int) conf.getNOut(), 0);
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    return kernelFor(layer).parameterCount();
  }

  @Override
  public List<String> paramKeys(Layer layer) {
    return KEYS;
  }

  @Override
  public List<String> weightKeys(Layer layer) {
    return List.of(TRAINED);
  }

  @Override
  public List<String> biasKeys(Layer layer) {
    return List.of();
  }

  @Override
  public boolean isWeightParam(Layer layer, String key) {
    return TRAINED.equals(key);
  }

  @Override
  public boolean isBiasParam(Layer layer, String key) {
    return false;
  }

  @Override
  public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
    MultitaskEncoderKernel k = kernelFor(conf.getLayer());
    INDArray flat = paramsView.reshape('c', new long[] {paramsView.length()});
    if (initializeParams) {
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
    return views(k, flat);
  }

  /** γ = 1 and running variance 1 (β, running mean and biases stay 0). */
  private static void normalisation(INDArray flat, BatchNormalisation.Offsets o, int width) {
    slice(flat, o.gamma(), width).assign(1);
    slice(flat, o.variance(), width).assign(1);
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return views(kernelFor(conf.getLayer()), gradientView.reshape('c', new long[] {gradientView.length()}));
  }

  private static INDArray slice(INDArray flat, long from, long length) {
    return flat.get(NDArrayIndex.interval(from, from + length));
  }

  private static Map<String, INDArray> views(MultitaskEncoderKernel k, INDArray flat) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    long statistics = k.statisticsCount();
    m.put(STATISTICS, slice(flat, 0, statistics).reshape('c', new long[] {1, statistics}));
    long trained = k.parameterCount() - statistics;
    m.put(TRAINED, slice(flat, statistics, trained).reshape('c', new long[] {1, trained}));
    return m;
  }
}
