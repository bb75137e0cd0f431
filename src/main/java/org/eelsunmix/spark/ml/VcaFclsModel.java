package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.Endmembers;

/**
 * A fitted {@link VcaFcls}: the VCA endmembers; {@link #transform} appends FCLS abundances (non-negative,
 * sum-to-one) and the per-pixel RMSE to every row of any pixel table with the same channel count ("fit on one
 * acquisition, apply to the series"). Saved as MLlib-style {@code metadata/} + {@code data/} (endmembers as
 * Parquet with the energy axis), written atomically.
 */
public final class VcaFclsModel extends Model<VcaFclsModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Endmembers endmembers;
  private final double fittedSnrDb;
  private final IntParam numEndmembers;
  private final LongParam seed;
  private final DoubleParam snrDb;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> rmseCol;

  public VcaFclsModel(String uid, Endmembers endmembers, double fittedSnrDb) {
    this.uid = uid;
    this.endmembers = endmembers;
    this.fittedSnrDb = fittedSnrDb;
    numEndmembers = UnmixingParams.numEndmembers(this);
    seed = UnmixingParams.seed(this);
    snrDb = new DoubleParam(this, "snrDb", "SNR in dB that selected VCA's projection; NaN = estimated");
    inputCol = UnmixingParams.inputCol(this);
    outputCol = UnmixingParams.outputCol(this);
    rmseCol = UnmixingParams.rmseCol(this);
    setDefault(numEndmembers, endmembers.count());
    setDefault(seed, 0L);
    setDefault(snrDb, Double.NaN);
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "abundances");
    setDefault(rmseCol, "rmse");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The endmember spectra (R × B, with the energy axis). */
  public Endmembers endmembers() {
    return endmembers;
  }

  /** The SNR (dB) VCA estimated, or was given, when this model was fitted. */
  public double fittedSnrDb() {
    return fittedSnrDb;
  }

  public IntParam numEndmembers() {
    return numEndmembers;
  }

  public LongParam seed() {
    return seed;
  }

  public DoubleParam snrDb() {
    return snrDb;
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

  public VcaFclsModel setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public VcaFclsModel setOutputCol(String value) {
    set(outputCol, value);
    return this;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return UnmixingParams.outputSchema(schema, $(inputCol), $(outputCol), $(rmseCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    return FclsTransform.apply(dataset, endmembers, $(inputCol), $(outputCol), $(rmseCol), "vca-fcls " + uid);
  }

  @Override
  public VcaFclsModel copy(ParamMap extra) {
    VcaFclsModel m = new VcaFclsModel(uid, endmembers, fittedSnrDb);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    ObjectNode extra = JsonNodeFactory.instance.objectNode();
    extra.put("method", "vca-fcls");
    extra.put("fittedSnrDb", fittedSnrDb);
    return new StageWriter(this, endmembers, extra);
  }

  public static MLReader<VcaFclsModel> read() {
    return new MLReader<>() {
      @Override
      public VcaFclsModel load(String path) {
        JsonNode meta = MlPersistence.readMetadata(sparkSession(), path, VcaFclsModel.class);
        VcaFclsModel m = new VcaFclsModel(meta.path("uid").asText(), StageWriter.readEndmembers(sparkSession(), path),
            meta.path("extra").path("fittedSnrDb").asDouble(Double.NaN));
        MlPersistence.restoreParams(m, meta);
        return m;
      }
    };
  }

  public static VcaFclsModel load(String path) {
    return read().load(path);
  }
}
