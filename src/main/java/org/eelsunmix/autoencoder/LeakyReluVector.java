package org.eelsunmix.autoencoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.FloatLanes;

/**
 * {@link DenseMath}'s LeakyReLU loops on the JDK's Vector API, the scalar loops' values bit for bit: forward
 * {@code z > 0 ? z : slope·z} as a blend of {@code z} and {@code slope·z} under the mask {@code z > 0} (NaN and
 * {@code −0} take {@code slope·z}, as in the scalar loop), backward {@code ∂ ← slope·∂} under the mask
 * {@code z ≤ 0} (NaN leaves ∂ alone, as the scalar {@code if}). Why: C2 leaves the scalar loops unvectorised (a
 * conditional per value); the backward loop was a tenth of MTAEU's training samples (JFR). Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class LeakyReluVector {
  private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

  private LeakyReluVector() {}

  /** Whether this machine's vectors hold at least eight floats (else the API would emulate them, slowly). */
  static boolean usable() {
    return FloatLanes.usable();
  }

  /** The forward loop over the whole vectors of {@code [base, base + n)}; returns how many values it did. */
  static int forward(float[] z, int base, int n, float slope, float[] h) {
    final int lanes = SPECIES.length();
    int i = 0;
    for (; i + lanes <= n; i += lanes) {
      FloatVector v = FloatVector.fromArray(SPECIES, z, base + i);
      VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
      v.mul(slope).blend(v, positive).intoArray(h, base + i);
    }
    return i;
  }

  /** The backward loop over the whole vectors of {@code [base, base + n)}; returns how many values it did. */
  static int backward(float[] z, int base, int n, float slope, float[] d) {
    final int lanes = SPECIES.length();
    int i = 0;
    for (; i + lanes <= n; i += lanes) {
      VectorMask<Float> notPositive = FloatVector.fromArray(SPECIES, z, base + i).compare(VectorOperators.LE, 0f);
      FloatVector g = FloatVector.fromArray(SPECIES, d, base + i);
      g.blend(g.mul(slope), notPositive).intoArray(d, base + i);
    }
    return i;
  }
}
