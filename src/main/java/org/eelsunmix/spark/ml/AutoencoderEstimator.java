package org.eelsunmix.spark.ml;

import org.eelsunmix.core.Unmixing;
import org.eelsunmix.core.SpectrumImage;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.Dataset;
import org.eelsunmix.autoencoder.AutoencoderFit;
import org.eelsunmix.autoencoder.AutoencoderOptions;
import org.eelsunmix.autoencoder.WindowSample;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelRows;

/**
 * An unmixing autoencoder (DAEU, MTAEU or CNNAEU; Palsson et al. 2018, 2019, 2021) as a Spark ML estimator over
 * pixel rows: the parameters the three share and the one {@link #fit}. It draws the training windows with
 * {@link TrainingWindows} (seeded, independent of the partitioning; the image is never collected, only the
 * sample), then trains:
 *
 * <ul>
 *   <li>by default in memory, {@code restarts} runs (seeds {@code seed + k}) as parallel Spark tasks on the same
 *       broadcast sample, keeping the run with the lowest reconstruction loss
 *       ({@link AutoencoderTraining#restarts});</li>
 *   <li>with {@code sparkTraining}, by parameter averaging in one barrier job ({@code workers} workers, parameters
 *       and updater state averaged every {@code averagingFrequency} mini-batches, {@link BarrierAveraging}; restarts
 *       then run one after another).</li>
 * </ul>
 *
 * The subclasses ({@link DaeuEstimator}, {@link MtaeuEstimator}, {@link CnnaeuEstimator}) set the reference
 * schedule as defaults and say which network {@link #options()} builds.
 */
public abstract class AutoencoderEstimator<E extends AutoencoderEstimator<E>>
    extends UnmixingEstimator<E, AutoencoderModel> {
  private static final long serialVersionUID = 1L;
  /** Restarts when none are asked for: enough to step past most of DAEU's poor local minima on 2 cores. */
  public static final int DEFAULT_RESTARTS = 4;
  private final IntParam epochs;
  private final IntParam batchSize;
  private final IntParam samples;
  private final DoubleParam learningRate;
  private final IntParam restarts;
  private final BooleanParam sparkTraining;
  private final IntParam workers;
  private final IntParam averagingFrequency;

  /** @param what the training window, for the parameters' descriptions ("spectra", "neighbourhoods", "patches") */
  protected AutoencoderEstimator(String uid, String what, int defaultEpochs, int defaultBatchSize,
      int defaultSamples, double defaultLearningRate) {
    super(uid);
    epochs = new IntParam(this, "epochs", "passes over the sample (>= 1)", ParamValidators.gtEq(1));
    batchSize = new IntParam(this, "batchSize", what + " per update (>= 2)", ParamValidators.gtEq(2));
    samples = new IntParam(this, "samples", what + " drawn for training (>= batch size)", ParamValidators.gtEq(2));
    learningRate = new DoubleParam(this, "learningRate", "RMSprop learning rate (> 0)", ParamValidators.gt(0));
    restarts = new IntParam(this, "restarts", "trainings with seeds seed + k; the lowest reconstruction loss is "
        + "kept (>= 1)", ParamValidators.gtEq(1));
    sparkTraining = new BooleanParam(this, "sparkTraining", "train by parameter averaging (one barrier job) instead of "
        + "in memory inside one task");
    workers = new IntParam(this, "workers", "parameter averaging: parallel workers, at most the "
        + "cluster's task slots (>= 1)", ParamValidators.gtEq(1));
    averagingFrequency = new IntParam(this, "averagingFrequency", "parameter averaging: mini-batches per worker "
        + "between averagings (>= 1)", ParamValidators.gtEq(1));
    setDefault(epochs, defaultEpochs);
    setDefault(batchSize, defaultBatchSize);
    setDefault(samples, defaultSamples);
    setDefault(learningRate, defaultLearningRate);
    setDefault(restarts, DEFAULT_RESTARTS);
    setDefault(sparkTraining, false);
    setDefault(workers, 2);
    setDefault(averagingFrequency, 5);
  }

  public E setEpochs(int v) {
    return with(epochs, v);
  }

  public E setBatchSize(int v) {
    return with(batchSize, v);
  }

  public E setSamples(int v) {
    return with(samples, v);
  }

  public E setLearningRate(double v) {
    return with(learningRate, v);
  }

  public E setRestarts(int v) {
    return with(restarts, v);
  }

  public E setSparkTraining(boolean v) {
    return with(sparkTraining, v);
  }

  public E setWorkers(int v) {
    return with(workers, v);
  }

  public E setAveragingFrequency(int v) {
    return with(averagingFrequency, v);
  }

  public IntParam restarts() {
    return restarts;
  }

  public BooleanParam sparkTraining() {
    return sparkTraining;
  }

  public IntParam epochs() {
    return epochs;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public IntParam samples() {
    return samples;
  }

  public DoubleParam learningRate() {
    return learningRate;
  }

  public IntParam workers() {
    return workers;
  }

  public IntParam averagingFrequency() {
    return averagingFrequency;
  }

  /** The network and training settings these params give (validated, naming the setting at fault). */
  public abstract AutoencoderOptions options();

  public int getEpochs() {
    return (Integer) $(epochs);
  }

  public int getBatchSize() {
    return (Integer) $(batchSize);
  }

  public int getSamples() {
    return (Integer) $(samples);
  }

  public double getLearningRate() {
    return (Double) $(learningRate);
  }

  @Override
  public void validateParams() {
    options();
  }

  /**
   * One in-memory training of the network these params describe ({@link AutoencoderFit#train}, the reference
   * schedule of the paper by default), then the maps of every pixel. {@code restarts}, {@code sparkTraining},
   * {@code workers} and {@code averagingFrequency} are the distributed fit's: in memory there is one training.
   */
  @Override
  protected Unmixing trainInMemory(SpectrumImage image) {
    return AutoencoderFit.train(image, inMemoryOptions(image)).unmixing();
  }

  /** The options of the in-memory training on {@code image} (default: {@link #options()}). */
  protected AutoencoderOptions inMemoryOptions(SpectrumImage image) {
    return options();
  }

  @Override
  protected AutoencoderModel train(Dataset<?> dataset) {
    AutoencoderOptions o = options();
    EnergyAxis axis = spectraAxis(dataset);
    int channels = axis.channels();
    PixelRows rows = new PixelRows(dataset.schema(), getInputCol(), channels, true, "input dataset");
    WindowSample sample = TrainingWindows.draw(dataset, rows, o, "input dataset");
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    int k = (Integer) $(restarts);
    AutoencoderTraining.Outcome outcome;
    String training;
    if ((Boolean) $(sparkTraining)) {
      training = "parameter-averaging";
      outcome = null;
      double[] finals = new double[k];
      int kept = 0;
      for (int run = 0; run < k; run++) {
        AutoencoderOptions runOptions = o.withSeed(o.seed() + run);
        AutoencoderTraining.Outcome r = AutoencoderTraining.parameterAveraging(sc, sample, runOptions,
            AutoencoderFit.rmsProp(o.learningRate()), (Integer) $(workers), (Integer) $(averagingFrequency),
            "the training sample");
        finals[run] = r.restartLosses()[0];
        if (outcome == null || finals[run] < finals[kept]) {
          outcome = r;
          kept = run;
        }
      }
      outcome = new AutoencoderTraining.Outcome(outcome.network(), outcome.losses(), finals, kept);
    } else {
      training = "in-memory";
      outcome = AutoencoderTraining.restarts(sc, sample, o, k, "the training sample");
    }
    Endmembers endmembers = new Endmembers(o.decoderEndmembers(outcome.network()), null, axis);
    AutoencoderSummary summary = new AutoencoderSummary(o.method(), o.seed(), training, outcome.losses(),
        outcome.restartLosses(), outcome.kept(), sample.count());
    return new AutoencoderModel(uid(), AutoencoderTraining.toBytes(outcome.network()), endmembers, summary);
  }
}
