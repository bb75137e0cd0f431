package org.eelsunmix.autoencoder;

import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * What the autoencoders' fused encoder layers ({@link AbundanceEncoder}, {@link MultitaskEncoder}) share as DL4J
 * configurations: spectra in (nIn = B), abundances out (nOut = R), parameters as two views laid out by a
 * {@link FusedEncoderParams}, whose running batch statistics ({@value FusedEncoderParams#STATISTICS}) are not
 * trained (no-op updater; the forward training pass moves them) and nothing is regularised.
 */
public abstract class FusedEncoder extends FeedForwardLayer {
  private static final long serialVersionUID = 1L;

  static {
    NativeMemory.uncapped();
  }

  /** For JSON deserialisation. */
  protected FusedEncoder() {
    super();
  }

  protected FusedEncoder(FeedForwardLayer.Builder<?> builder) {
    super(builder);
  }

  @Override
  public IUpdater getUpdaterByParam(String paramName) {
    if (FusedEncoderParams.STATISTICS.equals(paramName)) {
      return new NoOp();
    }
    return super.getUpdaterByParam(paramName);
  }

  @Override
  public List<Regularization> getRegularizationByParam(String paramName) {
    return List.of();
  }

  @Override
  public LayerMemoryReport getMemoryReport(InputType inputType) {
    InputType out = getOutputType(-1, inputType);
    long params = initializer().numParams(this);
    return new LayerMemoryReport.Builder(layerName, getClass(), inputType, out)
        .standardMemory(params, getIUpdater().stateSize(params))
        .workingMemory(0, 0, 0, 0)
        .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
        .build();
  }
}
