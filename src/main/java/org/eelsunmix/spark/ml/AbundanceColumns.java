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

  /** Unmixes a block of spectra at once (e.g. one forward pass of a network); used by one task at a time. */
  interface BlockSolver {
    /**
     * Writes the abundances of {@code count} spectra to {@code a} ({@code count × R}) and their RMSEs to
     * {@code rmse}.
     *
     * @param y the spectra, {@code count × B} row-major, read-only
     */
    void solve(float[] y, int count, double[] a, double[] rmse);
  }

  /** Makes a {@link BlockSolver} per partition (on the executor); shipped in the task closure. */
  interface BlockSolverFactory extends Serializable {
    BlockSolver newSolver();
  }

  /**
   * @param channels the model's channel count B (a spectrum column with another axis is refused, naming
   *     {@code modelName})
   * @param components R, the length of the abundance arrays
   */
  static Dataset<Row> append(Dataset<?> dataset, int channels, int components, SolverFactory solvers,
      String inputCol, String outputCol, String rmseCol, String modelName) {
    StructType out = UnmixingParams.outputSchema(dataset.schema(), inputCol, outputCol, rmseCol);
    PixelRows pixels = checkedRows(dataset, channels, inputCol, modelName);

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
    return withColumns(rows, out);
  }

  /** The spectrum reader of {@code dataset}; a channel count other than the model's is refused, naming both. */
  private static PixelRows checkedRows(Dataset<?> dataset, int channels, String inputCol, String modelName) {
    EnergyAxis axis = SpectrumColumn.axisOf(dataset.schema(), inputCol);
    if (axis != null && axis.channels() != channels) {
      throw new BadInputException("input dataset", "spectra have " + axis.channels() + " channels but model "
          + modelName + " has " + channels);
    }
    return new PixelRows(dataset.schema(), inputCol, channels, true, "input dataset");
  }

  /**
   * As {@link #append}, with the spectra of up to {@code block} rows unmixed together: the rows of a block are
   * copied (Spark reuses row objects), solved at once, then emitted. Memory per task: one block of rows.
   */
  static Dataset<Row> appendBlocks(Dataset<?> dataset, int channels, int components, int block,
      BlockSolverFactory solvers, String inputCol, String outputCol, String rmseCol, String modelName) {
    StructType out = UnmixingParams.outputSchema(dataset.schema(), inputCol, outputCol, rmseCol);
    PixelRows pixels = checkedRows(dataset, channels, inputCol, modelName);
    RDD<InternalRow> rows = PixelRows.of(dataset).mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          private final BlockSolver solver = solvers.newSolver();
          private final InternalRow[] held = new InternalRow[block];
          private final float[] y = new float[block * channels];
          private final float[] one = new float[channels];
          private final double[] a = new double[block * components];
          private final double[] rmse = new double[block];
          private final double[] pixel = new double[components];
          private final GenericInternalRow extra = new GenericInternalRow(2);
          private final JoinedRow joined = new JoinedRow();
          private final UnsafeProjection toUnsafe = UnsafeProjection.create(out);
          private int count;
          private int next;

          @Override
          public boolean hasNext() {
            if (next == count) {
              fill();
            }
            return next < count;
          }

          private void fill() {
            count = 0;
            next = 0;
            while (count < block && it.hasNext()) {
              InternalRow row = it.next();
              pixels.spectrum(row, one);
              System.arraycopy(one, 0, y, count * channels, channels);
              held[count++] = row.copy();
            }
            if (count > 0) {
              solver.solve(y, count, a, rmse);
            }
          }

          @Override
          public InternalRow next() {
            if (!hasNext()) {
              throw new java.util.NoSuchElementException();
            }
            int p = next++;
            System.arraycopy(a, p * components, pixel, 0, components);
            extra.update(0, UnsafeArrayData.fromPrimitiveArray(pixel));
            extra.update(1, rmse[p]);
            return toUnsafe.apply(joined.apply(held[p], extra));
          }
        }).rdd();
    return withColumns(rows, out);
  }

  private static Dataset<Row> withColumns(RDD<InternalRow> rows, StructType out) {
    // internalCreateDataFrame is Spark-internal (private[sql], public in bytecode): it accepts binary rows as they
    // are, the one way to append columns without a round trip through boxed Rows. Pinned Spark 3.5.
    return SparkSession.active().internalCreateDataFrame(rows, out, false);
  }
}
