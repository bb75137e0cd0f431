package org.eelsunmix.spark.ml;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.unmix.Fcls;

/**
 * Per-pixel fully constrained abundances for fixed endmembers, inside partitions ({@link AbundanceColumns}): one
 * {@link Fcls.Solver} with its buffers per partition. Appends {@code abundances} and {@code rmse} (root mean square
 * over channels of {@code y − Mᵀa}) to every row; nothing is collected.
 */
final class FclsTransform {
  private FclsTransform() {}

  static Dataset<Row> apply(Dataset<?> dataset, Endmembers endmembers, String inputCol, String outputCol,
      String rmseCol, String modelName) {
    int channels = endmembers.channels();
    Fcls fcls = new Fcls(endmembers.matrix());
    AbundanceColumns.SolverFactory solvers = () -> {
      Fcls.Solver solver = fcls.newSolver();
      return (y, a) -> {
        solver.solve(y, 0, a);
        return Math.sqrt(solver.residualSquared(y, 0, a) / channels);
      };
    };
    return AbundanceColumns.append(dataset, channels, fcls.endmemberCount(), solvers, inputCol, outputCol, rmseCol,
        modelName);
  }
}
