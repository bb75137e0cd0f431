package org.eelsunmix.spark.ml;

import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;

/**
 * MTAEU (Palsson, Sveinsson &amp; Ulfarsson, "Spectral-spatial hyperspectral unmixing using multitask learning",
 * IEEE Access 7, 2019; network in {@link Mtaeu}) as a Spark ML estimator: {@code samples} 2×2 neighbourhoods drawn
 * from one acquisition's pixel grid, the reference schedule as defaults (60 epochs, batches of 15, 2000
 * neighbourhoods, RMSprop 1e-3). See {@link AutoencoderEstimator} for the training.
 */
public final class MtaeuEstimator extends AutoencoderEstimator<MtaeuEstimator> {
  private static final long serialVersionUID = 1L;

  public MtaeuEstimator() {
    this(Identifiable$.MODULE$.randomUID("mtaeu"));
  }

  public MtaeuEstimator(String uid) {
    super(uid, "neighbourhoods", MtaeuOptions.DEFAULT_EPOCHS, MtaeuOptions.DEFAULT_BATCH_SIZE,
        MtaeuOptions.DEFAULT_SAMPLES, MtaeuOptions.DEFAULT_LEARNING_RATE);
  }

  @Override
  public MtaeuOptions options() {
    return new MtaeuOptions(getNumEndmembers(), getSeed(), getEpochs(), getBatchSize(), getSamples(),
        getLearningRate());
  }

  @Override
  public String method() {
    return "mtaeu";
  }

  public static MLReader<MtaeuEstimator> read() {
    return MlPersistence.paramsOnlyReader(MtaeuEstimator.class);
  }

  public static MtaeuEstimator load(String path) {
    return read().load(path);
  }
}
