package org.eelsunmix.unmix;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.Dot;
import org.eelsunmix.linalg.DoubleLanes;
import org.eelsunmix.linalg.FloatLanes;

/**
 * {@link MixtureResiduals}' squared residual on the JDK's Vector API: eight channels at a time, the eight partial sums
 * the lanes of one 512-bit vector where the machine's doubles are that wide ({@link DoubleLanes#WIDE}), else of two
 * 256-bit vectors (lanes 0–3 and 4–7); the spectrum loaded eight floats at a time. Lane-wise {@code mul} then
 * {@code add} (never a fused multiply-add) round as Java's scalar {@code *} and {@code +}, so the result has the bits
 * of {@link MixtureResiduals#oneScalar} on either shape. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class MixtureResidualsVector {
  private static final VectorSpecies<Double> D4 = FloatLanes.FOUR_DOUBLES;
  private static final VectorSpecies<Double> D8 = DoubleLanes.EIGHT;
  private static final VectorSpecies<Float> F8 = FloatLanes.SPECIES;

  private MixtureResidualsVector() {}

  static double one(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    if (DoubleLanes.WIDE) {
      return r == 3 ? threeWide(y, yOffset, a[aOffset], a[aOffset + 1], a[aOffset + 2], m, b)
          : r == 4 ? fourWide(y, yOffset, a, aOffset, m, b) : anyWide(y, yOffset, a, aOffset, m, r, b);
    }
    return r == 3 ? threeNarrow(y, yOffset, a[aOffset], a[aOffset + 1], a[aOffset + 2], m, b)
        : r == 4 ? fourNarrow(y, yOffset, a, aOffset, m, b) : anyNarrow(y, yOffset, a, aOffset, m, r, b);
  }

  /** Any R, eight lanes: the fit {@code Σ_t a_t M_t} in endmember order from zero. */
  static double anyWide(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    DoubleVector s = DoubleVector.zero(D8);
    int c = 0;
    for (; c + 7 < b; c += 8) {
      DoubleVector fit = DoubleVector.zero(D8);
      for (int t = 0; t < r; t++) {
        fit = fit.add(DoubleVector.fromArray(D8, m, t * b + c).mul(a[aOffset + t]));
      }
      DoubleVector e = DoubleLanes.eight(FloatVector.fromArray(F8, y, yOffset + c)).sub(fit);
      s = s.add(e.mul(e));
    }
    return finish(y, yOffset, a, aOffset, m, r, b, c, s.lane(0), s.lane(1), s.lane(2), s.lane(3), s.lane(4),
        s.lane(5), s.lane(6), s.lane(7));
  }

  /** As {@link #anyWide} with the eight lanes as two vectors of four. */
  static double anyNarrow(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b) {
    DoubleVector lo = DoubleVector.zero(D4);
    DoubleVector hi = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < b; c += 8) {
      DoubleVector fitLo = DoubleVector.zero(D4);
      DoubleVector fitHi = DoubleVector.zero(D4);
      for (int t = 0; t < r; t++) {
        fitLo = fitLo.add(DoubleVector.fromArray(D4, m, t * b + c).mul(a[aOffset + t]));
        fitHi = fitHi.add(DoubleVector.fromArray(D4, m, t * b + c + 4).mul(a[aOffset + t]));
      }
      FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
      DoubleVector e = FloatLanes.lowFour(y8).sub(fitLo);
      lo = lo.add(e.mul(e));
      e = FloatLanes.highFour(y8).sub(fitHi);
      hi = hi.add(e.mul(e));
    }
    return finish(y, yOffset, a, aOffset, m, r, b, c, lo.lane(0), lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0),
        hi.lane(1), hi.lane(2), hi.lane(3));
  }

  /**
   * R = 3 with the abundances broadcast once. The fit {@code (a_0 M_0c + a_1 M_1c) + a_2 M_2c} equals
   * {@code ((0 + a_0 M_0c) + a_1 M_1c) + a_2 M_2c} except perhaps for the sign of a zero, which the square removes.
   */
  static double threeWide(float[] y, int yOffset, double a0, double a1, double a2, double[] m, int b) {
    final DoubleVector v0 = DoubleVector.broadcast(D8, a0);
    final DoubleVector v1 = DoubleVector.broadcast(D8, a1);
    final DoubleVector v2 = DoubleVector.broadcast(D8, a2);
    DoubleVector s = DoubleVector.zero(D8);
    int c = 0;
    for (; c + 7 < b; c += 8) {
      DoubleVector fit = DoubleVector.fromArray(D8, m, c).mul(v0).add(DoubleVector.fromArray(D8, m, b + c).mul(v1))
          .add(DoubleVector.fromArray(D8, m, 2 * b + c).mul(v2));
      DoubleVector e = DoubleLanes.eight(FloatVector.fromArray(F8, y, yOffset + c)).sub(fit);
      s = s.add(e.mul(e));
    }
    double s0 = s.lane(0);
    for (; c < b; c++) {
      double e = y[yOffset + c] - (a0 * m[c] + a1 * m[b + c] + a2 * m[2 * b + c]);
      s0 += e * e;
    }
    return Dot.sumOfEight(s0, s.lane(1), s.lane(2), s.lane(3), s.lane(4), s.lane(5), s.lane(6), s.lane(7));
  }

  /** As {@link #threeWide} with the eight lanes as two vectors of four. */
  static double threeNarrow(float[] y, int yOffset, double a0, double a1, double a2, double[] m, int b) {
    final DoubleVector v0 = DoubleVector.broadcast(D4, a0);
    final DoubleVector v1 = DoubleVector.broadcast(D4, a1);
    final DoubleVector v2 = DoubleVector.broadcast(D4, a2);
    DoubleVector lo = DoubleVector.zero(D4);
    DoubleVector hi = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < b; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
      DoubleVector fit = DoubleVector.fromArray(D4, m, c).mul(v0).add(DoubleVector.fromArray(D4, m, b + c).mul(v1))
          .add(DoubleVector.fromArray(D4, m, 2 * b + c).mul(v2));
      DoubleVector e = FloatLanes.lowFour(y8).sub(fit);
      lo = lo.add(e.mul(e));
      fit = DoubleVector.fromArray(D4, m, c + 4).mul(v0).add(DoubleVector.fromArray(D4, m, b + c + 4).mul(v1))
          .add(DoubleVector.fromArray(D4, m, 2 * b + c + 4).mul(v2));
      e = FloatLanes.highFour(y8).sub(fit);
      hi = hi.add(e.mul(e));
    }
    double s0 = lo.lane(0);
    for (; c < b; c++) {
      double e = y[yOffset + c] - (a0 * m[c] + a1 * m[b + c] + a2 * m[2 * b + c]);
      s0 += e * e;
    }
    return Dot.sumOfEight(s0, lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0), hi.lane(1), hi.lane(2), hi.lane(3));
  }

  /**
   * R = 4 (the k-edges set) with the abundances broadcast once; the fit in endmember order, as {@link #anyWide}.
   * Against the general loop it took a block's FCLS solve from 377 to 315–329 ns a pixel at B = 200 and from 1 690–1 770 to
   * 1 350–1 570 ns at B = 903 (stop 27, four lanes).
   */
  static double fourWide(float[] y, int yOffset, double[] a, int aOffset, double[] m, int b) {
    final DoubleVector v0 = DoubleVector.broadcast(D8, a[aOffset]);
    final DoubleVector v1 = DoubleVector.broadcast(D8, a[aOffset + 1]);
    final DoubleVector v2 = DoubleVector.broadcast(D8, a[aOffset + 2]);
    final DoubleVector v3 = DoubleVector.broadcast(D8, a[aOffset + 3]);
    DoubleVector s = DoubleVector.zero(D8);
    int c = 0;
    for (; c + 7 < b; c += 8) {
      DoubleVector fit = DoubleVector.fromArray(D8, m, c).mul(v0).add(DoubleVector.fromArray(D8, m, b + c).mul(v1))
          .add(DoubleVector.fromArray(D8, m, 2 * b + c).mul(v2)).add(DoubleVector.fromArray(D8, m, 3 * b + c).mul(v3));
      DoubleVector e = DoubleLanes.eight(FloatVector.fromArray(F8, y, yOffset + c)).sub(fit);
      s = s.add(e.mul(e));
    }
    return finish(y, yOffset, a, aOffset, m, 4, b, c, s.lane(0), s.lane(1), s.lane(2), s.lane(3), s.lane(4),
        s.lane(5), s.lane(6), s.lane(7));
  }

  /** As {@link #fourWide} with the eight lanes as two vectors of four. */
  static double fourNarrow(float[] y, int yOffset, double[] a, int aOffset, double[] m, int b) {
    final DoubleVector v0 = DoubleVector.broadcast(D4, a[aOffset]);
    final DoubleVector v1 = DoubleVector.broadcast(D4, a[aOffset + 1]);
    final DoubleVector v2 = DoubleVector.broadcast(D4, a[aOffset + 2]);
    final DoubleVector v3 = DoubleVector.broadcast(D4, a[aOffset + 3]);
    DoubleVector lo = DoubleVector.zero(D4);
    DoubleVector hi = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < b; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, yOffset + c);
      DoubleVector fit = DoubleVector.fromArray(D4, m, c).mul(v0).add(DoubleVector.fromArray(D4, m, b + c).mul(v1))
          .add(DoubleVector.fromArray(D4, m, 2 * b + c).mul(v2)).add(DoubleVector.fromArray(D4, m, 3 * b + c).mul(v3));
      DoubleVector e = FloatLanes.lowFour(y8).sub(fit);
      lo = lo.add(e.mul(e));
      fit = DoubleVector.fromArray(D4, m, c + 4).mul(v0).add(DoubleVector.fromArray(D4, m, b + c + 4).mul(v1))
          .add(DoubleVector.fromArray(D4, m, 2 * b + c + 4).mul(v2))
          .add(DoubleVector.fromArray(D4, m, 3 * b + c + 4).mul(v3));
      e = FloatLanes.highFour(y8).sub(fit);
      hi = hi.add(e.mul(e));
    }
    return finish(y, yOffset, a, aOffset, m, 4, b, c, lo.lane(0), lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0),
        hi.lane(1), hi.lane(2), hi.lane(3));
  }

  /** The leftover channels from {@code c} into the first sum, then the eight sums in their one order. */
  private static double finish(float[] y, int yOffset, double[] a, int aOffset, double[] m, int r, int b, int c,
      double s0, double s1, double s2, double s3, double s4, double s5, double s6, double s7) {
    for (; c < b; c++) {
      double fit = 0;
      for (int t = 0; t < r; t++) {
        fit += a[aOffset + t] * m[t * b + c];
      }
      double e = y[yOffset + c] - fit;
      s0 += e * e;
    }
    return Dot.sumOfEight(s0, s1, s2, s3, s4, s5, s6, s7);
  }
}
