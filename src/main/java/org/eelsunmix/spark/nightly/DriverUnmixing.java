package org.eelsunmix.spark.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.SpectrumSource;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.UnmixingModel;

/**
 * One small acquisition unmixed from the driver, for the live watcher's latency: the file (local file system only)
 * is read by our plain-Java reader ({@link AcquisitionFiles#open}) in one go, its pixels handed to the model's own
 * {@link UnmixingModel#transform} as an in-memory table, and the result columns (R + 1 numbers per pixel) collected
 * into an in-memory table too. So the math is the model's one kernel, exactly as {@code reprocess} runs it on the
 * stored Parquet pixels (the same float spectra, so the same abundances, bit for bit), while the Parquet writes of
 * the series store and the abundances table (for this path: {@code format("eels")} over the file again and the
 * in-memory results) can follow the commit of the acquisition's maps.
 *
 * <p>Memory on the driver: the image as floats (pixels × channels × 4 bytes) and its rows twice over while the
 * transform runs; callers keep this to small acquisitions ({@link Reprocessing#live}).
 */
final class DriverUnmixing {
  private DriverUnmixing() {}

  /** Whether {@code path} (a Hadoop path string) is on the local file system, where this class can read it. */
  static boolean readable(String path) {
    String scheme = new Path(path).toUri().getScheme();
    return scheme == null || scheme.equals("file");
  }

  /**
   * One acquisition unmixed.
   *
   * @param table its rows for the abundances table: {@code acquisition_id}, {@code x}, {@code y} and the columns
   *     the model appends ({@code abundances}, {@code rmse}, and {@code abundances_std} when it gives them), in memory
   * @param results the same in raster order, for its maps
   */
  record Unmixed(Dataset<Row> table, ReprocessOutputs.Results results) {}

  /** Reads and unmixes {@code work} (a file its survey found good, on the model's axis). */
  static Unmixed unmix(SparkSession spark, UnmixingModel<?> model, Reprocessing.Work work) {
    String id = work.file().id();
    List<Row> rows = new ArrayList<>();
    try (SpectrumSource source = AcquisitionFiles.open(java.nio.file.Path.of(new Path(
        work.entry().path()).toUri().getPath()))) {
      var h = source.header();
      if (h.width() != work.file().header().width() || h.height() != work.file().header().height()
          || h.axis().channels() != work.file().header().axis().channels()) {
        throw new BadInputException(work.entry().path(), "changed since it was checked");
      }
      int channels = h.axis().channels();
      int width = h.width();
      float[] all = new float[Math.toIntExact(h.values())];
      source.readPixels(0, h.pixels(), all, 0);
      for (int p = 0; p < h.pixels(); p++) {
        float[] s = Arrays.copyOfRange(all, p * channels, (p + 1) * channels);
        rows.add(RowFactory.create(id, p % width, p / width, s));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + work.entry().path() + ": " + e.getMessage(), e);
    }
    Dataset<Row> df = spark.createDataFrame(rows, PixelSchema.PIXELS);
    Dataset<Row> pixels = df.select(functions.col(PixelSchema.ACQUISITION_ID), functions.col(PixelSchema.X),
        functions.col(PixelSchema.Y), SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, model.endmembers().axis()));
    Dataset<Row> results = model.results(pixels);
    StructType schema = results.schema();
    List<Row> collected = results.collectAsList();
    return new Unmixed(spark.createDataFrame(collected, schema), raster(collected, schema, work.file().header().height(),
        work.file().header().width(), model.endmembers().count()));
  }

  /** The result rows placed in raster order (every pixel has exactly one: the rows are the image's own). */
  private static ReprocessOutputs.Results raster(List<Row> rows, StructType schema, int h, int w, int r) {
    int ix = schema.fieldIndex(PixelSchema.X);
    int iy = schema.fieldIndex(PixelSchema.Y);
    int ia = schema.fieldIndex(PixelSchema.ABUNDANCES_COL);
    int ie = schema.fieldIndex(PixelSchema.RMSE);
    int is = Arrays.asList(schema.fieldNames()).indexOf(PixelSchema.ABUNDANCES_STD);
    double[] maps = new double[h * w * r];
    double[] std = is < 0 ? null : new double[h * w * r];
    double[] rmse = new double[h * w];
    for (Row row : rows) {
      int p = row.getInt(iy) * w + row.getInt(ix);
      List<Double> a = row.getList(ia);
      for (int k = 0; k < r; k++) {
        maps[p * r + k] = a.get(k);
      }
      if (std != null) {
        List<Double> sd = row.getList(is);
        for (int k = 0; k < r; k++) {
          std[p * r + k] = sd.get(k);
        }
      }
      rmse[p] = row.getDouble(ie);
    }
    return new ReprocessOutputs.Results(new Abundances(h, w, r, maps), std == null ? null
        : new Abundances(h, w, r, std), rmse);
  }
}
