package org.eelsunmix.spark.ml;

import java.io.Serializable;

/**
 * How an {@link NmfEstimator} fit went (kept with the {@link NmfModel} and saved with it).
 *
 * @param init the start used ({@code auto} resolved)
 * @param iterations iterations run
 * @param converged whether the stopping rule (not the iteration cap) ended the fit
 * @param objectiveHistory {@code ½‖Y − W H‖²} at the start (index 0) and after each iteration (index k), from the
 *     aggregated statistics (accurate to about {@code 1e-16 ‖Y‖²}); never increases beyond that rounding
 * @param objective {@code ½‖Y − W H‖²} of the final factorisation, summed pixel by pixel and channel by channel
 * @param relativeResidual {@code ‖Y − W H‖² / ‖Y‖²} (0 for an all-zero table)
 */
public record NmfSummary(String init, int iterations, boolean converged, double[] objectiveHistory,
    double objective, double relativeResidual) implements Serializable {
  public NmfSummary {
    objectiveHistory = objectiveHistory.clone();
  }

  /** A copy of the history (records expose their arrays otherwise). */
  @Override
  public double[] objectiveHistory() {
    return objectiveHistory.clone();
  }

  /** scikit-learn's {@code reconstruction_err_}: {@code ‖Y − W H‖_F}. */
  public double reconstructionError() {
    return Math.sqrt(2 * objective);
  }
}
