package org.eelsunmix.spark.ml;

import org.eelsunmix.core.SpectrumImage;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;

/**
 * CNNAEU (Palsson, Ulfarsson &amp; Sveinsson, "Convolutional autoencoder for spectral–spatial hyperspectral
 * unmixing", IEEE TGRS 59(1), 2021; network in {@link Cnnaeu}) as a Spark ML estimator: {@code samples} square
 * patches drawn from one acquisition's pixel grid, the reference schedule as defaults (320 epochs, batches of 15,
 * 250 patches of 40×40, RMSprop 3e-3, 48 filters, a 13×13 decoder). See {@link AutoencoderEstimator} for the
 * training; the reference schedule takes hours on a CPU.
 */
public final class CnnaeuEstimator extends AutoencoderEstimator<CnnaeuEstimator> {
  private static final long serialVersionUID = 1L;
  private final IntParam patchSize;
  private final IntParam filters;
  private final IntParam decoderSize;

  public CnnaeuEstimator() {
    this(Identifiable$.MODULE$.randomUID("cnnaeu"));
  }

  public CnnaeuEstimator(String uid) {
    super(uid, "patches", CnnaeuOptions.DEFAULT_EPOCHS, CnnaeuOptions.DEFAULT_BATCH_SIZE,
        CnnaeuOptions.DEFAULT_PATCHES, CnnaeuOptions.DEFAULT_LEARNING_RATE);
    patchSize = new IntParam(this, "patchSize", "side of a square training patch in pixels (>= 2)",
        ParamValidators.gtEq(2));
    filters = new IntParam(this, "filters", "filters of the first 3x3 convolution (>= 1)", ParamValidators.gtEq(1));
    decoderSize = new IntParam(this, "decoderSize", "side of the decoder's kernel (odd, >= 1)",
        ParamValidators.gtEq(1));
    setDefault(patchSize, CnnaeuOptions.DEFAULT_PATCH_SIZE);
    setDefault(filters, CnnaeuOptions.DEFAULT_FILTERS);
    setDefault(decoderSize, CnnaeuOptions.DEFAULT_DECODER_SIZE);
  }

  public IntParam patchSize() {
    return patchSize;
  }

  public IntParam filters() {
    return filters;
  }

  public IntParam decoderSize() {
    return decoderSize;
  }

  public CnnaeuEstimator setPatchSize(int v) {
    return with(patchSize, v);
  }

  public CnnaeuEstimator setFilters(int v) {
    return with(filters, v);
  }

  public CnnaeuEstimator setDecoderSize(int v) {
    return with(decoderSize, v);
  }

  @Override
  public CnnaeuOptions options() {
    return new CnnaeuOptions(getNumEndmembers(), getSeed(), getEpochs(), getBatchSize(), getSamples(),
        (Integer) $(patchSize), getLearningRate(), (Integer) $(filters), (Integer) $(decoderSize));
  }

  /** The patches shrink to the image's smaller side when the image is smaller than one patch. */
  @Override
  protected CnnaeuOptions inMemoryOptions(SpectrumImage image) {
    CnnaeuOptions o = options();
    int side = Math.min(o.patchSize(), Math.min(image.width(), image.height()));
    return o.withPatches(o.patches(), side);
  }

  @Override
  public String method() {
    return "cnnaeu";
  }

  public static MLReader<CnnaeuEstimator> read() {
    return MlPersistence.paramsOnlyReader(CnnaeuEstimator.class);
  }

  public static CnnaeuEstimator load(String path) {
    return read().load(path);
  }
}
