package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The chain state of a block of pixels between BLU sweeps: per pixel its subspace coordinates z (K), stream key,
 * first abundances (R), current abundances (R) and the running sums of the kept draws, {@code Σ a} and
 * {@code Σ a²} (R each: posterior mean and standard deviation without storing the chain), plus the statistics of
 * the pass that made it. {@link #sweep} returns a new block and leaves this one as it was (Spark may read a cached
 * block again); the immutable z, keys and first abundances are shared, not copied.
 */
public final class BluChainBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] z;
  private final long[] keys;
  private final double[] initial;
  private final double[] current;
  private final double[] sum;
  private final double[] sumSquares;
  private final int kept;
  private final int dims;
  private final int components;
  private final BluStatistics statistics;

  BluChainBlock(double[] z, long[] keys, double[] initial, int dims, int components, BluStatistics statistics) {
    this(z, keys, initial, initial.clone(), new double[initial.length], new double[initial.length], 0, dims,
        components, statistics);
  }

  private BluChainBlock(double[] z, long[] keys, double[] initial, double[] current, double[] sum,
      double[] sumSquares, int kept, int dims, int components, BluStatistics statistics) {
    this.z = z;
    this.keys = keys;
    this.initial = initial;
    this.current = current;
    this.sum = sum;
    this.sumSquares = sumSquares;
    this.kept = kept;
    this.dims = dims;
    this.components = components;
    this.statistics = statistics;
  }

  public int count() {
    return keys.length;
  }

  /** The statistics of the pass that made this block. */
  public BluStatistics statistics() {
    return statistics;
  }

  /** One Gibbs sweep of every pixel's abundances. */
  public BluChainBlock sweep(BluStep.Sweep step) {
    int r = components;
    double[] a = (step.restart() ? initial : current).clone();
    double[] s = sum.clone();
    double[] s2 = sumSquares.clone();
    SimplexGibbs gibbs = step.gibbs();
    double[] work = new double[gibbs.workLength()];
    KeyedRandom rng = new KeyedRandom(0);
    BluStatistics stats = step.newStatistics();
    for (int p = 0; p < keys.length; p++) {
      gibbs.sample(z, p * dims, a, p * r, Blu.GIBBS_PASSES, rng.reset(step.key(keys[p])), work);
      stats.add(z, p * dims, a, p * r);
      if (step.keep()) {
        for (int j = p * r; j < (p + 1) * r; j++) {
          s[j] += a[j];
          s2[j] += a[j] * a[j];
        }
      }
    }
    return new BluChainBlock(z, keys, initial, a, s, s2, kept + (step.keep() ? 1 : 0), dims, components, stats);
  }

  /** Posterior means (N × R) from the kept draws. */
  public double[] mean() {
    double[] m = new double[sum.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = sum[j] / kept;
    }
    return m;
  }

  /** Posterior standard deviations (N × R) from the kept draws' sums of squares. */
  public double[] std() {
    double[] sd = new double[sum.length];
    for (int j = 0; j < sd.length; j++) {
      sd[j] = Blu.std(sum[j], sumSquares[j], kept);
    }
    return sd;
  }
}
