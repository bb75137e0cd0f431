package org.eelsunmix.spark.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;

/**
 * Writes a stage as {@code metadata/} (params, {@link MlPersistence}) and, for a model, its endmembers as
 * {@code data/} Parquet in the {@link PixelSchema#ENDMEMBERS} layout (one file written on the driver,
 * {@link SmallParquet}) — atomically: the folder appears complete or
 * not at all, also when overwriting.
 */
final class StageWriter extends MLWriter {
  private final Params stage;
  private final Endmembers endmembers;
  private final ObjectNode extra;
  private final ExtraFiles extraFiles;

  /** Files a stage keeps beside {@code metadata/} and {@code data/} (a network, for instance). */
  @FunctionalInterface
  interface ExtraFiles {
    void write(SparkSession spark, String path) throws IOException;
  }

  /**
   * @param endmembers the model's spectra for {@code data/}, or null (an estimator)
   * @param extra the metadata's {@code extra} object, or null
   * @param extraFiles more files of the stage, or null
   */
  StageWriter(Params stage, Endmembers endmembers, ObjectNode extra, ExtraFiles extraFiles) {
    this.stage = stage;
    this.endmembers = endmembers;
    this.extra = extra;
    this.extraFiles = extraFiles;
  }

  @Override
  public void save(String path) {
    SparkSession spark = sparkSession();
    AtomicOutput.commit(spark.sparkContext().hadoopConfiguration(), path, shouldOverwrite(), tmp -> saveImpl(tmp));
  }

  @Override
  public void saveImpl(String path) {
    SparkSession spark = sparkSession();
    try {
      MlPersistence.writeMetadata(spark, stage, path, extra);
      if (endmembers != null) {
        // R rows already on the driver: written there, without a Spark job's planning, task and commit
        SmallParquet.write(spark.sparkContext().hadoopConfiguration(), path + "/data", PixelSchema.ENDMEMBERS,
            rows(endmembers));
      }
      if (extraFiles != null) {
        extraFiles.write(spark, path);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("writing " + path + ": " + e.getMessage(), e);
    }
  }

  /** Endmembers as rows of {@link PixelSchema#ENDMEMBERS}. */
  static List<Row> rows(Endmembers e) {
    List<Row> rows = new ArrayList<>();
    EnergyAxis a = e.axis();
    for (int r = 0; r < e.count(); r++) {
      rows.add(RowFactory.create(r, e.names().get(r), e.spectrum(r), a.offset(), a.scale(), a.units()));
    }
    return rows;
  }

  /** The rows of a saved model's {@code data/} table ({@code what} names them in errors); never empty. */
  static List<Row> readData(SparkSession spark, String path, String what) {
    List<Row> rows;
    try {
      rows = spark.read().parquet(path + "/data").collectAsList(); // a handful of rows: spectra, not pixels
    } catch (RuntimeException e) {
      throw new org.eelsunmix.core.BadInputException(path, "model has no readable " + what + ": " + e.getMessage(),
          e);
    }
    if (rows.isEmpty()) {
      throw new org.eelsunmix.core.BadInputException(path, "model has no " + what);
    }
    return rows;
  }

  /** The endmembers saved in {@code path/data} by {@link #save}; a missing or empty table names the model path. */
  static Endmembers readEndmembers(SparkSession spark, String path) {
    return fromRows(readData(spark, path, "endmember data"));
  }

  /** Reads back what {@link #rows} wrote (ordered by endmember index). */
  static Endmembers fromRows(List<Row> rows) {
    rows = new ArrayList<>(rows);
    rows.sort(java.util.Comparator.comparingInt(r -> r.getInt(r.fieldIndex("endmember"))));
    double[][] m = new double[rows.size()][];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < m.length; i++) {
      Row r = rows.get(i);
      List<Object> v = r.getList(r.fieldIndex(PixelSchema.SPECTRUM));
      m[i] = new double[v.size()];
      for (int j = 0; j < m[i].length; j++) {
        m[i][j] = ((Number) v.get(j)).doubleValue();
      }
      names.add(r.getString(r.fieldIndex("name")));
    }
    Row first = rows.get(0);
    EnergyAxis axis = new EnergyAxis(first.getDouble(first.fieldIndex("energy_offset")),
        first.getDouble(first.fieldIndex("energy_scale")), first.getString(first.fieldIndex("energy_units")),
        m[0].length);
    return new Endmembers(m, names, axis);
  }
}
