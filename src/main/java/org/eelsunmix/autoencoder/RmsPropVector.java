package org.eelsunmix.autoencoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.FloatLanes;

/**
 * {@link JavaRmsProp#step}'s element loop on the JDK's Vector API: the same float operations lane-wise, in the same
 * order; IEEE square root is correctly rounded in float as in double, so {@code √s} lane-wise has the bits of the
 * scalar {@code (float) Math.sqrt(s)}, and every update and state value is the scalar loop's ({@code JavaRmsPropTest}).
 * Why: C2 leaves the scalar loop unvectorised (its square root goes through double), 2.2 ms a step for MTAEU's
 * 820 000 k-edges parameters against 0.30–0.35 ms here (one core). Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class RmsPropVector {
  private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

  private RmsPropVector() {}

  /** Whether this machine's vectors hold at least eight floats (else the API would emulate them, slowly). */
  static boolean usable() {
    return FloatLanes.usable();
  }

  /** The whole vectors of {@code [0, n)}; returns how many elements it did (the caller does the rest). */
  static int step(float[] g, int gAt, float[] s, int sAt, int n, float learningRate, float decay, float epsilon) {
    final float keep = 1f - decay;
    final int lanes = SPECIES.length();
    int i = 0;
    for (; i + lanes <= n; i += lanes) {
      FloatVector gi = FloatVector.fromArray(SPECIES, g, gAt + i);
      FloatVector si = FloatVector.fromArray(SPECIES, s, sAt + i).mul(decay).add(gi.mul(gi).mul(keep));
      si.intoArray(s, sAt + i);
      gi.mul(learningRate).div(si.lanewise(VectorOperators.SQRT).add(epsilon)).intoArray(g, gAt + i);
    }
    return i;
  }
}
