package org.eelsunmix.spark.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.Fcls;

/**
 * Per-pixel fully constrained abundances for fixed endmembers, inside partitions: one {@link Fcls.Solver} with its
 * buffers per partition, the endmember set shipped once in the closure. Appends {@code abundances} and
 * {@code rmse} (root mean square over channels of {@code y − Mᵀa}) to every row; nothing is collected.
 *
 * <p>It works on Spark's binary rows ({@link PixelTransform}): the public {@code Row} API boxes each of the B
 * channels into a {@code Float} before the solver sees them, which a profile of a 512×512 cube showed costing about
 * 30 times the FCLS solve itself. The input columns are passed through untouched, the two new ones appended. Rows go
 * through in blocks ({@link PixelTransform#applyBlocks}), so that the residuals of several pixels are summed side by
 * side ({@link Fcls.Solver#solveBlock}, bit-identical to one pixel at a time). Over a vectorised Parquet scan the
 * blocks are read straight from the reader's column batches ({@link ColumnarScan}, {@link BatchRows}): same values.
 */
final class FclsTransform {
  /** Rows solved together ({@link Fcls.Solver#solveBlock}); a few hundred kB of copied rows per task. */
  static final int BLOCK = 256;

  private FclsTransform() {}

  static Dataset<Row> apply(Dataset<?> dataset, Endmembers endmembers, String inputCol, String outputCol,
      String rmseCol, String modelName) {
    SharedParams.outputSchema(dataset.schema(), inputCol, outputCol, rmseCol);
    Fcls fcls = new Fcls(endmembers.matrix());
    return PixelTransform.applyBlocks(dataset, endmembers.channels(), fcls.endmemberCount(), BLOCK, new Kernel(fcls),
        inputCol, outputCol, rmseCol, modelName);
  }

  /**
   * The result columns of {@link #apply} alone ({@link PixelTransform#resultBlocks}: from the Parquet pages of a plain
   * scan of a pixel table, same values).
   */
  static Dataset<Row> results(Dataset<?> dataset, Endmembers endmembers, String inputCol, String outputCol,
      String rmseCol, String modelName) {
    SharedParams.outputSchema(dataset.schema(), inputCol, outputCol, rmseCol);
    Fcls fcls = new Fcls(endmembers.matrix());
    return PixelTransform.resultBlocks(dataset, endmembers.channels(), fcls.endmemberCount(), BLOCK,
        new Kernel(fcls), inputCol, outputCol, rmseCol, null, modelName);
  }

  /** FCLS of a block, RMSE over channels; a pixel's result does not depend on its block (columnar blocks allowed). */
  private record Kernel(Fcls fcls) implements PixelTransform.BlockKernel {
    @Override
    public PixelTransform.BlockSolver newSolver() {
      Fcls.Solver solver = fcls.newSolver();
      int channels = fcls.channels();
      return (y, count, keys, a, rmse) -> {
        solver.solveBlock(y, 0, count, a, rmse);
        for (int p = 0; p < count; p++) {
          rmse[p] = Math.sqrt(rmse[p] / channels);
        }
      };
    }

    @Override
    public boolean blockIndependent() {
      return true;
    }
  }
}
