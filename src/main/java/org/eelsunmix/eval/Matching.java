package org.eelsunmix.eval;

import org.eelsunmix.core.SpectralAngle;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.linalg.Hungarian;

/**
 * The one-to-one pairing of estimated endmembers with true ones that minimises the summed spectral angle
 * (Hungarian method on the SAD matrix, {@link Hungarian}), as done before scoring in Palsson et al., IEEE Access
 * 2018, §IV: unmixing methods return endmembers in arbitrary order.
 *
 * <p>When the estimated count R̂ differs from the true count R, exactly {@code min(R, R̂)} pairs are formed (those
 * of least total angle). True endmembers left without a partner have {@link #estimateOf} {@code −1} and angle
 * NaN; surplus estimates are listed by {@link #unmatchedEstimated()}. Immutable.
 */
public final class Matching {
  private final int[] estimateOfTrue;
  private final double[] angles;
  private final int estimatedCount;

  private Matching(int[] estimateOfTrue, double[] angles, int estimatedCount) {
    this.estimateOfTrue = estimateOfTrue;
    this.angles = angles;
    this.estimatedCount = estimatedCount;
  }

  /**
   * Matches estimated endmembers to true ones by spectral angle.
   *
   * @throws org.eelsunmix.core.BadInputException when the two sets have different channel counts
   */
  public static Matching bySpectralAngle(Endmembers truth, Endmembers estimated) {
    return fromAngles(SpectralAngle.matrix(truth, estimated), estimated.count());
  }

  /**
   * Matching from a precomputed SAD matrix ({@code sad[true][estimated]}, all rows of length
   * {@code estimatedCount}).
   */
  public static Matching fromAngles(double[][] sad, int estimatedCount) {
    for (double[] row : sad) {
      if (row.length != estimatedCount) {
        throw new IllegalArgumentException("SAD matrix rows must have " + estimatedCount + " entries");
      }
    }
    int[] assignment = sad.length == 0 ? new int[0] : Hungarian.assign(sad);
    double[] angles = new double[sad.length];
    for (int i = 0; i < sad.length; i++) {
      angles[i] = assignment[i] >= 0 ? sad[i][assignment[i]] : Double.NaN;
    }
    return new Matching(assignment, angles, estimatedCount);
  }

  /** Number of true endmembers R. */
  public int trueCount() {
    return estimateOfTrue.length;
  }

  /** Number of estimated endmembers R̂. */
  public int estimatedCount() {
    return estimatedCount;
  }

  /** Number of matched pairs, {@code min(R, R̂)}. */
  public int pairs() {
    return Math.min(estimateOfTrue.length, estimatedCount);
  }

  /** Index of the estimate matched to true endmember {@code trueIndex}, or −1. */
  public int estimateOf(int trueIndex) {
    return estimateOfTrue[trueIndex];
  }

  /** For each true endmember, the index of its estimate or −1 (a copy). */
  public int[] estimateOfTrue() {
    return estimateOfTrue.clone();
  }

  /** SAD (radians) of each true endmember to its estimate, NaN when unmatched (a copy). */
  public double[] angles() {
    return angles.clone();
  }

  /** True endmembers without an estimate (only when R̂ &lt; R). */
  public int[] unmatchedTrue() {
    return IntStream.range(0, estimateOfTrue.length).filter(i -> estimateOfTrue[i] < 0).toArray();
  }

  /** Estimates not matched to any true endmember (only when R̂ &gt; R). */
  public int[] unmatchedEstimated() {
    boolean[] used = new boolean[estimatedCount];
    for (int j : estimateOfTrue) {
      if (j >= 0) {
        used[j] = true;
      }
    }
    return IntStream.range(0, estimatedCount).filter(j -> !used[j]).toArray();
  }

  @Override
  public String toString() {
    return "Matching" + Arrays.toString(estimateOfTrue) + " angles " + Arrays.toString(angles);
  }
}
