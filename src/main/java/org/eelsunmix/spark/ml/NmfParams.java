package org.eelsunmix.spark.ml;

import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.eelsunmix.unmix.Nmf;
import org.eelsunmix.unmix.NmfInitialisation;
import org.eelsunmix.unmix.NmfSolver;

/**
 * The NMF params that {@link NmfEstimator} and {@link NmfModel} share (scikit-learn's names and defaults), built
 * for a given owner like {@link UnmixingParams}.
 */
final class NmfParams {
  private NmfParams() {}

  static Param<String> solver(Params owner) {
    return new Param<>(owner, "solver", "update rule: cd (coordinate descent, scikit-learn's default) or mu "
        + "(multiplicative update)", ParamValidators.inArray(List.of(NmfSolver.CD.cliName(), NmfSolver.MU.cliName())));
  }

  static Param<String> init(Params owner) {
    return new Param<>(owner, "init", "start: auto (nndsvda when R <= min(pixels, channels), else random), nndsvd, "
        + "nndsvda, nndsvdar or random", ParamValidators.inArray(List.of(NmfInitialisation.AUTO,
            NmfInitialisation.NNDSVD, NmfInitialisation.NNDSVDA, NmfInitialisation.NNDSVDAR, NmfInitialisation.RANDOM)));
  }

  static DoubleParam tol(Params owner) {
    return new DoubleParam(owner, "tol", "stopping tolerance (>= 0; 0 runs every iteration)", ParamValidators.gtEq(0));
  }

  static IntParam maxIter(Params owner) {
    return new IntParam(owner, "maxIter", "iteration cap (>= 1)", ParamValidators.gtEq(1));
  }

  static BooleanParam sumToOne(Params owner) {
    return new BooleanParam(owner, "sumToOne", "abundances as fractions of each pixel's fitted counts (sum 1) "
        + "instead of NMF's raw coefficients");
  }

  /** scikit-learn's defaults on an owner's params: auto start, cd, tol 1e-4, 200 iterations, raw coefficients. */
  static void setDefaults(Params owner, Param<String> solver, Param<String> init, DoubleParam tol, IntParam maxIter,
      BooleanParam sumToOne) {
    owner.setDefault(solver, NmfSolver.CD.cliName());
    owner.setDefault(init, NmfInitialisation.AUTO);
    owner.setDefault(tol, Nmf.DEFAULT_TOL);
    owner.setDefault(maxIter, Nmf.DEFAULT_MAX_ITERATIONS);
    owner.setDefault(sumToOne, false);
  }
}
