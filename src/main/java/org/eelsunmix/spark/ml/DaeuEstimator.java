package org.eelsunmix.spark.ml;

import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;

/**
 * DAEU (Palsson et al., "Hyperspectral unmixing using a neural network autoencoder", IEEE Access 6, 2018; network
 * in {@link Daeu}) as a Spark ML estimator: {@code samples} spectra drawn from any pixel table (several acquisitions
 * too), the reference schedule as defaults (40 epochs, batches of 6, 2000 spectra, RMSprop 1e-3). See
 * {@link AutoencoderEstimator} for the training.
 */
public final class DaeuEstimator extends AutoencoderEstimator<DaeuEstimator> {
  private static final long serialVersionUID = 1L;

  public DaeuEstimator() {
    this(Identifiable$.MODULE$.randomUID("daeu"));
  }

  public DaeuEstimator(String uid) {
    super(uid, "spectra", DaeuOptions.DEFAULT_EPOCHS, DaeuOptions.DEFAULT_BATCH_SIZE,
        DaeuOptions.DEFAULT_SAMPLES, DaeuOptions.DEFAULT_LEARNING_RATE);
  }

  @Override
  public DaeuOptions options() {
    return new DaeuOptions(getNumEndmembers(), getSeed(), getEpochs(), getBatchSize(), getSamples(),
        getLearningRate());
  }

  @Override
  public String method() {
    return "daeu";
  }

  public static MLReader<DaeuEstimator> read() {
    return MlPersistence.paramsOnlyReader(DaeuEstimator.class);
  }

  public static DaeuEstimator load(String path) {
    return read().load(path);
  }
}
