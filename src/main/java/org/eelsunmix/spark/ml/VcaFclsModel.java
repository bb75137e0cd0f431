package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.StringJoiner;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Endmembers;

/**
 * A fitted {@link VcaFcls}: the VCA endmembers; {@link #transform} appends FCLS abundances (non-negative,
 * sum-to-one) and the per-pixel RMSE to every row of any pixel table with the same channel count ("fit on one
 * acquisition, apply to the series"); over a Parquet scan the spectra are read from the reader's column batches
 * ({@link #COLUMNAR_TRANSFORM}). Saved as MLlib-style {@code metadata/} + {@code data/} (endmembers as
 * Parquet with the energy axis), written atomically. With VCA restarts, every restart's mean FCLS residual and the
 * kept restart are printed ({@link #summaryLine}) and saved in the metadata ({@code restartLosses}, {@code
 * keptRestart}).
 */
public final class VcaFclsModel extends UnmixingModel<VcaFclsModel> {
  private static final long serialVersionUID = 1L;
  /** The method's registry name. */
  public static final String METHOD = "vca-fcls";
  /**
   * Session setting ({@code --spark-conf spark.eelsunmix.columnarTransform=false}): {@code false} keeps the
   * transform on Spark's rows even over a vectorised Parquet scan, whose column batches it reads otherwise (same
   * values); to compare the two paths, or to step around a reader that misbehaves. Default {@code true}.
   */
  public static final String COLUMNAR_TRANSFORM = "spark.eelsunmix.columnarTransform";
  private final double fittedSnrDb;
  private final double[] restartLosses;
  private final int keptRestart;
  private final DoubleParam snrDb;
  private final IntParam restarts;

  /** A model of one VCA run (no restarts compared). */
  public VcaFclsModel(String uid, Endmembers endmembers, double fittedSnrDb) {
    this(uid, endmembers, fittedSnrDb, new double[] {Double.NaN}, 0);
  }

  /**
   * @param restartLosses each restart's mean FCLS residual {@code ‖y − Mᵀa‖²}, restart order (one NaN: one run)
   * @param keptRestart the restart whose endmembers these are (seed {@code seed + keptRestart})
   */
  public VcaFclsModel(String uid, Endmembers endmembers, double fittedSnrDb, double[] restartLosses,
      int keptRestart) {
    super(uid, endmembers, 0L);
    this.fittedSnrDb = fittedSnrDb;
    this.restartLosses = restartLosses.clone();
    this.keptRestart = keptRestart;
    snrDb = new DoubleParam(this, "snrDb", "SNR in dB that selected VCA's projection; NaN = estimated");
    restarts = VcaFcls.restartsParam(this);
    setDefault(snrDb, Double.NaN);
    setDefault(restarts, restartLosses.length);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public String summaryLine() {
    String snr = String.format(Locale.ROOT, "VCA SNR estimate %.1f dB", fittedSnrDb);
    if (restartLosses.length < 2) {
      return snr + "; 1 restart";
    }
    StringJoiner losses = new StringJoiner(", ", "[", "]");
    for (double l : restartLosses) {
      losses.add(String.format(Locale.ROOT, "%.6g", l));
    }
    return String.format(Locale.ROOT, "%s; mean FCLS residual (counts²) of restarts %s, kept restart %d (seed %d)",
        snr, losses, keptRestart, getSeed() + keptRestart);
  }

  /** Each restart's mean FCLS residual {@code ‖y − Mᵀa‖²}, restart order; one NaN for a single run. */
  public double[] restartLosses() {
    return restartLosses.clone();
  }

  /** The restart whose endmembers this model holds (its seed is {@code seed + keptRestart}). */
  public int keptRestart() {
    return keptRestart;
  }

  public IntParam restarts() {
    return restarts;
  }

  /** The restarts the model was fitted with. */
  public int getRestarts() {
    return (Integer) $(restarts);
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
  protected Dataset<Row> unmixResults(Dataset<?> dataset) {
    return FclsTransform.results(dataset, endmembers(), getInputCol(), getOutputCol(), getRmseCol(), describe());
  }

  @Override
  public VcaFclsModel copy(ParamMap extra) {
    return copyValues(new VcaFclsModel(uid(), endmembers(), fittedSnrDb, restartLosses, keptRestart), extra)
        .setParent(parent());
  }

  @Override
  protected void extraMetadata(ObjectNode extra) {
    extra.put("fittedSnrDb", fittedSnrDb);
    if (restartLosses.length > 1) { // one run has no loss (JSON has no NaN)
      extra.set("restartLosses", MlPersistence.jsonArray(restartLosses));
      extra.put("keptRestart", keptRestart);
    }
  }

  public static MLReader<VcaFclsModel> read() {
    return reader(VcaFclsModel.class, saved -> {
      JsonNode losses = saved.extra().path("restartLosses");
      return new VcaFclsModel(saved.uid(), saved.endmembers(), saved.extra().path("fittedSnrDb").asDouble(Double.NaN),
          losses.isArray() ? MlPersistence.doubles(losses) : new double[] {Double.NaN},
          saved.extra().path("keptRestart").asInt(0));
    });
  }

  public static VcaFclsModel load(String path) {
    return read().load(path);
  }
}
