package org.eelsunmix.spark;

import java.util.Iterator;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.unmix.PowerLawBackground;

/**
 * Background-subtracted elemental maps over a pixel table, pixel by pixel inside partitions: one
 * {@link PowerLawBackground} (windows and ln E precomputed) shipped in the closure, one {@link PowerLawBackground.Fit}
 * per partition, spectra read from Spark's binary rows ({@link PixelRows}). Nothing is collected; the result has
 * one {@link PixelSchema#ELEMENTAL_MAP} row per pixel, independent of how the pixels are partitioned.
 */
public final class ElementalMaps {
  private ElementalMaps() {}

  /**
   * The elemental map of every pixel of {@code pixels} (columns {@code acquisition_id}, {@code x}, {@code y} and
   * {@code spectrum} on the kernel's energy axis). Negative counts are allowed (they are left out of the pre-edge
   * fit); NaN, infinite or missing values and a wrong channel count are errors naming the pixel.
   *
   * @param table how to name the pixel table in error messages
   */
  public static Dataset<Row> compute(Dataset<Row> pixels, PowerLawBackground kernel, String table) {
    StructType in = pixels.schema();
    for (String c : new String[] {PixelSchema.ACQUISITION_ID, PixelSchema.X, PixelSchema.Y}) {
      if (!java.util.Arrays.asList(in.fieldNames()).contains(c)) {
        throw new BadInputException(table, "has no column '" + c + "' (columns: " + String.join(", ",
            in.fieldNames()) + ")");
      }
    }
    EnergyAxis axis = SpectrumColumn.axisOf(in, PixelSchema.SPECTRUM);
    int channels = kernel.axis().channels();
    if (axis != null && !axis.sameAs(kernel.axis(), 1e-9)) {
      throw new BadInputException(table, "spectra are on the energy axis " + axis + " but the windows were "
          + "checked against " + kernel.axis());
    }
    PixelRows spectra = new PixelRows(in, PixelSchema.SPECTRUM, channels, false, table);
    int acquisition = in.fieldIndex(PixelSchema.ACQUISITION_ID);
    int xColumn = in.fieldIndex(PixelSchema.X);
    int yColumn = in.fieldIndex(PixelSchema.Y);
    StructType out = PixelSchema.ELEMENTAL_MAP;

    RDD<InternalRow> rows = PixelRows.of(pixels).mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          private final float[] spectrum = new float[channels];
          private final PowerLawBackground.Fit fit = kernel.newFit();
          private final SpecificInternalRow result = new SpecificInternalRow(out);
          private final UnsafeProjection toUnsafe = UnsafeProjection.create(out);

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public InternalRow next() {
            InternalRow row = it.next();
            spectra.spectrum(row, spectrum);
            kernel.fit(spectrum, 0, fit);
            result.update(0, row.getUTF8String(acquisition));
            result.setInt(1, row.getInt(xColumn));
            result.setInt(2, row.getInt(yColumn));
            result.setDouble(3, fit.signal);
            result.setDouble(4, fit.background);
            result.setDouble(5, fit.r);
            result.setDouble(6, fit.a);
            result.setDouble(7, fit.rSquared);
            result.setInt(8, fit.fitChannels);
            return toUnsafe.apply(result); // copies the id out of the input row before the next one replaces it
          }
        }).rdd();
    // As in FclsTransform: binary rows straight into a DataFrame (Spark-internal API, pinned Spark 3.5).
    return SparkSession.active().internalCreateDataFrame(rows, out, false);
  }

  /**
   * One row per acquisition of an elemental map table: {@code acquisition_id}, {@code pixels}, how many have a
   * negative signal ({@code negative_signal}: kept, they show where the method fails) and how many a NaN one
   * ({@code nan_signal}: no background fit), and the means over the fitted pixels of the signal
   * ({@code mean_signal}) and of the exponent r ({@code mean_background_r}). Aggregated on the executors; the rows
   * are ordered by acquisition.
   */
  public static Dataset<Row> summary(Dataset<Row> maps) {
    Column signal = functions.col("signal");
    Column fitted = functions.not(functions.isnan(signal));
    return maps.groupBy(PixelSchema.ACQUISITION_ID).agg(
        functions.count(functions.lit(1)).as("pixels"),
        functions.count(functions.when(signal.lt(0), 1)).as("negative_signal"),
        functions.count(functions.when(functions.isnan(signal), 1)).as("nan_signal"),
        functions.avg(functions.when(fitted, signal)).as("mean_signal"),
        functions.avg(functions.when(fitted, functions.col("background_r"))).as("mean_background_r"))
        .orderBy(PixelSchema.ACQUISITION_ID);
  }
}
