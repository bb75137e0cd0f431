package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Endmembers;

/**
 * A fitted {@link VcaFcls}: the VCA endmembers; {@link #transform} appends FCLS abundances (non-negative,
 * sum-to-one) and the per-pixel RMSE to every row of any pixel table with the same channel count ("fit on one
 * acquisition, apply to the series"). Saved as MLlib-style {@code metadata/} + {@code data/} (endmembers as
 * Parquet with the energy axis), written atomically.
 */
public final class VcaFclsModel extends UnmixingModel<VcaFclsModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "vca-fcls";
  private final double fittedSnrDb;
  private final DoubleParam snrDb;

  public VcaFclsModel(String uid, Endmembers endmembers, double fittedSnrDb) {
    super(uid, endmembers, 0L);
    this.fittedSnrDb = fittedSnrDb;
    snrDb = new DoubleParam(this, "snrDb", "SNR in dB that selected VCA's projection; NaN = estimated");
    setDefault(snrDb, Double.NaN);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public String summaryLine() {
    return String.format(java.util.Locale.ROOT, "VCA SNR estimate %.1f dB", fittedSnrDb);
  }

  /** The SNR (dB) VCA estimated, or was given, when this model was fitted. */
  public double fittedSnrDb() {
    return fittedSnrDb;
  }

  public DoubleParam snrDb() {
    return snrDb;
  }

  @Override
  protected Dataset<Row> unmix(Dataset<?> dataset) {
    return FclsTransform.apply(dataset, endmembers(), getInputCol(), getOutputCol(), getRmseCol(), describe());
  }

  @Override
  public VcaFclsModel copy(ParamMap extra) {
    return copyValues(new VcaFclsModel(uid(), endmembers(), fittedSnrDb), extra).setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    extra.put("fittedSnrDb", fittedSnrDb);
  }

  public static MLReader<VcaFclsModel> read() {
    return reader(VcaFclsModel.class, saved -> new VcaFclsModel(saved.uid(), saved.endmembers(),
        saved.extra().path("fittedSnrDb").asDouble(Double.NaN)));
  }

  public static VcaFclsModel load(String path) {
    return read().load(path);
  }
}
