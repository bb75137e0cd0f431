package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MixtureResiduals}' squared residual on the JDK's Vector API: four channels at a time, the four partial sums
 * the four lanes of one 256-bit vector, the spectrum widened from float to double four values at a time. Lane-wise
 * {@code mul} then {@code add} (never a fused multiply-add) round as Java's scalar {@code *} and {@code +}, so the
 * result has the bits of {@link MixtureResiduals#oneScalar}. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class MixtureResidualsVector {
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;

  private MixtureResidualsVector() {}

  /** Whether this machine's vectors hold at least four doubles (else the API would emulate them, slowly). */
  static boolean usable() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  static double one(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    if (r == 3) {
      return three(y, yOffset, a[aOffset], a[aOffset + 1], a[aOffset + 2], m, b);
    }
    if (r == 4) {
      return four(y, yOffset, a, aOffset, m, b);
    }
    DoubleVector s = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 3 < b; c += 4) {
      DoubleVector fit = DoubleVector.zero(D4);
      for (int t = 0; t < r; t++) {
        fit = fit.add(DoubleVector.fromArray(D4, m, t * b + c).mul(a[aOffset + t]));
      }
      DoubleVector e = widen(y, yOffset + c).sub(fit);
      s = s.add(e.mul(e));
    }
    double s0 = s.lane(0);
    for (; c < b; c++) {
      double fit = 0;
      for (int t = 0; t < r; t++) {
        fit += a[aOffset + t] * m[t * b + c];
      }
      double e = y[yOffset + c] - fit;
      s0 += e * e;
    }
    return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
  }

  /**
   * R = 3 with the abundances broadcast once. The fit {@code (a_0 M_0c + a_1 M_1c) + a_2 M_2c} equals
   * {@code ((0 + a_0 M_0c) + a_1 M_1c) + a_2 M_2c} except perhaps for the sign of a zero, which the square removes.
   */
  private static double three(float[] y, int yOffset, double a0, double a1, double a2, double[] m, int b) {
    final DoubleVector v0 = DoubleVector.broadcast(D4, a0);
    final DoubleVector v1 = DoubleVector.broadcast(D4, a1);
    final DoubleVector v2 = DoubleVector.broadcast(D4, a2);
    DoubleVector s = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 3 < b; c += 4) {
      DoubleVector fit = DoubleVector.fromArray(D4, m, c).mul(v0).add(DoubleVector.fromArray(D4, m, b + c).mul(v1))
          .add(DoubleVector.fromArray(D4, m, 2 * b + c).mul(v2));
      DoubleVector e = widen(y, yOffset + c).sub(fit);
      s = s.add(e.mul(e));
    }
    double s0 = s.lane(0);
    for (; c < b; c++) {
      double e = y[yOffset + c] - (a0 * m[c] + a1 * m[b + c] + a2 * m[2 * b + c]);
      s0 += e * e;
    }
    return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
  }

  /**
   * R = 4 (the k-edges set) with the abundances broadcast once; the fit in endmember order, as the general loop. A
   * block's FCLS solves with residuals ({@code solveBlock}, thread CPU, one core) took 377 → 315–329 ns a pixel at
   * B = 200 and 1 690–1 770 → 1 350–1 570 ns at B = 903 against the general loop.
   */
  private static double four(float[] y, int yOffset, double[] a, int aOffset, double[] m, int b) {
    final DoubleVector v0 = DoubleVector.broadcast(D4, a[aOffset]);
    final DoubleVector v1 = DoubleVector.broadcast(D4, a[aOffset + 1]);
    final DoubleVector v2 = DoubleVector.broadcast(D4, a[aOffset + 2]);
    final DoubleVector v3 = DoubleVector.broadcast(D4, a[aOffset + 3]);
    DoubleVector s = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 3 < b; c += 4) {
      DoubleVector fit = DoubleVector.fromArray(D4, m, c).mul(v0).add(DoubleVector.fromArray(D4, m, b + c).mul(v1))
          .add(DoubleVector.fromArray(D4, m, 2 * b + c).mul(v2)).add(DoubleVector.fromArray(D4, m, 3 * b + c).mul(v3));
      DoubleVector e = widen(y, yOffset + c).sub(fit);
      s = s.add(e.mul(e));
    }
    double s0 = s.lane(0);
    for (; c < b; c++) {
      double e = y[yOffset + c] - (((a[aOffset] * m[c] + a[aOffset + 1] * m[b + c]) + a[aOffset + 2] * m[2 * b + c])
          + a[aOffset + 3] * m[3 * b + c]);
      s0 += e * e;
    }
    return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
  }

  private static DoubleVector widen(float[] y, int at) {
    return (DoubleVector) FloatVector.fromArray(F4, y, at).convertShape(VectorOperators.F2D, D4, 0);
  }
}
