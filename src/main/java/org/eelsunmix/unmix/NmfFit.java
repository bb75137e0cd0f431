package org.eelsunmix.unmix;

import java.util.Arrays;
import org.eelsunmix.core.BadInputException;

/**
 * The NMF iteration loop of scikit-learn's {@code NMF.fit} (Pedregosa et al., JMLR 12:2825–2830, 2011) written
 * once for every place the pixels can live ({@link NmfPixelPasses}): the start, then per iteration one pass that
 * updates every pixel's abundances and sums {@code WᵀW}, {@code WᵀY} ({@link NmfStatistics}), then the endmember
 * step ({@link NmfEndmemberUpdate}), the objective and the stopping rule on the driver. {@link Nmf#fit} runs it
 * over one image in memory, the Spark estimator over partitioned pixel rows; same seed and options, same numbers
 * (to the rounding of the partial sums).
 *
 * <p>Stopping, as scikit-learn: {@code cd} stops when the summed |projected gradient| of an iteration (abundance
 * and endmember steps) is at most {@code tol} times that of the first iteration; {@code mu} checks every 10
 * iterations and stops when {@code ‖Y − WH‖_F} fell by less than {@code tol} times its starting value since the
 * last check; both stop after {@code maxIterations}.
 */
public final class NmfFit {
  private NmfFit() {}

  /**
   * What the loop leaves on the driver (W stays with the pixels, in the {@link NmfPixelPasses}).
   *
   * @param endmembers H, row-major R × B, on the scale of the counts (not rescaled)
   * @param components R
   * @param init the start used ({@code auto} resolved)
   * @param iterations iterations run
   * @param converged whether the stopping rule (not the cap) ended the run
   * @param objectiveHistory {@code ½‖Y − W H‖²} from the statistics at the start (index 0) and after each
   *     iteration (index k); accurate to about {@code 1e-16 ‖Y‖²}
   * @param dataNormSquared {@code ‖Y‖²}
   */
  public record Outcome(double[] endmembers, int components, String init, int iterations, boolean converged,
      double[] objectiveHistory, double dataNormSquared) {}

  /** Runs the fit: at most {@code o.maxIterations()} passes after the start. */
  public static Outcome run(NmfPixelPasses pixels, Nmf.Options o) {
    final int b = pixels.channels();
    final long n = pixels.pixels();
    final int r = o.components();
    if (n < 1) {
      throw new BadInputException("input", "has no pixels to factorise");
    }
    String init = o.resolvedInit(n, b);
    NmfSolver solver = o.solverKind();

    NmfInitialisation start;
    if (NmfInitialisation.RANDOM.equals(init)) {
      start = NmfInitialisation.random(pixels.meanCount(), r, b, o.seed());
    } else {
      start = NmfInitialisation.nndsvd(init, pixels.moments(), r, o.seed());
      start = start.withPartNorms(pixels.partNorms(start));
    }
    double[] h = start.endmembers();
    NmfStatistics stats = pixels.start(start);

    double[] history = new double[o.maxIterations() + 1];
    history[0] = stats.objective(h);
    double errorAtStart = Math.sqrt(2 * Math.max(0, history[0]));
    double previousError = errorAtStart;
    double firstViolation = 0;
    boolean converged = false;
    int iteration = 0;
    while (iteration < o.maxIterations()) {
      iteration++;
      stats = pixels.update(new NmfAbundanceUpdate(solver, h, r));
      double total = stats.violation() + NmfEndmemberUpdate.update(solver, h, stats);
      history[iteration] = stats.objective(h);
      if (solver == NmfSolver.CD) {
        if (iteration == 1) {
          firstViolation = total;
        }
        if (firstViolation == 0 || total / firstViolation <= o.tol()) {
          converged = true;
          break;
        }
      } else if (o.tol() > 0 && iteration % Nmf.MU_CHECK_EVERY == 0) {
        double error = Math.sqrt(2 * Math.max(0, history[iteration]));
        if (errorAtStart == 0 || (previousError - error) / errorAtStart < o.tol()) {
          converged = true;
          break;
        }
        previousError = error;
      }
    }
    return new Outcome(h, r, init, iteration, converged, Arrays.copyOf(history, iteration + 1),
        stats.dataNormSquared());
  }
}
