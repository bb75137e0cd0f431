package org.eelsunmix.spark.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.core.Unmixing;

/**
 * Base of every unmixing estimator: the Java form of MLlib's shared-param traits ({@code HasInputCol},
 * {@code HasOutputCol}, {@code HasSeed}, and {@code PCAParams}' {@code k}) for an estimator whose model appends
 * abundances and a per-pixel RMSE. It holds, once, the five params every method shares, with typed getters,
 * self-typed setters and Spark's validators:
 *
 * <ul>
 *   <li>{@code numEndmembers} R (default 3), {@code seed} (default 0);</li>
 *   <li>{@code inputCol} (default {@code spectrum}), {@code outputCol} ({@code abundances}), {@code rmseCol}
 *       ({@code rmse}).</li>
 * </ul>
 *
 * {@link #fit} checks the schema and the method's params ({@link #validateParams()}, before any Spark job),
 * runs the method's {@link #train} and copies the params onto the model. {@link #fitInMemory} runs the same method,
 * configured by the same params, on one image held in memory (what {@code evaluate} and the studies run inside one
 * Spark task), so a method's settings mean the same thing in both paths. Every estimator saves its params
 * (MLlib's {@code metadata/}), so a Spark ML {@code Pipeline} holding one saves and loads.
 *
 * @param <E> the concrete estimator (setters return it)
 * @param <M> the model it fits
 */
public abstract class UnmixingEstimator<E extends UnmixingEstimator<E, M>, M extends UnmixingModel<M>>
    extends Estimator<M> implements MLWritable, UnmixingParams {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  protected UnmixingEstimator(String uid) {
    this.uid = uid;
    numEndmembers = SharedParams.numEndmembers(this);
    seed = SharedParams.seed(this);
    inputCol = SharedParams.inputCol(this);
    outputCol = SharedParams.outputCol(this);
    rmseCol = SharedParams.rmseCol(this);
    SharedParams.setDefaults(this, numEndmembers, 3, seed, 0L, inputCol, outputCol, rmseCol);
  }

  @Override
  public final String uid() {
    return uid;
  }

  /** The method's name in the registry and on the command line ({@code vca-fcls}, {@code nmf}, …). */
  public abstract String method();

  /**
   * Fits the model on {@code dataset}; the schema and params have been checked. Implementations return the model
   * without params: {@link #fit} copies them.
   */
  protected abstract M train(Dataset<?> dataset);

  /**
   * Checks the method's params together (ranges one param cannot check alone, e.g. samples &gt;= batch size),
   * before any Spark work; errors are {@link BadInputException}s naming the param. Default: nothing to check.
   */
  public void validateParams() {}

  /**
   * The in-memory fit of one image with these params: checks the params and R against the image's channels
   * ({@link BadInputException} naming {@code numEndmembers}), then runs {@link #trainInMemory}. The maps are
   * proportions (each pixel's abundances sum to one) and the endmembers on the scale of the counts, whatever the
   * method, so the scores of {@code evaluate} compare methods.
   */
  public final Unmixing fitInMemory(SpectrumImage image) {
    validateParams();
    requireEndmembersFit(image.channels());
    return trainInMemory(image);
  }

  /** The method's in-memory fit of {@code image} (params checked), with its post-processing to proportions. */
  protected abstract Unmixing trainInMemory(SpectrumImage image);

  @Override
  public final M fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    M model = train(dataset);
    return copyValues(model, extractParamMap()).setParent(this);
  }

  /** The input schema with the output columns; checks the params and names a missing or mistyped column. */
  @Override
  public StructType transformSchema(StructType schema) {
    validateParams();
    return SharedParams.outputSchema(schema, getInputCol(), getOutputCol(), getRmseCol());
  }

  /**
   * The energy axis of the input spectra; R larger than the channel count is refused naming
   * {@code numEndmembers}.
   */
  protected EnergyAxis spectraAxis(Dataset<?> dataset) {
    EnergyAxis axis = SharedParams.spectraAxis(dataset, getInputCol());
    requireEndmembersFit(axis.channels());
    return axis;
  }

  /** Refuses R larger than {@code channels}, naming {@code numEndmembers}. */
  protected void requireEndmembersFit(int channels) {
    if (getNumEndmembers() > channels) {
      throw new BadInputException("numEndmembers", "asked for " + getNumEndmembers() + " endmembers but the "
          + "spectra have only " + channels + " channels");
    }
  }

  @Override
  public final IntParam numEndmembers() {
    return numEndmembers;
  }

  @Override
  public final LongParam seed() {
    return seed;
  }

  @Override
  public final Param<String> inputCol() {
    return inputCol;
  }

  @Override
  public final Param<String> outputCol() {
    return outputCol;
  }

  @Override
  public final Param<String> rmseCol() {
    return rmseCol;
  }

  public final E setNumEndmembers(int value) {
    return with(numEndmembers, value);
  }

  public final E setSeed(long value) {
    return with(seed, value);
  }

  public final E setInputCol(String value) {
    return with(inputCol, value);
  }

  public final E setOutputCol(String value) {
    return with(outputCol, value);
  }

  public final E setRmseCol(String value) {
    return with(rmseCol, value);
  }

  /** Sets {@code param} (validated by Spark) and returns this estimator as its concrete type. */
  @SuppressWarnings("unchecked")
  protected final <T> E with(Param<T> param, T value) {
    set(param, value);
    return (E) this;
  }

  @Override
  public E copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Params only: an estimator holds no data. */
  @Override
  public MLWriter write() {
    return new StageWriter(this, null, null, null);
  }
}
