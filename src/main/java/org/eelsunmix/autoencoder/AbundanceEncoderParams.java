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
 * The parameters of {@link AbundanceEncoder}: two views of the layer's flat parameter (and gradient) vector, laid out
 * as {@link AbundanceEncoderKernel} expects:
 *
 * <ul>
 *   <li>{@value #STATISTICS}: running mean (0) and variance (1) of batch normalisation, 2R values, not trained by
 *       the updater (the forward training pass moves them);</li>
 *   <li>{@value #TRAINED}: dense weights {@code W1..W4} (Glorot-uniform, Keras' default), batch-normalisation scale
 *       γ (1) and shift β (0), soft thresholds α (0).</li>
 * </ul>
 *
 * Two coarse parameters rather than nine fine ones on purpose: DL4J's updater builds two array views per parameter
 * and step, which for this tiny network cost more than the arithmetic.
 */
public final class AbundanceEncoderParams implements ParamInitializer {
  /** Running batch-normalisation statistics (mean then variance, R each). */
  public static final String STATISTICS = "statistics";
  /** Every trained value, in {@link AbundanceEncoderKernel}'s order. */
  public static final String TRAINED = "trained";
  private static final List<String> KEYS = List.of(STATISTICS, TRAINED);
  private static final AbundanceEncoderParams INSTANCE = new AbundanceEncoderParams();

  public static AbundanceEncoderParams getInstance() {
    return INSTANCE;
  }

  static AbundanceEncoderKernel kernelFor(Layer layer) {
    AbundanceEncoder conf = (AbundanceEncoder) layer;
    return new AbundanceEncoderKernel((int) conf.getNIn(), (int) conf.getNOut());
  }

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    AbundanceEncoder conf = (AbundanceEncoder) layer;
    return AbundanceEncoderKernel.parameterCount((int) conf.getNIn(), (int) conf.getNOut());
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
    AbundanceEncoderKernel k = kernelFor(conf.getLayer());
    INDArray flat = paramsView.reshape('c', new long[] {paramsView.length()});
    if (initializeParams) {
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
    return views(k, flat);
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return views(kernelFor(conf.getLayer()), gradientView.reshape('c', new long[] {gradientView.length()}));
  }

  private static INDArray slice(INDArray flat, long from, long length) {
    return flat.get(NDArrayIndex.interval(from, from + length));
  }

  private static Map<String, INDArray> views(AbundanceEncoderKernel k, INDArray flat) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    m.put(STATISTICS, slice(flat, k.meanOffset(), 2L * k.endmembers()).reshape('c', new long[] {1,
        2L * k.endmembers()}));
    long trained = k.parameterCount() - k.trainedOffset();
    m.put(TRAINED, slice(flat, k.trainedOffset(), trained).reshape('c', new long[] {1, trained}));
    return m;
  }
}
