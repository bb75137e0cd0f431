package org.eelsunmix.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Dot}'s four-partial-sum row products on the JDK's Vector API: the four sums are the four lanes of one
 * 256-bit vector ({@code s_j = Σ_{c ≡ j mod 4} d_c y_c}, lane j), y loaded eight floats at a time and converted to
 * double as two halves ({@link FloatLanes#lowFour}, {@link FloatLanes#highFour}: no 128-bit float vectors), the
 * leftover {@code n mod 4} products added to lane 0 and the result {@code (s0 + s1) + (s2 + s3)}: the scalar code's
 * operations in its order, so the same bits (lane-wise {@code mul} then {@code add}, no fused multiply-add;
 * {@code DotTest}). 2–4× faster than the scalar loops, which C2 leaves unvectorised because it must keep the order
 * of floating-point sums. Linked only when {@link VectorApi#ENABLED}, used only where 256-bit vectors are native.
 */
final class DotVector {
  private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
  private static final VectorSpecies<Float> F8 = FloatLanes.SPECIES;

  private DotVector() {}

  /** Whether this machine's vectors hold at least four doubles (else the API would emulate them, slowly). */
  static boolean usable() {
    return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  static double unrolled(double[] d, int base, int n, float[] y, int offset) {
    DoubleVector s = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, offset + c);
      s = s.add(DoubleVector.fromArray(D4, d, base + c).mul(FloatLanes.lowFour(y8)));
      s = s.add(DoubleVector.fromArray(D4, d, base + c + 4).mul(FloatLanes.highFour(y8)));
    }
    if (c + 3 < n) {
      s = s.add(DoubleVector.fromArray(D4, d, base + c).mul(FloatLanes.lastFour(y, offset + c)));
      c += 4;
    }
    double s0 = s.lane(0);
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
  }

  static double unrolled(double[] d, int base, int n, double[] y, int offset) {
    DoubleVector s = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 3 < n; c += 4) {
      s = s.add(DoubleVector.fromArray(D4, d, base + c).mul(DoubleVector.fromArray(D4, y, offset + c)));
    }
    double s0 = s.lane(0);
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
  }

  static void unrolledPair(double[] d, int base, int n, float[] y, int offset, double[] out, int p) {
    final int base1 = base + n;
    DoubleVector s = DoubleVector.zero(D4);
    DoubleVector t = DoubleVector.zero(D4);
    int c = 0;
    for (; c + 7 < n; c += 8) {
      FloatVector y8 = FloatVector.fromArray(F8, y, offset + c);
      DoubleVector yc = FloatLanes.lowFour(y8);
      s = s.add(DoubleVector.fromArray(D4, d, base + c).mul(yc));
      t = t.add(DoubleVector.fromArray(D4, d, base1 + c).mul(yc));
      yc = FloatLanes.highFour(y8);
      s = s.add(DoubleVector.fromArray(D4, d, base + c + 4).mul(yc));
      t = t.add(DoubleVector.fromArray(D4, d, base1 + c + 4).mul(yc));
    }
    if (c + 3 < n) {
      DoubleVector yc = FloatLanes.lastFour(y, offset + c);
      s = s.add(DoubleVector.fromArray(D4, d, base + c).mul(yc));
      t = t.add(DoubleVector.fromArray(D4, d, base1 + c).mul(yc));
      c += 4;
    }
    double s0 = s.lane(0);
    double t0 = t.lane(0);
    for (; c < n; c++) {
      double yc = y[offset + c];
      s0 += d[base + c] * yc;
      t0 += d[base1 + c] * yc;
    }
    out[p] = (s0 + s.lane(1)) + (s.lane(2) + s.lane(3));
    out[p + 1] = (t0 + t.lane(1)) + (t.lane(2) + t.lane(3));
  }

  static void unrolledPairTwice(double[] d, int base, int n, float[] y, int offsetA, int offsetB, double[] outA,
      double[] outB, int p) {
    final int base1 = base + n;
    DoubleVector sa = DoubleVector.zero(D4);
    DoubleVector ta = DoubleVector.zero(D4);
    DoubleVector sb = DoubleVector.zero(D4);
    DoubleVector tb = DoubleVector.zero(D4);
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
      sa = sa.add(d0.mul(ya));
      ta = ta.add(d1.mul(ya));
      sb = sb.add(d0.mul(yb));
      tb = tb.add(d1.mul(yb));
    }
    if (c + 3 < n) {
      DoubleVector d0 = DoubleVector.fromArray(D4, d, base + c);
      DoubleVector d1 = DoubleVector.fromArray(D4, d, base1 + c);
      DoubleVector ya = FloatLanes.lastFour(y, offsetA + c);
      DoubleVector yb = FloatLanes.lastFour(y, offsetB + c);
      sa = sa.add(d0.mul(ya));
      ta = ta.add(d1.mul(ya));
      sb = sb.add(d0.mul(yb));
      tb = tb.add(d1.mul(yb));
      c += 4;
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
    outA[p] = (sa0 + sa.lane(1)) + (sa.lane(2) + sa.lane(3));
    outA[p + 1] = (ta0 + ta.lane(1)) + (ta.lane(2) + ta.lane(3));
    outB[p] = (sb0 + sb.lane(1)) + (sb.lane(2) + sb.lane(3));
    outB[p + 1] = (tb0 + tb.lane(1)) + (tb.lane(2) + tb.lane(3));
  }
}
