package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.SpectrumColumn;

/**
 * Base of every fitted unmixing model ("fit on one acquisition, apply to the series"): its endmember spectra on
 * the energy axis it was fitted on, the five shared params of {@link UnmixingEstimator} (held once here, as MLlib's
 * traits are mixed into both estimator and model), and a {@link #transform} that appends the {@code abundances}
 * (array&lt;double&gt;, R values) and per-pixel {@code rmse} columns to any pixel table on the same axis.
 *
 * <p>Persistence is MLlib's layout ({@link MlPersistence}): {@code metadata/} (class, uid, params, and an
 * {@code extra} object with the method and what {@link #extraMetadata} adds), {@code data/} (the endmembers as
 * Parquet with the energy axis) and any files of {@link #writeExtraFiles}; written atomically. {@link #load} reads
 * the class recorded in the metadata and calls that class's static {@code read()}, as Spark's
 * {@code DefaultParamsReader.loadParamsInstance} does: every saved model loads and applies, whatever its method,
 * with no list of classes anywhere.
 *
 * @param <M> the concrete model
 */
public abstract class UnmixingModel<M extends UnmixingModel<M>> extends Model<M> implements MLWritable, UnmixingParams {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Endmembers endmembers;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;
  /** When a loaded model was saved (its metadata's {@code timestamp}); null for one fitted in this run. */
  private Instant savedAt;

  /**
   * @param endmembers the fitted spectra (R × B with the energy axis); R is the default of {@code numEndmembers}
   * @param seed the default of {@code seed} (the fit's, when the model knows it)
   */
  protected UnmixingModel(String uid, Endmembers endmembers, long seed) {
    this.uid = uid;
    this.endmembers = endmembers;
    numEndmembers = SharedParams.numEndmembers(this);
    this.seed = SharedParams.seed(this);
    inputCol = SharedParams.inputCol(this);
    outputCol = SharedParams.outputCol(this);
    rmseCol = SharedParams.rmseCol(this);
    SharedParams.setDefaults(this, numEndmembers, endmembers.count(), this.seed, seed, inputCol, outputCol,
        rmseCol);
  }

  @Override
  public final String uid() {
    return uid;
  }

  /** The method's registry name ({@code vca-fcls}, {@code nmf}, …). */
  public abstract String method();

  /** One line on how the fit went (iterations, convergence, losses), for the console and reports. */
  public abstract String summaryLine();

  /** The endmember spectra (R × B), on the energy axis spectra must have. */
  public final Endmembers endmembers() {
    return endmembers;
  }

  /**
   * When this model was saved, for a model read by {@link #load}: the time its endmembers carry in the files
   * written with them ({@code #DATE}, {@code #TIME}); empty for a model fitted in this run.
   */
  public final Optional<Instant> savedAt() {
    return Optional.ofNullable(savedAt);
  }

  /** A short name for messages and the ledger: method and uid. */
  public String describe() {
    return method() + " model " + uid;
  }

  /**
   * Appends the abundances and RMSE of every pixel; the input has been checked ({@link #transformSchema}, the
   * energy axis).
   */
  protected abstract Dataset<Row> unmix(Dataset<?> dataset);

  @Override
  public final Dataset<Row> transform(Dataset<?> dataset) {
    check(dataset);
    return unmix(dataset);
  }

  /**
   * What the result files hold of {@link #transform}'s output ({@code unmix}, {@code apply}, {@code reprocess} write
   * it): the input's {@code acquisition_id}, {@code x} and {@code y} (those it has), the abundances and RMSE columns,
   * and {@code abundances_std} when the model gives it; the same rows with the same values as the transform with
   * those columns selected. A model may compute them without carrying the input's other columns, the spectrum
   * above all, through its rows ({@link #unmixResults}).
   */
  public final Dataset<Row> results(Dataset<?> dataset) {
    check(dataset);
    return unmixResults(dataset);
  }

  /**
   * {@link #results} of a checked input. Default: {@link #unmix}, then the result columns selected; FCLS and NMF
   * read a plain Parquet scan's spectra from its pages instead ({@code PixelTransform.resultBlocks}).
   */
  protected Dataset<Row> unmixResults(Dataset<?> dataset) {
    Dataset<Row> transformed = unmix(dataset);
    String second = java.util.Arrays.asList(transformed.columns()).contains(org.eelsunmix.spark.PixelSchema
        .ABUNDANCES_STD) ? org.eelsunmix.spark.PixelSchema.ABUNDANCES_STD : null;
    return transformed.select(PixelTransform.resultNames(dataset.schema(), getOutputCol(), getRmseCol(), second)
        .stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new));
  }

  /** The checks {@link #transform} makes before any work: columns ({@link #transformSchema}), energy axis. */
  private void check(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    EnergyAxis axis = SpectrumColumn.axisOf(dataset.schema(), getInputCol());
    if (axis != null) {
      requireAxis(axis, "input dataset");
    }
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return SharedParams.outputSchema(schema, getInputCol(), getOutputCol(), getRmseCol());
  }

  /**
   * Refuses spectra on another energy axis than the model's (channel count always; offset, dispersion and units
   * when the model was fitted on a calibrated axis), naming {@code table} and this model.
   */
  public void requireAxis(EnergyAxis axis, String table) {
    EnergyAxis own = endmembers.axis();
    if (axis.channels() != own.channels()) {
      throw new BadInputException(table, "spectra are on the energy axis " + axis + " (" + axis.channels()
          + " channels) but " + describe() + " takes " + own.channels() + " channels (" + own + ")");
    }
    if (!own.units().equals("channel") && !axis.sameAs(own, 1e-9)) {
      throw new BadInputException(table, "spectra are on the energy axis " + axis + " but " + describe()
          + " was fitted on " + own);
    }
  }

  /**
   * Per-channel bands around the endmembers that a model with uncertainties gives (e.g. BLU's posterior credible
   * bands, {@code lower} and {@code upper}), by name; {@code export} writes each as MSA spectra. Default: none.
   */
  public java.util.Map<String, Endmembers> endmemberBands() {
    return java.util.Map.of();
  }

  /** What a concrete model keeps in its metadata besides params and endmembers (default: nothing). */
  protected void extraMetadata(ObjectNode extra) {}

  /** Files a concrete model keeps beside {@code data/} in its saved folder {@code path} (default: none). */
  protected void writeExtraFiles(SparkSession spark, String path) throws IOException {}

  @Override
  public MLWriter write() {
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    extra.put("method", method());
    extraMetadata(extra);
    return new StageWriter(this, endmembers, extra, this::writeExtraFiles);
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

  @SuppressWarnings("unchecked")
  public final M setInputCol(String value) {
    return (M) set(inputCol, value);
  }

  @SuppressWarnings("unchecked")
  public final M setOutputCol(String value) {
    return (M) set(outputCol, value);
  }

  @SuppressWarnings("unchecked")
  public final M setRmseCol(String value) {
    return (M) set(rmseCol, value);
  }

  /**
   * Loads the unmixing model saved at {@code dir}, or at {@code dir/model} when {@code dir} is the output folder
   * of {@code unmix}, {@code train} or {@code apply}: the class recorded in its metadata reads it. A folder that
   * holds no saved stage, or a stage that is not an unmixing model, is refused naming the folder.
   */
  public static UnmixingModel<?> load(SparkSession spark, String dir) {
    String modelDir = modelFolder(spark, dir);
    Object stage = MlPersistence.loadStage(spark, modelDir);
    if (!(stage instanceof UnmixingModel<?> m)) {
      throw new BadInputException(dir, "holds a " + stage.getClass().getSimpleName() + ", not a fitted unmixing "
          + "model (saved by unmix, train or apply --out DIR, under DIR/model)");
    }
    JsonNode stamp = MlPersistence.readMetadata(spark, modelDir).path("timestamp");
    m.savedAt = stamp.isNumber() ? Instant.ofEpochMilli(stamp.asLong()) : null;
    return m;
  }

  /** {@code dir} when it holds a saved stage, else {@code dir/model} when that does. */
  private static String modelFolder(SparkSession spark, String dir) {
    try {
      Path nested = new Path(dir, "model/metadata");
      FileSystem fs = nested.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return !fs.exists(new Path(dir, "metadata")) && fs.exists(nested) ? new Path(dir, "model").toString() : dir;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * What a model's reader gets back from its saved folder: the uid, the {@code extra} metadata, the endmembers,
   * and access to its other files.
   */
  protected record Saved(SparkSession spark, String path, String uid, JsonNode extra, Endmembers endmembers) {
    /** The bytes of {@code relative} inside the saved folder; a missing file names the folder. */
    public byte[] readFile(String relative) {
      Path file = new Path(path, relative);
      try {
        FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(file)) {
          throw new BadInputException(path, "saved model has no " + relative);
        }
        try (InputStream in = fs.open(file)) {
          return in.readAllBytes();
        }
      } catch (IOException e) {
        throw new BadInputException(path, "cannot read " + relative + ": " + e.getMessage(), e);
      }
    }

    /** The numbers of the {@code extra} array {@code name}; a missing array names the folder. */
    public double[] doubles(JsonNode array, String name) {
      if (!array.isArray()) {
        throw new BadInputException(path, "saved model metadata has no '" + name + "' array");
      }
      return MlPersistence.doubles(array);
    }

    /** The rows of the {@code extra} array of arrays {@code name}; a missing array names the folder. */
    public double[][] rows(JsonNode array, String name) {
      if (!array.isArray()) {
        throw new BadInputException(path, "saved model metadata has no '" + name + "' array");
      }
      double[][] m = new double[array.size()][];
      for (int r = 0; r < m.length; r++) {
        m[r] = doubles(array.get(r), name);
      }
      return m;
    }
  }

  /** Writes one file of a saved model (used by {@link #writeExtraFiles}). */
  protected static void writeFile(SparkSession spark, String path, String relative, byte[] content)
      throws IOException {
    Path file = new Path(path, relative);
    FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
    }
  }

  /**
   * The reader of a model class: checks the class recorded in the metadata, reads the endmembers, lets
   * {@code make} build the model from {@link Saved}, then restores the saved params.
   */
  protected static <T extends UnmixingModel<T>> MLReader<T> reader(Class<T> type,
      java.util.function.Function<Saved, T> make) {
    return new MLReader<>() {
      @Override
      public T load(String path) {
        SparkSession spark = sparkSession();
        JsonNode meta = MlPersistence.readMetadata(spark, path, type);
        T model = make.apply(new Saved(spark, path, meta.path("uid").asText(), meta.path("extra"),
            StageWriter.readEndmembers(spark, path)));
        MlPersistence.restoreParams(model, meta);
        return model;
      }
    };
  }
}
