package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The reconstruction error of several endmember sets over the same pixels, accumulated in one pass: for each set
 * {@code M} the mean over pixels of the FCLS residual {@code ‖y − Mᵀa‖²} ({@code a} the set's fully constrained
 * abundances of {@code y}). It needs no ground truth, so it can choose between candidate sets (VCA's restarts).
 *
 * <p>A mergeable accumulator: one per Spark partition (or one for an in-memory image), {@link #merge}d on the way to
 * the driver. The sets and their solvers stay where the accumulator was made ({@code transient}): what travels back
 * is one sum per set and the pixel count. Pixels are buffered {@value #BLOCK} at a time and solved as a block
 * ({@link Fcls.Solver#solveBlock}); each set's sum adds the pixels' residuals in pixel order, so the result has the
 * bits of one pixel at a time. Mutable; not thread-safe.
 */
public final class FclsResiduals implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] sums;
  private long count;
  /** Pixels per block solve. */
  static final int BLOCK = 64;
  private final transient Fcls.Solver[] solvers;
  private final transient double[] abundances;
  private final transient double[] residuals;
  private final transient float[] pending;
  private transient int pendingCount;
  private transient int channels;

  /** An empty accumulator for {@code sets} (each set's solver and buffers made once, here). */
  public FclsResiduals(Fcls[] sets) {
    sums = new double[sets.length];
    solvers = new Fcls.Solver[sets.length];
    int most = 1;
    for (int j = 0; j < sets.length; j++) {
      solvers[j] = sets[j].newSolver();
      most = Math.max(most, sets[j].endmemberCount());
    }
    abundances = new double[BLOCK * most];
    residuals = new double[BLOCK];
    channels = sets.length == 0 ? 0 : sets[0].channels();
    for (Fcls set : sets) {
      if (set.channels() != channels) {
        throw new IllegalArgumentException("endmember sets of " + channels + " and " + set.channels() + " channels");
      }
    }
    pending = new float[BLOCK * channels];
  }

  /** Adds the spectrum {@code y[offset .. offset + B)}: one FCLS solve per set; returns this. */
  public FclsResiduals add(float[] y, int offset) {
    if (offset < 0 || offset > y.length - channels) {
      throw new IndexOutOfBoundsException(
          "spectrum of " + channels + " channels at offset " + offset + " lies outside an array of " + y.length);
    }
    System.arraycopy(y, offset, pending, pendingCount * channels, channels);
    count++;
    if (++pendingCount == BLOCK) {
      flush();
    }
    return this;
  }

  /** Solves the buffered pixels against every set and adds their residuals, in pixel order. */
  private void flush() {
    if (pendingCount == 0) {
      return;
    }
    for (int j = 0; j < solvers.length; j++) {
      solvers[j].solveBlock(pending, 0, pendingCount, abundances, residuals);
      double s = sums[j];
      for (int p = 0; p < pendingCount; p++) {
        s += residuals[p];
      }
      sums[j] = s;
    }
    pendingCount = 0;
  }

  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flush(); // the buffer and solvers stay here: fold the pixels in before the sums travel
    out.defaultWriteObject();
  }

  /** Adds {@code other}'s pixels (same sets, in the same order) to this one; returns this. */
  public FclsResiduals merge(FclsResiduals other) {
    if (other.sums.length != sums.length) {
      throw new IllegalArgumentException("merging residuals of " + other.sums.length + " sets into " + sums.length);
    }
    flush();
    other.flush();
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
    flush();
    double[] m = new double[sums.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = count == 0 ? Double.NaN : sums[j] / count;
    }
    return m;
  }
}
