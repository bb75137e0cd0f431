package org.eelsunmix.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Dot}'s eight-partial-sum row products on the JDK's Vector API: the sums
 * {@code s_j = Σ_{c ≡ j mod 8} d_c y_c} are the eight lanes of one 512-bit vector where this machine's doubles are that wide ({@link DoubleLanes#WIDE}), or
 * of two 256-bit vectors (lanes 0–3, 4–7) where they are not; y is loaded eight floats at a time. The leftover
 * {@code n mod 8} products go to {@code s_0} in index order and the result is
 * {@code ((s_0 + s_1) + (s_2 + s_3)) + ((s_4 + s_5) + (s_6 + s_7))}: the scalar code's operations in its order, on
 * either shape, so the same bits everywhere (lane-wise {@code mul} then {@code add}, no fused multiply-add;
 * {@code DotTest}). Why two shapes: on an AVX-512 machine the moments, VCA's projection and NMF's lanes run at 512
 * bits, and a second double shape in the JVM made C2 lose these kernels' vector classes and allocate every vector on the
 * heap ({@link DoubleLanes}). Linked only when {@link VectorApi#ENABLED}, used only where 256-bit vectors are native.
 */
final class DotVector {
  private static final VectorSpecies<Double> D4 = FloatLanes.FOUR_DOUBLES;
  private static final VectorSpecies<Double> D8 = DoubleLanes.EIGHT;
  private static final VectorSpecies<Float> F8 = FloatLanes.SPECIES;

  private DotVector() {}

  static double unrolled(double[] d, int base, int n, float[] y, int offset) {
    return DoubleLanes.WIDE ? unrolledWide(d, base, n, y, offset) : unrolledNarrow(d, base, n, y, offset);
  }

  static double unrolledWide(double[] d, int base, int n, float[] y, int offset) {
    DoubleVector s = DoubleVector.zero(D8);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      DoubleVector y8 = DoubleLanes.eight(FloatVector.fromArray(F8, y, offset + c));
      s = s.add(DoubleVector.fromArray(D8, d, base + c).mul(y8));
    }
    double s0 = s.lane(0);
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return Dot.sumOfEight(s0, s.lane(1), s.lane(2), s.lane(3), s.lane(4), s.lane(5), s.lane(6), s.lane(7));
  }

  static double unrolledNarrow(double[] d, int base, int n, float[] y, int offset) {
    DoubleVector lo = DoubleVector.zero(D4);
    DoubleVector hi = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, offset + c);
      lo = lo.add(DoubleVector.fromArray(D4, d, base + c).mul(FloatLanes.lowFour(y8)));
      hi = hi.add(DoubleVector.fromArray(D4, d, base + c + 4).mul(FloatLanes.highFour(y8)));
    }
    double s0 = lo.lane(0);
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return Dot.sumOfEight(s0, lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0), hi.lane(1), hi.lane(2), hi.lane(3));
  }

  static double unrolled(double[] d, int base, int n, double[] y, int offset) {
    return DoubleLanes.WIDE ? unrolledWide(d, base, n, y, offset) : unrolledNarrow(d, base, n, y, offset);
  }

  static double unrolledWide(double[] d, int base, int n, double[] y, int offset) {
    DoubleVector s = DoubleVector.zero(D8);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      s = s.add(DoubleVector.fromArray(D8, d, base + c).mul(DoubleVector.fromArray(D8, y, offset + c)));
    }
    double s0 = s.lane(0);
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return Dot.sumOfEight(s0, s.lane(1), s.lane(2), s.lane(3), s.lane(4), s.lane(5), s.lane(6), s.lane(7));
  }

  static double unrolledNarrow(double[] d, int base, int n, double[] y, int offset) {
    DoubleVector lo = DoubleVector.zero(D4);
    DoubleVector hi = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      lo = lo.add(DoubleVector.fromArray(D4, d, base + c).mul(DoubleVector.fromArray(D4, y, offset + c)));
      hi = hi.add(DoubleVector.fromArray(D4, d, base + c + 4).mul(DoubleVector.fromArray(D4, y, offset + c + 4)));
    }
    double s0 = lo.lane(0);
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return Dot.sumOfEight(s0, lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0), hi.lane(1), hi.lane(2), hi.lane(3));
  }

  static void unrolledPairTwice(double[] d, int base, int n, float[] y, int offsetA, int offsetB, double[] outA,
      double[] outB, int p) {
    if (DoubleLanes.WIDE) {
      unrolledPairTwiceWide(d, base, n, y, offsetA, offsetB, outA, outB, p);
    } else {
      unrolledPairTwiceNarrow(d, base, n, y, offsetA, offsetB, outA, outB, p);
    }
  }

  /** Rows {@code base} and {@code base + n} times spectra A and B: four chains of eight lanes. */
  static void unrolledPairTwiceWide(double[] d, int base, int n, float[] y, int offsetA, int offsetB,
      double[] outA, double[] outB, int p) {
    final int base1 = base + n;
    DoubleVector sa = DoubleVector.zero(D8);
    DoubleVector ta = DoubleVector.zero(D8);
    DoubleVector sb = DoubleVector.zero(D8);
    DoubleVector tb = DoubleVector.zero(D8);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      DoubleVector ya = DoubleLanes.eight(FloatVector.fromArray(F8, y, offsetA + c));
      DoubleVector yb = DoubleLanes.eight(FloatVector.fromArray(F8, y, offsetB + c));
      DoubleVector d0 = DoubleVector.fromArray(D8, d, base + c);
      DoubleVector d1 = DoubleVector.fromArray(D8, d, base1 + c);
      sa = sa.add(d0.mul(ya));
      ta = ta.add(d1.mul(ya));
      sb = sb.add(d0.mul(yb));
      tb = tb.add(d1.mul(yb));
    }
    double sa0 = sa.lane(0);
    double ta0 = ta.lane(0);
    double sb0 = sb.lane(0);
    double tb0 = tb.lane(0);
    for (; c < n; c++) {
      double ya = y[offsetA + c];
      double yb = y[offsetB + c];
      sa0 += d[base + c] * ya;
      ta0 += d[base1 + c] * ya;
      sb0 += d[base + c] * yb;
      tb0 += d[base1 + c] * yb;
    }
    outA[p] = Dot.sumOfEight(sa0, sa.lane(1), sa.lane(2), sa.lane(3), sa.lane(4), sa.lane(5), sa.lane(6), sa.lane(7));
    outA[p + 1] = Dot.sumOfEight(ta0, ta.lane(1), ta.lane(2), ta.lane(3), ta.lane(4), ta.lane(5), ta.lane(6),
        ta.lane(7));
    outB[p] = Dot.sumOfEight(sb0, sb.lane(1), sb.lane(2), sb.lane(3), sb.lane(4), sb.lane(5), sb.lane(6), sb.lane(7));
    outB[p + 1] = Dot.sumOfEight(tb0, tb.lane(1), tb.lane(2), tb.lane(3), tb.lane(4), tb.lane(5), tb.lane(6),
        tb.lane(7));
  }

  /** As {@link #unrolledPairTwiceWide} with each chain's eight lanes as two vectors of four. */
  static void unrolledPairTwiceNarrow(double[] d, int base, int n, float[] y, int offsetA, int offsetB,
      double[] outA, double[] outB, int p) {
    final int base1 = base + n;
    DoubleVector sa = DoubleVector.zero(D4);
    DoubleVector ta = DoubleVector.zero(D4);
    DoubleVector sb = DoubleVector.zero(D4);
    DoubleVector tb = DoubleVector.zero(D4);
    DoubleVector sa4 = DoubleVector.zero(D4);
    DoubleVector ta4 = DoubleVector.zero(D4);
    DoubleVector sb4 = DoubleVector.zero(D4);
    DoubleVector tb4 = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      FloatVector ya8 = FloatVector.fromArray(F8, y, offsetA + c);
      FloatVector yb8 = FloatVector.fromArray(F8, y, offsetB + c);
      DoubleVector d0 = DoubleVector.fromArray(D4, d, base + c);
      DoubleVector d1 = DoubleVector.fromArray(D4, d, base1 + c);
      DoubleVector ya = FloatLanes.lowFour(ya8);
      DoubleVector yb = FloatLanes.lowFour(yb8);
      sa = sa.add(d0.mul(ya));
      ta = ta.add(d1.mul(ya));
      sb = sb.add(d0.mul(yb));
      tb = tb.add(d1.mul(yb));
      d0 = DoubleVector.fromArray(D4, d, base + c + 4);
      d1 = DoubleVector.fromArray(D4, d, base1 + c + 4);
      ya = FloatLanes.highFour(ya8);
      yb = FloatLanes.highFour(yb8);
      sa4 = sa4.add(d0.mul(ya));
      ta4 = ta4.add(d1.mul(ya));
      sb4 = sb4.add(d0.mul(yb));
      tb4 = tb4.add(d1.mul(yb));
    }
    double sa0 = sa.lane(0);
    double ta0 = ta.lane(0);
    double sb0 = sb.lane(0);
    double tb0 = tb.lane(0);
    for (; c < n; c++) {
      double ya = y[offsetA + c];
      double yb = y[offsetB + c];
      sa0 += d[base + c] * ya;
      ta0 += d[base1 + c] * ya;
      sb0 += d[base + c] * yb;
      tb0 += d[base1 + c] * yb;
    }
    outA[p] = Dot.sumOfEight(sa0, sa.lane(1), sa.lane(2), sa.lane(3), sa4.lane(0), sa4.lane(1), sa4.lane(2),
        sa4.lane(3));
    outA[p + 1] = Dot.sumOfEight(ta0, ta.lane(1), ta.lane(2), ta.lane(3), ta4.lane(0), ta4.lane(1), ta4.lane(2),
        ta4.lane(3));
    outB[p] = Dot.sumOfEight(sb0, sb.lane(1), sb.lane(2), sb.lane(3), sb4.lane(0), sb4.lane(1), sb4.lane(2),
        sb4.lane(3));
    outB[p + 1] = Dot.sumOfEight(tb0, tb.lane(1), tb.lane(2), tb.lane(3), tb4.lane(0), tb4.lane(1), tb4.lane(2),
        tb4.lane(3));
  }
}
