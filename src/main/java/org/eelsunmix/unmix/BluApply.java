package org.eelsunmix.unmix;

import java.io.Serializable;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;

/**
 * A fitted BLU model applied to new pixels (Dobigeon et al. 2009 with M and σ² fixed at their posterior means):
 * pixels are then independent, and each one runs its own abundance chain, {@code sweeps} Gibbs sweeps of
 * {@link SimplexGibbs} in the spectral domain (the model's spectra are the vertices), started from
 * {@code |pinv(M) y|} renormalised, the eliminated component of each sweep shared by all pixels. The kept draws
 * (after {@code burnIn}) give each abundance's posterior mean and standard deviation. Streams are keyed by
 * (seed, sweep, pixel address) as in the fit, so a pixel's result depends on nothing else.
 */
public final class BluApply implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The chain number of apply streams (fits use 0, 1, …). */
  private static final int APPLY_CHAIN = -1;
  private static final long ELIMINATED_STREAM = -2;
  private final double[][] endmembers;
  private final int sweeps;
  private final int burnIn;
  private final long seed;
  private final double[] pseudoInverse;
  private final SimplexGibbs[] conditionals; // one per eliminated component
  private final int[] eliminated; // per sweep

  /**
   * @param endmembers R × B spectra (counts)
   * @param noiseVariance σ² (counts²)
   */
  public BluApply(double[][] endmembers, double noiseVariance, long seed, int sweeps, int burnIn) {
    new Blu.Options(endmembers.length, seed, sweeps, burnIn, 1); // checks R, sweeps, burn-in
    this.endmembers = endmembers;
    this.sweeps = sweeps;
    this.burnIn = burnIn;
    this.seed = seed;
    this.pseudoInverse = Blu.pseudoInverse(endmembers);
    int r = endmembers.length;
    double variance = Math.max(Blu.MIN_NOISE_VARIANCE, noiseVariance);
    conditionals = new SimplexGibbs[r];
    for (int l = 0; l < r; l++) {
      conditionals[l] = new SimplexGibbs(endmembers, variance, l);
    }
    eliminated = new int[sweeps + 1];
    for (int s = 1; s <= sweeps; s++) {
      eliminated[s] = new KeyedRandom(KeyedRandom.key(seed, APPLY_CHAIN, s, ELIMINATED_STREAM)).nextInt(r);
    }
  }

  public int components() {
    return endmembers.length;
  }

  public int channels() {
    return endmembers[0].length;
  }

  /** Per-pixel work with its own buffers; one per thread. */
  public Solver newSolver() {
    return new Solver();
  }

  /** Posterior means and standard deviations (H × W × R each) of every pixel of {@code image}. */
  public Abundances[] image(SpectrumImage image) {
    int r = components();
    double[] mean = new double[image.pixels() * r];
    double[] std = new double[image.pixels() * r];
    Solver solver = newSolver();
    for (int p = 0; p < image.pixels(); p++) {
      solver.solve(image.data(), p * image.channels(), KeyedRandom.pixel(image.id(), p / image.width(),
          p % image.width()), mean, p * r, std, p * r);
    }
    return new Abundances[] {new Abundances(image.height(), image.width(), r, mean),
        new Abundances(image.height(), image.width(), r, std)};
  }

  /** Buffers of one thread. */
  public final class Solver {
    private final double[] y = new double[channels()];
    private final double[] a = new double[components()];
    private final double[] sum = new double[components()];
    private final double[] squares = new double[components()];
    private final double[] work = new double[conditionals[0].workLength()];
    private final KeyedRandom rng = new KeyedRandom(0);

    /**
     * Runs the pixel's chain for the spectrum {@code counts[offset .. + B)} with stream key {@code pixelKey}
     * ({@link KeyedRandom#pixel}); writes R means and R standard deviations; returns the RMSE over channels of
     * {@code y − Mᵀ ā}.
     */
    public double solve(float[] counts, int offset, long pixelKey, double[] mean, int meanOffset, double[] std,
        int stdOffset) {
      int r = components();
      int b = channels();
      for (int c = 0; c < b; c++) {
        y[c] = counts[offset + c];
      }
      Blu.initialAbundances(pseudoInverse, r, y, 0, a, 0);
      java.util.Arrays.fill(sum, 0);
      java.util.Arrays.fill(squares, 0);
      for (int s = 1; s <= sweeps; s++) {
        rng.reset(KeyedRandom.key(seed, APPLY_CHAIN, s, pixelKey));
        conditionals[eliminated[s]].sample(y, 0, a, 0, Blu.GIBBS_PASSES, rng, work);
        if (s > burnIn) {
          for (int e = 0; e < r; e++) {
            sum[e] += a[e];
            squares[e] += a[e] * a[e];
          }
        }
      }
      int kept = sweeps - burnIn;
      for (int e = 0; e < r; e++) {
        mean[meanOffset + e] = sum[e] / kept;
        std[stdOffset + e] = Blu.std(sum[e], squares[e], kept);
      }
      double residual = 0;
      for (int c = 0; c < b; c++) {
        double d = y[c];
        for (int e = 0; e < r; e++) {
          d -= endmembers[e][c] * mean[meanOffset + e];
        }
        residual += d * d;
      }
      return Math.sqrt(residual / b);
    }
  }
}
