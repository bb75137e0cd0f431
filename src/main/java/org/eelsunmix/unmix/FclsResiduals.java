package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The reconstruction error of several endmember sets over the same pixels, accumulated in one pass: for each set
 * {@code M} the mean over pixels of the FCLS residual {@code ‖y − Mᵀa‖²} ({@code a} the set's fully constrained
 * abundances of {@code y}). It needs no ground truth, so it can choose between candidate sets (VCA's restarts).
 *
 * <p>A mergeable accumulator: one per Spark partition (or one for an in-memory image), {@link #merge}d on the way to
 * the driver. The sets and their solvers stay where the accumulator was made ({@code transient}): what travels back
 * is one sum per set and the pixel count. Mutable; not thread-safe.
 */
public final class FclsResiduals implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] sums;
  private long count;
  private final transient Fcls.Solver[] solvers;
  private final transient double[] abundances;

  /** An empty accumulator for {@code sets} (each set's solver and buffers made once, here). */
  public FclsResiduals(Fcls[] sets) {
    sums = new double[sets.length];
    solvers = new Fcls.Solver[sets.length];
    int most = 1;
    for (int j = 0; j < sets.length; j++) {
      solvers[j] = sets[j].newSolver();
      most = Math.max(most, sets[j].endmemberCount());
    }
    abundances = new double[most];
  }

  /** Adds the spectrum {@code y[offset .. offset + B)}: one FCLS solve per set; returns this. */
  public FclsResiduals add(float[] y, int offset) {
    for (int j = 0; j < solvers.length; j++) {
      solvers[j].solve(y, offset, abundances);
      sums[j] += solvers[j].residualSquared(y, offset, abundances);
    }
    count++;
    return this;
  }

  /** Adds {@code other}'s pixels (same sets, in the same order) to this one; returns this. */
  public FclsResiduals merge(FclsResiduals other) {
    if (other.sums.length != sums.length) {
      throw new IllegalArgumentException("merging residuals of " + other.sums.length + " sets into " + sums.length);
    }
    for (int j = 0; j < sums.length; j++) {
      sums[j] += other.sums[j];
    }
    count += other.count;
    return this;
  }

  /** Pixels added so far. */
  public long count() {
    return count;
  }

  /** Per set, the mean squared residual {@code Σ‖y − Mᵀa‖² / N} (NaN before any pixel). */
  public double[] means() {
    double[] m = new double[sums.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = count == 0 ? Double.NaN : sums[j] / count;
    }
    return m;
  }
}
