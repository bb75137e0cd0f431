package org.eelsunmix.spark.ml;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
    PixelRows rows = new PixelRows(in, inputCol, channels, true, "input dataset");
    Fcls fcls = new Fcls(endmembers.matrix());
    int width = in.size();
    MapPartitionsFunction<Row, Row> f = it -> new Iterator<>() {
      private final Fcls.Solver solver = fcls.newSolver();
      private final float[] y = new float[channels];

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Row next() {
        Row row = it.next();
        rows.spectrum(row, y);
        double[] a = new double[fcls.endmemberCount()];
        solver.solve(y, 0, a);
        double rmse = Math.sqrt(solver.residualSquared(y, 0, a) / channels);
        Object[] values = new Object[width + 2];
        for (int i = 0; i < width; i++) {
          values[i] = row.get(i);
        }
        values[width] = a;
        values[width + 1] = rmse;
        return RowFactory.create(values);
      }
    };
    return dataset.toDF().mapPartitions(f, Encoders.row(out));
  }
}
