package org.eelsunmix.unmix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eelsunmix.core.PixelKey;

/**
 * VCA's search run from K seeds at once ({@code seed, seed + 1, …, seed + K − 1}): the driver-side state of K
 * {@link VcaSearch}es that step together, so that one pass over the projected pixels scores each pixel along all K
 * current directions ({@link VcaProjection#scores}) and K restarts cost about one VCA in passes. The random
 * directions of one restart are exactly those of a single VCA with its seed, so restart k finds what
 * {@code Vca.fit} with seed {@code seed + k} and one restart finds.
 *
 * <p>Which set is kept is decided without ground truth, by the reconstruction error of each set
 * ({@link FclsResiduals}, one more pass): the lowest mean FCLS residual wins. Restarts that picked the same pixels
 * (in any order) are the same set: its error is computed once and they tie exactly. Losses within
 * {@value #TIE} (relative) of the lowest also count as tied, so the rounding of a distributed sum cannot change the
 * pick; a tie goes to the lowest restart index.
 *
 * <p>{@code Vca.fit} and the Spark estimator drive this same class; the passes are theirs. Not thread-safe.
 */
public final class VcaRestarts {
  /** Relative difference of two losses below which they count as equal. */
  public static final double TIE = 1e-9;
  private final VcaProjection projection;
  private final double lift;
  private final int endmembers;
  private final VcaSearch[] searches;
  private final double[][][] spectra; // restart × endmember × channel
  private final PixelKey[][] keys; // restart × endmember
  private final double[] point;

  /**
   * @param projection the projection every restart shares
   * @param lift the projective lift {@code c} (0 for the perspective projection)
   * @param seed the seed of restart 0
   * @param restarts K, ≥ 1
   */
  public VcaRestarts(VcaProjection projection, double lift, long seed, int restarts) {
    if (restarts < 1) {
      throw new IllegalArgumentException("restarts must be at least 1, got " + restarts);
    }
    this.projection = projection;
    this.lift = lift;
    this.endmembers = projection.endmembers();
    searches = new VcaSearch[restarts];
    for (int k = 0; k < restarts; k++) {
      searches[k] = new VcaSearch(endmembers, seed + k);
    }
    spectra = new double[restarts][endmembers][];
    keys = new PixelKey[restarts][endmembers];
    point = new double[endmembers];
  }

  /** K. */
  public int restarts() {
    return searches.length;
  }

  /** Whether every restart has found all its endmembers. */
  public boolean done() {
    return searches[0].found() == endmembers;
  }

  /** The K directions of the next search pass (restart order), to score every pixel against. */
  public double[][] nextDirections() {
    double[][] f = new double[searches.length][];
    for (int k = 0; k < f.length; k++) {
      f[k] = searches[k].nextDirection();
    }
    return f;
  }

  /** Records the winner of the last pass along each restart's direction (restart order, none null). */
  public void accept(VcaCandidate[] winners) {
    if (winners.length != searches.length) {
      throw new IllegalArgumentException(winners.length + " winners for " + searches.length + " restarts");
    }
    for (int k = 0; k < winners.length; k++) {
      VcaCandidate w = winners[k];
      int i = searches[k].found();
      projection.simplexPoint(w.projection(), lift, point);
      searches[k].accept(point);
      spectra[k][i] = projection.spectrum(w.projection());
      keys[k][i] = w.key();
    }
  }

  /**
   * Runs every restart's search to the end over {@code passes} (R candidate passes, K directions each) and, with
   * K &gt; 1, one residual pass over the distinct sets; returns each restart's loss ({@link #restartLosses}; one
   * NaN with K = 1). The kept restart is {@link #kept}{@code (losses)}. This is the driver loop of every method
   * that starts from VCA through its own passes (BLU, uDAS).
   */
  public double[] search(VcaPasses passes) {
    while (!done()) {
      accept(passes.candidates(projection, nextDirections(), lift));
    }
    if (searches.length == 1) {
      return new double[] {Double.NaN};
    }
    return restartLosses(passes.residuals(distinctSets()).means());
  }

  /** Restart k's endmember spectra (R × B, in the order found); the arrays are this object's. */
  public double[][] endmembers(int k) {
    return spectra[k];
  }

  /** Where restart k found its endmembers. */
  public List<PixelKey> pixels(int k) {
    return List.of(keys[k]);
  }

  /** For each restart, the lowest restart that picked the same pixels (itself when none did). */
  private int[] firstOfSameSet() {
    int[] first = new int[searches.length];
    List<List<PixelKey>> sorted = new ArrayList<>();
    for (int k = 0; k < first.length; k++) {
      PixelKey[] s = keys[k].clone();
      Arrays.sort(s);
      sorted.add(List.of(s));
      first[k] = sorted.indexOf(sorted.get(k));
    }
    return first;
  }

  /** One FCLS problem per distinct endmember set (restart order of first appearance), for {@link FclsResiduals}. */
  public Fcls[] distinctSets() {
    int[] first = firstOfSameSet();
    List<Fcls> sets = new ArrayList<>();
    for (int k = 0; k < first.length; k++) {
      if (first[k] == k) {
        sets.add(new Fcls(spectra[k]));
      }
    }
    return sets.toArray(new Fcls[0]);
  }

  /** Every restart's loss, from the losses of {@link #distinctSets()} (same order). */
  public double[] restartLosses(double[] distinctLosses) {
    int[] first = firstOfSameSet();
    double[] losses = new double[first.length];
    int next = 0;
    for (int k = 0; k < first.length; k++) {
      losses[k] = first[k] == k ? distinctLosses[next++] : losses[first[k]];
    }
    if (next != distinctLosses.length) {
      throw new IllegalArgumentException(distinctLosses.length + " losses for " + next + " distinct sets");
    }
    return losses;
  }

  /**
   * The kept restart: the lowest index whose loss is within {@value #TIE} (relative) of the lowest loss; 0 when
   * no loss is a number (one restart: nothing to compare).
   */
  public static int kept(double[] losses) {
    double min = Double.POSITIVE_INFINITY;
    for (double l : losses) {
      if (l < min) { // NaN never wins
        min = l;
      }
    }
    for (int k = 0; k < losses.length; k++) {
      if (losses[k] <= min + TIE * Math.abs(min)) {
        return k;
      }
    }
    return 0;
  }
}
