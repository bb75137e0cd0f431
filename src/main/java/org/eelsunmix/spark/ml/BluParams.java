package org.eelsunmix.spark.ml;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.eelsunmix.unmix.Blu;

/** BLU's params, declared once for {@link BluEstimator} and {@link BluModel} (as MLlib's shared traits are). */
final class BluParams {
  /** The default of {@code stdCol}: the posterior standard deviations beside {@code abundances}. */
  static final String STD_COL = org.eelsunmix.spark.PixelSchema.ABUNDANCES_STD;

  private BluParams() {}

  static IntParam sweeps(Params owner) {
    return new IntParam(owner, "sweeps", "Gibbs sweeps per chain (>= 1, more than burnIn)", ParamValidators.gtEq(1));
  }

  static IntParam burnIn(Params owner) {
    return new IntParam(owner, "burnIn", "sweeps discarded at the start of each chain (>= 0, fewer than sweeps)",
        ParamValidators.gtEq(0));
  }

  static IntParam chains(Params owner) {
    return new IntParam(owner, "chains", "independent chains from the same start, pooled; split-R-hat over them "
        + "(>= 1)", ParamValidators.gtEq(1));
  }

  static Param<String> stdCol(Params owner) {
    return new Param<>(owner, "stdCol", "output column of the abundances' posterior standard deviations");
  }

  /** The authors' schedule: 100 sweeps, 33 burn-in; one chain; {@code abundances_std}. */
  static void setDefaults(Params owner, IntParam sweeps, IntParam burnIn, IntParam chains, Param<String> stdCol) {
    owner.setDefault(sweeps, Blu.DEFAULT_SWEEPS);
    owner.setDefault(burnIn, Blu.DEFAULT_BURN_IN);
    owner.setDefault(chains, 1);
    owner.setDefault(stdCol, STD_COL);
  }
}
