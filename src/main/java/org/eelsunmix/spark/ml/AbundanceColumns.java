package org.eelsunmix.spark.ml;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.SpectrumColumn;

/**
 * Appends per-pixel {@code abundances} and {@code rmse} columns to a pixel table for fixed endmembers, inside the
 * partitions: one {@link PixelSolver} with its buffers per partition, the model shipped once in the closure;
 * nothing is collected. The shared part of every model's {@code transform} (FCLS, NMF, ...).
 *
 * <p>It works on Spark's binary rows ({@code InternalRow}): the public {@code Row} API boxes each of the B channels
 * into a {@code Float} before the solver sees them, which a profile of a 512×512 cube showed costing about 30 times
 * the FCLS solve itself. The input columns are passed through untouched, the two new ones appended.
 */
final class AbundanceColumns {
  private AbundanceColumns() {}

  /** Unmixes one spectrum with its own reused buffers; used by one task at a time. */
  interface PixelSolver {
    /**
     * Writes the pixel's abundances to {@code a} (R values) and returns its RMSE over the channels.
     *
     * @param y the spectrum, B values, read-only
     */
    double solve(float[] y, double[] a);
  }

  /** Makes a {@link PixelSolver} per partition (on the executor); shipped in the task closure. */
  interface SolverFactory extends Serializable {
    PixelSolver newSolver();
  }

  /**
   * @param channels the model's channel count B (a spectrum column with another axis is refused, naming
   *     {@code modelName})
   * @param components R, the length of the abundance arrays
   */
  static Dataset<Row> append(Dataset<?> dataset, int channels, int components, SolverFactory solvers,
      String inputCol, String outputCol, String rmseCol, String modelName) {
    StructType in = dataset.schema();
    StructType out = UnmixingParams.outputSchema(in, inputCol, outputCol, rmseCol);
    EnergyAxis axis = SpectrumColumn.axisOf(in, inputCol);
    if (axis != null && axis.channels() != channels) {
      throw new BadInputException("input dataset", "spectra have " + axis.channels() + " channels but model "
          + modelName + " has " + channels);
    }
    PixelRows pixels = new PixelRows(in, inputCol, channels, true, "input dataset");

    RDD<InternalRow> rows = PixelRows.of(dataset).mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          private final PixelSolver solver = solvers.newSolver();
          private final float[] y = new float[channels];
          private final double[] a = new double[components];
          private final GenericInternalRow extra = new GenericInternalRow(2);
          private final JoinedRow joined = new JoinedRow();
          private final UnsafeProjection toUnsafe = UnsafeProjection.create(out);

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public InternalRow next() {
            InternalRow row = it.next();
            pixels.spectrum(row, y);
            double rmse = solver.solve(y, a);
            extra.update(0, UnsafeArrayData.fromPrimitiveArray(a));
            extra.update(1, rmse);
            return toUnsafe.apply(joined.apply(row, extra));
          }
        }).rdd();
    // internalCreateDataFrame is Spark-internal (private[sql], public in bytecode): it accepts binary rows as they
    // are, the one way to append columns without a round trip through boxed Rows. Pinned Spark 3.5.
    return SparkSession.active().internalCreateDataFrame(rows, out, false);
  }
}
