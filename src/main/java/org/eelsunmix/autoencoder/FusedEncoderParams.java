package org.eelsunmix.autoencoder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of a fused encoder layer ({@link FusedEncoder}) as two views of its flat vector, laid out by its
 * kernel: first {@value #STATISTICS} (running batch-normalisation means and variances, not trained), then
 * {@value #TRAINED} (every trained value). Two coarse views rather than one per matrix on purpose: DL4J's updater
 * builds two array views per parameter and step, which for these tiny networks cost more than the arithmetic.
 * Subclasses give the two lengths and the initial values.
 */
public abstract class FusedEncoderParams implements ParamInitializer {
  /** Running batch-normalisation statistics. */
  public static final String STATISTICS = "statistics";
  /** Every trained value, in the kernel's order. */
  public static final String TRAINED = "trained";
  private static final List<String> KEYS = List.of(STATISTICS, TRAINED);

  /** Number of running statistics at the start of the vector of {@code layer}. */
  protected abstract long statisticsCount(Layer layer);

  /** Length of the whole vector of {@code layer}. */
  protected abstract long parameterCount(Layer layer);

  /** Writes the initial values into {@code flat}, the whole vector (rank 1). */
  protected abstract void initialise(Layer layer, INDArray flat);

  @Override
  public long numParams(NeuralNetConfiguration conf) {
    return numParams(conf.getLayer());
  }

  @Override
  public long numParams(Layer layer) {
    return parameterCount(layer);
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
    INDArray flat = paramsView.reshape('c', new long[] {paramsView.length()});
    if (initializeParams) {
      initialise(conf.getLayer(), flat);
    }
    return views(conf.getLayer(), flat);
  }

  @Override
  public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
    return views(conf.getLayer(), gradientView.reshape('c', new long[] {gradientView.length()}));
  }

  /** The view of {@code length} values of the rank-1 {@code flat} from {@code from}. */
  protected static INDArray slice(INDArray flat, long from, long length) {
    return flat.get(NDArrayIndex.interval(from, from + length));
  }

  private Map<String, INDArray> views(Layer layer, INDArray flat) {
    Map<String, INDArray> m = new LinkedHashMap<>();
    long statistics = statisticsCount(layer);
    m.put(STATISTICS, slice(flat, 0, statistics).reshape('c', new long[] {1, statistics}));
    long trained = parameterCount(layer) - statistics;
    m.put(TRAINED, slice(flat, statistics, trained).reshape('c', new long[] {1, trained}));
    return m;
  }
}
