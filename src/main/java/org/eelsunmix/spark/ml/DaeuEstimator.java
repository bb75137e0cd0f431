package org.eelsunmix.spark.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelRows;
import org.nd4j.linalg.learning.config.RmsProp;

/**
 * DAEU (Palsson et al., IEEE Access 2018; network and schedule in {@link Daeu}) as a Spark ML estimator over pixel
 * rows. {@link #fit} draws {@code samples} spectra with {@link TrainingSample} (seeded, independent of the
 * partitioning; the image is never collected, only the sample, {@code samples × B} floats), then trains:
 *
 * <ul>
 *   <li>by default in memory, {@code restarts} runs (seeds {@code seed + k}) as parallel Spark tasks on the same
 *       broadcast sample, keeping the run with the lowest final loss ({@link AutoencoderTraining#restarts});</li>
 *   <li>with {@code sparkTraining}, by dl4j-spark parameter averaging ({@code workers} workers, averaging every
 *       {@code averagingFrequency} mini-batches; restarts then run one after another).</li>
 * </ul>
 */
public final class DaeuEstimator extends Estimator<AutoencoderModel> {
  private static final long serialVersionUID = 1L;
  /** Restarts when none are asked for: enough to step past most of DAEU's poor local minima on 2 cores. */
  public static final int DEFAULT_RESTARTS = 4;
  private final String uid;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final IntParam epochs;
  private final IntParam batchSize;
  private final IntParam samples;
  private final DoubleParam learningRate;
  private final IntParam restarts;
  private final BooleanParam sparkTraining;
  private final IntParam workers;
  private final IntParam averagingFrequency;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public DaeuEstimator() {
    this(Identifiable$.MODULE$.randomUID("daeu"));
  }

  public DaeuEstimator(String uid) {
    this.uid = uid;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    epochs = new IntParam(this, "epochs", "passes over the sample (>= 1)", ParamValidators.gtEq(1));
    batchSize = new IntParam(this, "batchSize", "spectra per update (>= 2)", ParamValidators.gtEq(2));
    samples = new IntParam(this, "samples", "spectra drawn for training (>= batch size)", ParamValidators.gtEq(2));
    learningRate = new DoubleParam(this, "learningRate", "RMSprop learning rate (> 0)", ParamValidators.gt(0));
    restarts = new IntParam(this, "restarts", "trainings with seeds seed + k; the lowest final loss is kept (>= 1)",
        ParamValidators.gtEq(1));
    sparkTraining = new BooleanParam(this, "sparkTraining", "train by dl4j-spark parameter averaging instead of "
        + "in memory inside one task");
    workers = new IntParam(this, "workers", "parameter averaging: parallel workers (>= 1)", ParamValidators.gtEq(1));
    averagingFrequency = new IntParam(this, "averagingFrequency", "parameter averaging: mini-batches per worker "
        + "between averagings (>= 1)", ParamValidators.gtEq(1));
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, 3);
    setDefault(seed, 0L);
    setDefault(epochs, DaeuOptions.DEFAULT_EPOCHS);
    setDefault(batchSize, DaeuOptions.DEFAULT_BATCH_SIZE);
    setDefault(samples, DaeuOptions.DEFAULT_SAMPLES);
    setDefault(learningRate, DaeuOptions.DEFAULT_LEARNING_RATE);
    setDefault(restarts, DEFAULT_RESTARTS);
    setDefault(sparkTraining, false);
    setDefault(workers, 2);
    setDefault(averagingFrequency, 5);
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "abundances");
    setDefault(rmseCol, "rmse");
  }

  @Override
  public String uid() {
    return uid;
  }

  public DaeuEstimator setNumEndmembers(int v) {
    set(numEndmembers, v);
    return this;
  }

  public DaeuEstimator setSeed(long v) {
    set(seed, v);
    return this;
  }

  public DaeuEstimator setEpochs(int v) {
    set(epochs, v);
    return this;
  }

  public DaeuEstimator setBatchSize(int v) {
    set(batchSize, v);
    return this;
  }

  public DaeuEstimator setSamples(int v) {
    set(samples, v);
    return this;
  }

  public DaeuEstimator setLearningRate(double v) {
    set(learningRate, v);
    return this;
  }

  public DaeuEstimator setRestarts(int v) {
    set(restarts, v);
    return this;
  }

  public DaeuEstimator setSparkTraining(boolean v) {
    set(sparkTraining, v);
    return this;
  }

  public DaeuEstimator setWorkers(int v) {
    set(workers, v);
    return this;
  }

  public DaeuEstimator setAveragingFrequency(int v) {
    set(averagingFrequency, v);
    return this;
  }

  public IntParam numEndmembers() {
    return numEndmembers;
  }

  public LongParam seed() {
    return seed;
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

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> rmseCol() {
    return rmseCol;
  }

  /** The in-memory training settings these params give (validated, naming the setting at fault). */
  public DaeuOptions options() {
    return new DaeuOptions((Integer) $(numEndmembers), (Long) $(seed), (Integer) $(epochs), (Integer) $(batchSize),
        (Integer) $(samples), (Double) $(learningRate));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public AutoencoderModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    DaeuOptions o = options();
    EnergyAxis axis = UnmixingParams.spectraAxis(dataset, $(inputCol));
    int channels = axis.channels();
    PixelRows rows = new PixelRows(dataset.schema(), $(inputCol), channels, true, "input dataset");
    JavaRDD<TrainingSample.Drawn> drawn = TrainingSample.draw(dataset, rows, o.seed(), o.samples());
    float[] counts = TrainingSample.collect(drawn, channels);
    int k = (Integer) $(restarts);
    AutoencoderTraining.Outcome outcome;
    String training;
    if ((Boolean) $(sparkTraining)) {
      training = "parameter-averaging";
      JavaRDD<float[]> spectra = drawn.map(TrainingSample.Drawn::spectrum);
      outcome = null;
      double[] finals = new double[k];
      int kept = 0;
      for (int run = 0; run < k; run++) {
        DaeuOptions runOptions = o.withSeed(o.seed() + run);
        AutoencoderTraining.Outcome r = AutoencoderTraining.parameterAveraging(spectra, counts, channels, runOptions,
            new RmsProp(o.learningRate(), 0.9, 1e-7), (Integer) $(workers), (Integer) $(averagingFrequency));
        finals[run] = r.restartLosses()[0];
        if (outcome == null || finals[run] < finals[kept]) {
          outcome = r;
          kept = run;
        }
      }
      outcome = new AutoencoderTraining.Outcome(outcome.network(), outcome.losses(), finals, kept);
    } else {
      training = "in-memory";
      outcome = AutoencoderTraining.restarts(JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()),
          counts, channels, o, k, "the training sample");
    }
    Endmembers endmembers = new Endmembers(Daeu.decoderWeights(outcome.network()), null, axis);
    AutoencoderSummary summary = new AutoencoderSummary("daeu", o.seed(), training, outcome.losses(),
        outcome.restartLosses(), outcome.kept(), counts.length / channels);
    AutoencoderModel model = new AutoencoderModel(uid, AutoencoderTraining.toBytes(outcome.network()), endmembers,
        summary);
    return copyValues(model, ParamMap.empty()).setParent(this);
  }

  @Override
  public DaeuEstimator copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
