package org.eelsunmix.spark.ml;

import java.util.Iterator;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelRows;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.unmix.Fcls;

/**
 * Per-pixel fully constrained abundances for fixed endmembers, inside partitions: one {@link Fcls.Solver} with its
 * buffers per partition, the endmember set shipped once in the closure. Appends {@code abundances} and
 * {@code rmse} (root mean square over channels of {@code y − Mᵀa}) to every row; nothing is collected.
 *
 * <p>It works on Spark's binary rows ({@code InternalRow}): the public {@code Row} API boxes each of the B channels
 * into a {@code Float} before the solver sees them, which a profile of a 512×512 cube showed costing about 30 times
 * the FCLS solve itself. The input columns are passed through untouched, the two new ones appended.
 */
final class FclsTransform {
  private FclsTransform() {}

  static Dataset<Row> apply(Dataset<?> dataset, Endmembers endmembers, String inputCol, String outputCol,
      String rmseCol, String modelName) {
    StructType in = dataset.schema();
    StructType out = UnmixingParams.outputSchema(in, inputCol, outputCol, rmseCol);
    int channels = endmembers.channels();
    EnergyAxis axis = SpectrumColumn.axisOf(in, inputCol);
    if (axis != null && axis.channels() != channels) {
      throw new BadInputException("input dataset", "spectra have " + axis.channels() + " channels but model "
          + modelName + " has " + channels);
    }
    PixelRows pixels = new PixelRows(in, inputCol, channels, true, "input dataset");
    Fcls fcls = new Fcls(endmembers.matrix());
    int r = fcls.endmemberCount();

    RDD<InternalRow> rows = PixelRows.of(dataset).mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          private final Fcls.Solver solver = fcls.newSolver();
          private final float[] y = new float[channels];
          private final double[] a = new double[r];
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
            solver.solve(y, 0, a);
            double rmse = Math.sqrt(solver.residualSquared(y, 0, a) / channels);
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
