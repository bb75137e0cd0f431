package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * The per-pixel work of a BLU pass, shipped from the driver to wherever the pixels are (one image in memory, or
 * every partition): {@link Start} moves a pixel into the endmember subspace and gives it its first abundances;
 * {@link Sweep} draws its abundances for one Gibbs sweep. Immutable and serialisable.
 */
public final class BluStep {
  private BluStep() {}

  /**
   * The start pass. A spectrum y (counts) is scaled, {@code y' = y / s}; its subspace coordinates are
   * {@code z = Uᵀ(y' − ȳ')} and its first abundances those of the authors' code, {@code |pinv(M₀) y'|}
   * renormalised to sum to one (uniform when that is all zero).
   *
   * @param basis U, K × B row-major: row k is the k-th principal axis
   * @param mean ȳ' (scaled mean spectrum, B)
   * @param scale s, the norm of the mean spectrum in counts
   * @param pseudoInverse {@code pinv(M₀)} of the scaled start endmembers, R × B
   * @param components R
   * @param zBound bound on |z_k| ({@link BluStatistics})
   * @param normBound bound on {@code ‖y' − ȳ'‖²}
   * @param pixels N
   */
  public record Start(double[] basis, double[] mean, double scale, double[] pseudoInverse, int components,
      double zBound, double normBound, long pixels) implements Serializable {

    public int dims() {
      return components - 1;
    }

    public int channels() {
      return mean.length;
    }

    public BluStatistics newStatistics() {
      return new BluStatistics(dims(), components, zBound, normBound, pixels);
    }

    /**
     * Moves the spectrum {@code y[yOffset .. + B)} into the subspace: writes z and the first abundances, adds the
     * pixel's norms to {@code stats}. {@code work} holds B doubles.
     */
    public void pixel(float[] y, int yOffset, double[] z, int zOffset, double[] a, int aOffset, double[] work,
        BluStatistics stats) {
      int b = channels();
      int k = dims();
      for (int c = 0; c < b; c++) {
        work[c] = y[yOffset + c] / scale;
      }
      Blu.initialAbundances(pseudoInverse, components, work, 0, a, aOffset);
      for (int c = 0; c < b; c++) {
        work[c] -= mean[c];
      }
      double inside = 0;
      for (int j = 0; j < k; j++) {
        double s = 0;
        for (int c = 0; c < b; c++) {
          s += basis[j * b + c] * work[c];
        }
        z[zOffset + j] = s;
        inside += s * s;
      }
      double outside = 0;
      for (int c = 0; c < b; c++) {
        double d = work[c];
        for (int j = 0; j < k; j++) {
          d -= basis[j * b + c] * z[zOffset + j];
        }
        outside += d * d;
      }
      stats.addNorms(outside, inside);
      stats.add(z, zOffset, a, aOffset);
    }
  }

  /**
   * One sweep's abundance draws: {@link Blu#GIBBS_PASSES} passes of {@link SimplexGibbs} with the sweep's
   * endmembers (subspace coordinates), σ² and eliminated component, the pixel's stream keyed by
   * (seed, chain, sweep, pixel).
   *
   * @param gibbs the sweep's conditional (built once on the driver)
   * @param restart start from the pixel's first abundances (a new chain) instead of its current ones
   * @param keep add the draw to the pixel's running sums (after burn-in)
   */
  public record Sweep(SimplexGibbs gibbs, long seed, int chain, int sweep, boolean restart, boolean keep,
      double zBound, double normBound, long pixels) implements Serializable {

    public BluStatistics newStatistics() {
      return new BluStatistics(gibbs.components() - 1, gibbs.components(), zBound, normBound, pixels);
    }

    /** The stream key of a pixel in this sweep. */
    public long key(long pixelKey) {
      return KeyedRandom.key(seed, chain, sweep, pixelKey);
    }
  }
}
