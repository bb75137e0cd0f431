package org.eelsunmix.autoencoder;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.FloatLanes;

/**
 * The one-dimensional transforms of {@link WinogradConvolution}'s {@code F(4×4, 3×3)} (Lavin &amp; Gray, CVPR 2016)
 * on the JDK's Vector API, over channel rows (channels-last: a row's values are contiguous, a vector's lanes are
 * channels): {@code Bᵀ} (6 rows to 6), {@code Aᵀ} (6 to 4, the output transform) and {@code A} (4 to 6, the
 * gradient's), each reading its input rows once and writing all its output rows, with the coefficients written out
 * ({@code ±1} as an addition or subtraction, no product). Every output value is the scalar reference's left-to-right
 * sum {@code Σ_k T[a][k]·s_k} over the nonzero terms, the same roundings in the same order (lane-wise {@code mul},
 * {@code add}, {@code sub}, never a fused multiply-add; {@code x + (−c)·y = x − c·y} and {@code 1·y = y} exactly), so
 * the bits equal the scalar path's ({@code WinogradTransformsVectorTest}). Each method does the whole vectors of a
 * row and returns how many values it did; the caller does the rest by the scalar reference. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class WinogradTransformsVector {
  private static final VectorSpecies<Float> F = FloatLanes.SPECIES;
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

  private WinogradTransformsVector() {}

  /** Whether this machine's native vectors hold at least eight floats (AVX2 or wider). */
  static boolean usable() {
    return FloatLanes.usable();
  }

  /**
   * {@code d[to[a] + j] = Σ_k Bᵀ[a][k] s[from[k] + j]}, {@code a, k < 6}, for whole vectors of {@code j < len};
   * returns the values done. Bᵀ's rows: {@code 4 0 −5 0 1 0}, {@code 0 −4 −4 1 1 0}, {@code 0 4 −4 −1 1 0},
   * {@code 0 −2 −1 2 1 0}, {@code 0 2 −1 −2 1 0}, {@code 0 4 0 −5 0 1}.
   */
  static int input(float[] s, int[] from, float[] d, int[] to, int len) {
    int n = F.loopBound(len);
    int f0 = from[0], f1 = from[1], f2 = from[2], f3 = from[3], f4 = from[4], f5 = from[5];
    int t0 = to[0], t1 = to[1], t2 = to[2], t3 = to[3], t4 = to[4], t5 = to[5];
    for (int j = 0; j < n; j += F.length()) {
      FloatVector x1 = FloatVector.fromArray(F, s, f1 + j);
      FloatVector x2 = FloatVector.fromArray(F, s, f2 + j);
      FloatVector x3 = FloatVector.fromArray(F, s, f3 + j);
      FloatVector x4 = FloatVector.fromArray(F, s, f4 + j);
      FloatVector p4x1 = x1.mul(4f);
      FloatVector m4x2 = x2.mul(-4f);
      FloatVector p2x1 = x1.mul(2f);
      FloatVector p2x3 = x3.mul(2f);
      FloatVector.fromArray(F, s, f0 + j).mul(4f).sub(x2.mul(5f)).add(x4).intoArray(d, t0 + j);
      x1.mul(-4f).add(m4x2).add(x3).add(x4).intoArray(d, t1 + j);
      p4x1.add(m4x2).sub(x3).add(x4).intoArray(d, t2 + j);
      x1.mul(-2f).sub(x2).add(p2x3).add(x4).intoArray(d, t3 + j);
      p2x1.sub(x2).sub(p2x3).add(x4).intoArray(d, t4 + j);
      p4x1.sub(x3.mul(5f)).add(FloatVector.fromArray(F, s, f5 + j)).intoArray(d, t5 + j);
    }
    return n;
  }

  /** {@link #input(float[], int[], float[], int[], int)} in double. */
  static int input(double[] s, int[] from, double[] d, int[] to, int len) {
    int n = D.loopBound(len);
    int f0 = from[0], f1 = from[1], f2 = from[2], f3 = from[3], f4 = from[4], f5 = from[5];
    int t0 = to[0], t1 = to[1], t2 = to[2], t3 = to[3], t4 = to[4], t5 = to[5];
    for (int j = 0; j < n; j += D.length()) {
      DoubleVector x1 = DoubleVector.fromArray(D, s, f1 + j);
      DoubleVector x2 = DoubleVector.fromArray(D, s, f2 + j);
      DoubleVector x3 = DoubleVector.fromArray(D, s, f3 + j);
      DoubleVector x4 = DoubleVector.fromArray(D, s, f4 + j);
      DoubleVector p4x1 = x1.mul(4.0);
      DoubleVector m4x2 = x2.mul(-4.0);
      DoubleVector p2x1 = x1.mul(2.0);
      DoubleVector p2x3 = x3.mul(2.0);
      DoubleVector.fromArray(D, s, f0 + j).mul(4.0).sub(x2.mul(5.0)).add(x4).intoArray(d, t0 + j);
      x1.mul(-4.0).add(m4x2).add(x3).add(x4).intoArray(d, t1 + j);
      p4x1.add(m4x2).sub(x3).add(x4).intoArray(d, t2 + j);
      x1.mul(-2.0).sub(x2).add(p2x3).add(x4).intoArray(d, t3 + j);
      p2x1.sub(x2).sub(p2x3).add(x4).intoArray(d, t4 + j);
      p4x1.sub(x3.mul(5.0)).add(DoubleVector.fromArray(D, s, f5 + j)).intoArray(d, t5 + j);
    }
    return n;
  }

  /**
   * {@code d[to[r] + j] = Σ_a Aᵀ[r][a] s[from[a] + j]}, {@code r < 4}, {@code a < 6}, for whole vectors of
   * {@code j < len}; returns the values done. Aᵀ's rows: {@code 1 1 1 1 1 0}, {@code 0 1 −1 2 −2 0},
   * {@code 0 1 1 4 4 0}, {@code 0 1 −1 8 −8 1}.
   */
  static int output(float[] s, int[] from, float[] d, int[] to, int len) {
    int n = F.loopBound(len);
    int f0 = from[0], f1 = from[1], f2 = from[2], f3 = from[3], f4 = from[4], f5 = from[5];
    int t0 = to[0], t1 = to[1], t2 = to[2], t3 = to[3];
    for (int j = 0; j < n; j += F.length()) {
      FloatVector x1 = FloatVector.fromArray(F, s, f1 + j);
      FloatVector x2 = FloatVector.fromArray(F, s, f2 + j);
      FloatVector x3 = FloatVector.fromArray(F, s, f3 + j);
      FloatVector x4 = FloatVector.fromArray(F, s, f4 + j);
      FloatVector diff = x1.sub(x2);
      FloatVector.fromArray(F, s, f0 + j).add(x1).add(x2).add(x3).add(x4).intoArray(d, t0 + j);
      diff.add(x3.mul(2f)).sub(x4.mul(2f)).intoArray(d, t1 + j);
      x1.add(x2).add(x3.mul(4f)).add(x4.mul(4f)).intoArray(d, t2 + j);
      diff.add(x3.mul(8f)).sub(x4.mul(8f)).add(FloatVector.fromArray(F, s, f5 + j)).intoArray(d, t3 + j);
    }
    return n;
  }

  /** {@link #output(float[], int[], float[], int[], int)} in double. */
  static int output(double[] s, int[] from, double[] d, int[] to, int len) {
    int n = D.loopBound(len);
    int f0 = from[0], f1 = from[1], f2 = from[2], f3 = from[3], f4 = from[4], f5 = from[5];
    int t0 = to[0], t1 = to[1], t2 = to[2], t3 = to[3];
    for (int j = 0; j < n; j += D.length()) {
      DoubleVector x1 = DoubleVector.fromArray(D, s, f1 + j);
      DoubleVector x2 = DoubleVector.fromArray(D, s, f2 + j);
      DoubleVector x3 = DoubleVector.fromArray(D, s, f3 + j);
      DoubleVector x4 = DoubleVector.fromArray(D, s, f4 + j);
      DoubleVector diff = x1.sub(x2);
      DoubleVector.fromArray(D, s, f0 + j).add(x1).add(x2).add(x3).add(x4).intoArray(d, t0 + j);
      diff.add(x3.mul(2.0)).sub(x4.mul(2.0)).intoArray(d, t1 + j);
      x1.add(x2).add(x3.mul(4.0)).add(x4.mul(4.0)).intoArray(d, t2 + j);
      diff.add(x3.mul(8.0)).sub(x4.mul(8.0)).add(DoubleVector.fromArray(D, s, f5 + j)).intoArray(d, t3 + j);
    }
    return n;
  }

  /**
   * {@code d[to[a] + j] = Σ_r A[a][r] s[from[r] + j]} ({@code A = (Aᵀ)ᵀ}), {@code a < 6}, {@code r < 4}, for whole
   * vectors of {@code j < len}; returns the values done. A's rows: {@code 1 0 0 0}, {@code 1 1 1 1},
   * {@code 1 −1 1 −1}, {@code 1 2 4 8}, {@code 1 −2 4 −8}, {@code 0 0 0 1}.
   */
  static int gradient(float[] s, int[] from, float[] d, int[] to, int len) {
    int n = F.loopBound(len);
    int f0 = from[0], f1 = from[1], f2 = from[2], f3 = from[3];
    int t0 = to[0], t1 = to[1], t2 = to[2], t3 = to[3], t4 = to[4], t5 = to[5];
    for (int j = 0; j < n; j += F.length()) {
      FloatVector y0 = FloatVector.fromArray(F, s, f0 + j);
      FloatVector y1 = FloatVector.fromArray(F, s, f1 + j);
      FloatVector y2 = FloatVector.fromArray(F, s, f2 + j);
      FloatVector y3 = FloatVector.fromArray(F, s, f3 + j);
      FloatVector p2y1 = y1.mul(2f);
      FloatVector p4y2 = y2.mul(4f);
      FloatVector p8y3 = y3.mul(8f);
      y0.intoArray(d, t0 + j);
      y0.add(y1).add(y2).add(y3).intoArray(d, t1 + j);
      y0.sub(y1).add(y2).sub(y3).intoArray(d, t2 + j);
      y0.add(p2y1).add(p4y2).add(p8y3).intoArray(d, t3 + j);
      y0.sub(p2y1).add(p4y2).sub(p8y3).intoArray(d, t4 + j);
      y3.intoArray(d, t5 + j);
    }
    return n;
  }

  /** {@link #gradient(float[], int[], float[], int[], int)} in double. */
  static int gradient(double[] s, int[] from, double[] d, int[] to, int len) {
    int n = D.loopBound(len);
    int f0 = from[0], f1 = from[1], f2 = from[2], f3 = from[3];
    int t0 = to[0], t1 = to[1], t2 = to[2], t3 = to[3], t4 = to[4], t5 = to[5];
    for (int j = 0; j < n; j += D.length()) {
      DoubleVector y0 = DoubleVector.fromArray(D, s, f0 + j);
      DoubleVector y1 = DoubleVector.fromArray(D, s, f1 + j);
      DoubleVector y2 = DoubleVector.fromArray(D, s, f2 + j);
      DoubleVector y3 = DoubleVector.fromArray(D, s, f3 + j);
      DoubleVector p2y1 = y1.mul(2.0);
      DoubleVector p4y2 = y2.mul(4.0);
      DoubleVector p8y3 = y3.mul(8.0);
      y0.intoArray(d, t0 + j);
      y0.add(y1).add(y2).add(y3).intoArray(d, t1 + j);
      y0.sub(y1).add(y2).sub(y3).intoArray(d, t2 + j);
      y0.add(p2y1).add(p4y2).add(p8y3).intoArray(d, t3 + j);
      y0.sub(p2y1).add(p4y2).sub(p8y3).intoArray(d, t4 + j);
      y3.intoArray(d, t5 + j);
    }
    return n;
  }
}
