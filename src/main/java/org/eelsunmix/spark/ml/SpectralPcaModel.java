package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.unmix.HySime;
import org.eelsunmix.unmix.Pca;

/**
 * A fitted {@link SpectralPca}: the principal axes with the scree, HySime's and the scree elbow's estimates of the
 * number of endmembers. {@link #transform} appends each pixel's k scores ({@link Pca#project}). Saved as
 * {@code metadata/} (params; mean, scree, trace and both estimates in {@code extra}) and {@code data/} (the axes
 * {@code pc0, pc1, …} with the energy axis); HySime's full diagnostics ({@link #hysime()}) are not saved.
 */
public final class SpectralPcaModel extends Model<SpectralPcaModel> implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Pca pca;
  private final EnergyAxis axis;
  private final transient HySime hysime;
  private final int hysimeK;
  private final int elbowK;
  private final Param<String> inputCol;
  private final Param<String> outputCol;

  /**
   * @param hysime HySime's result, or null when not estimated (or loaded)
   * @param hysimeK HySime's k, −1 when not estimated
   * @param elbowK the scree elbow's k, −1 when the scree is too short
   */
  public SpectralPcaModel(String uid, Pca pca, EnergyAxis axis, HySime hysime, int hysimeK, int elbowK) {
    this.uid = uid;
    this.pca = pca;
    this.axis = axis;
    this.hysime = hysime;
    this.hysimeK = hysimeK;
    this.elbowK = elbowK;
    inputCol = SharedParams.inputCol(this);
    outputCol = new Param<>(this, "outputCol", "principal component scores column written: array<double>");
    setDefault(inputCol, "spectrum");
    setDefault(outputCol, "pca");
  }

  @Override
  public String uid() {
    return uid;
  }

  /** The principal axes, scree and mean. */
  public Pca pca() {
    return pca;
  }

  /** HySime's full result (null when not estimated, or after loading). */
  public HySime hysime() {
    return hysime;
  }

  /** HySime's number of endmembers, −1 when not estimated. */
  public int hysimeK() {
    return hysimeK;
  }

  /** The scree elbow's number of endmembers ({@link org.eelsunmix.unmix.ScreeElbow}), −1 if not available. */
  public int elbowK() {
    return elbowK;
  }

  /** The principal axes as spectra {@code pc0, pc1, …} on the fitted energy axis. */
  public Endmembers axes() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < pca.count(); i++) {
      names.add("pc" + i);
    }
    return new Endmembers(pca.components(), names, axis);
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  static StructType outputSchema(StructType schema, String inputCol, String outputCol) {
    PixelSchema.requireSpectrumColumn(schema, inputCol, "input dataset");
    if (java.util.Arrays.asList(schema.fieldNames()).contains(outputCol)) {
      throw new BadInputException("input dataset", "already has a column '" + outputCol + "' (set another output "
          + "column)");
    }
    return schema.add(outputCol, PixelSchema.VALUES_TYPE, false);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return outputSchema(schema, $(inputCol), $(outputCol));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Pca p = pca;
    PixelTransform.Kernel kernel = () -> (y, scores) -> {
      p.project(y, 0, scores);
      return Double.NaN;
    };
    return PixelTransform.apply(dataset, p.channels(), p.count(), kernel, $(inputCol), $(outputCol), null,
        "pca " + uid);
  }

  @Override
  public SpectralPcaModel copy(ParamMap extra) {
    SpectralPcaModel m = new SpectralPcaModel(uid, pca, axis, hysime, hysimeK, elbowK);
    return copyValues(m, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode extra = f.objectNode();
    extra.put("method", "pca");
    ArrayNode mean = extra.putArray("mean");
    for (double v : pca.mean()) {
      mean.add(v);
    }
    ArrayNode values = extra.putArray("eigenvalues");
    for (double v : pca.eigenvalues()) {
      values.add(v);
    }
    extra.put("trace", pca.trace());
    extra.put("centred", pca.centred());
    extra.put("hysimeK", hysimeK);
    extra.put("elbowK", elbowK);
    return new StageWriter(this, axes(), extra, null);
  }

  public static MLReader<SpectralPcaModel> read() {
    return new MLReader<>() {
      @Override
      public SpectralPcaModel load(String path) {
        JsonNode meta = MlPersistence.readMetadata(sparkSession(), path, SpectralPcaModel.class);
        List<Row> rows = StageWriter.readData(sparkSession(), path, "principal axes");
        Endmembers axes = StageWriter.fromRows(rows);
        JsonNode extra = meta.path("extra");
        double[] mean = new double[extra.path("mean").size()];
        for (int i = 0; i < mean.length; i++) {
          mean[i] = extra.path("mean").get(i).asDouble();
        }
        double[] values = new double[extra.path("eigenvalues").size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = extra.path("eigenvalues").get(i).asDouble();
        }
        if (mean.length != axes.channels()) {
          throw new BadInputException(path, "model has a mean of " + mean.length + " channels for axes of "
              + axes.channels());
        }
        Pca pca = new Pca(mean, values, axes.matrix(), extra.path("trace").asDouble(),
            extra.path("centred").asBoolean());
        SpectralPcaModel m = new SpectralPcaModel(meta.path("uid").asText(), pca, axes.axis(), null,
            extra.path("hysimeK").asInt(-1), extra.path("elbowK").asInt(-1));
        MlPersistence.restoreParams(m, meta);
        return m;
      }
    };
  }

  public static SpectralPcaModel load(String path) {
    return read().load(path);
  }
}
