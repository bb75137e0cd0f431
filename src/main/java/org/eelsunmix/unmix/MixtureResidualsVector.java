package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.FloatLanes;

/**
 * {@link MixtureResiduals}' squared residual on the JDK's Vector API: four channels at a time, the four partial sums
 * the four lanes of one 256-bit vector, the spectrum loaded eight floats at a time and widened as two halves
 * ({@link FloatLanes#lowFour}, {@link FloatLanes#highFour}: no 128-bit float vectors). Lane-wise
 * {@code mul} then {@code add} (never a fused multiply-add) round as Java's scalar {@code *} and {@code +}, so the
 * result has the bits of {@link MixtureResiduals#oneScalar}. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class MixtureResidualsVector {
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> F8 = FloatLanes.SPECIES;

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
    for (; c + 7 < b; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
      DoubleVector e = FloatLanes.lowFour(y8).sub(fitOf(a, aOffset, m, r, b, c));
      s = s.add(e.mul(e));
      e = FloatLanes.highFour(y8).sub(fitOf(a, aOffset, m, r, b, c + 4));
      s = s.add(e.mul(e));
    }
    if (c + 3 < b) {
      DoubleVector e = FloatLanes.lastFour(y, yOffset + c).sub(fitOf(a, aOffset, m, r, b, c));
      s = s.add(e.mul(e));
      c += 4;
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
    for (; c + 7 < b; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
      DoubleVector e = FloatLanes.lowFour(y8).sub(fitOf(v0, v1, v2, m, b, c));
      s = s.add(e.mul(e));
      e = FloatLanes.highFour(y8).sub(fitOf(v0, v1, v2, m, b, c + 4));
      s = s.add(e.mul(e));
    }
    if (c + 3 < b) {
      DoubleVector e = FloatLanes.lastFour(y, yOffset + c).sub(fitOf(v0, v1, v2, m, b, c));
      s = s.add(e.mul(e));
      c += 4;
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
    for (; c + 7 < b; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
      DoubleVector e = FloatLanes.lowFour(y8).sub(fitOf(v0, v1, v2, v3, m, b, c));
      s = s.add(e.mul(e));
      e = FloatLanes.highFour(y8).sub(fitOf(v0, v1, v2, v3, m, b, c + 4));
      s = s.add(e.mul(e));
    }
    if (c + 3 < b) {
      DoubleVector e = FloatLanes.lastFour(y, yOffset + c).sub(fitOf(v0, v1, v2, v3, m, b, c));
      s = s.add(e.mul(e));
      c += 4;
    }
    double s0 = s.lane(0);
    for (; c < b; c++) {
      double e = y[yOffset + c] - (((a[aOffset] * m[c] + a[aOffset + 1] * m[b + c]) + a[aOffset + 2] * m[2 * b + c])
          + a[aOffset + 3] * m[3 * b + c]);
      s0 += e * e;
    }
    return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
  }

  /** The fit of channels {@code c .. c + 4}: {@code Σ_t a_t M_t} in endmember order, from zero. */
  private static DoubleVector fitOf(double[] a, int aOffset, double[] m, int r, int b, int c) {
    DoubleVector fit = DoubleVector.zero(D4);
    for (int t = 0; t < r; t++) {
      fit = fit.add(DoubleVector.fromArray(D4, m, t * b + c).mul(a[aOffset + t]));
    }
    return fit;
  }

  private static DoubleVector fitOf(DoubleVector v0, DoubleVector v1, DoubleVector v2, double[] m, int b, int c) {
    return DoubleVector.fromArray(D4, m, c).mul(v0).add(DoubleVector.fromArray(D4, m, b + c).mul(v1))
        .add(DoubleVector.fromArray(D4, m, 2 * b + c).mul(v2));
  }

  private static DoubleVector fitOf(DoubleVector v0, DoubleVector v1, DoubleVector v2, DoubleVector v3, double[] m,
      int b, int c) {
    return DoubleVector.fromArray(D4, m, c).mul(v0).add(DoubleVector.fromArray(D4, m, b + c).mul(v1))
        .add(DoubleVector.fromArray(D4, m, 2 * b + c).mul(v2)).add(DoubleVector.fromArray(D4, m, 3 * b + c).mul(v3));
  }
}
