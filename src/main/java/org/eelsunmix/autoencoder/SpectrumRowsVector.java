package org.eelsunmix.autoencoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SpectrumRows#FLOAT}'s loops on the JDK's Vector API: the same lane-wise multiplications and additions, in
 * the same order per value, as the scalar loops (no fused multiply-add), so the same bits. Why: the decoder's rows are
 * 48 values (40×40 patches, 13×13 kernels: transforms of 48), and C2's own vector loops, unrolled four vectors deep,
 * leave a scalar tail on rows that short; here a row of 48 floats is six vectors of eight, no tail (measured on one
 * 48-point batched transform: 6.3 µs against 10.9 µs for the JIT's float loops and 10.4 µs in double). Each method
 * does the whole vectors of {@code [0, n)} and returns how many values it did. Linked only when
 * {@link org.eelsunmix.linalg.VectorApi#ENABLED}.
 */
final class SpectrumRowsVector {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

  private SpectrumRowsVector() {}

  /** Whether this machine runs vectors of eight floats natively (else the API would emulate them, slowly). */
  static boolean usable() {
    return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
  }

  static int add(float[] a, float[] b, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, b, q).add(FloatVector.fromArray(SPECIES, a, q)).intoArray(b, q);
    }
    return q;
  }

  static int sumDifference(float[] a, float[] b, float k, float[] plus, float[] minus, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, q);
      FloatVector y = FloatVector.fromArray(SPECIES, b, q).mul(k);
      x.add(y).intoArray(plus, q);
      x.sub(y).intoArray(minus, q);
    }
    return q;
  }

  static int sumDifference(float[] a, float[] b, float k, float[] plus, float[] minus, float l, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, q);
      FloatVector y = FloatVector.fromArray(SPECIES, b, q).mul(k);
      x.add(y).intoArray(plus, q);
      x.sub(y.mul(l)).intoArray(minus, q);
    }
    return q;
  }

  static int rotate(float[] re, float[] im, float c, float s, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, re, q);
      FloatVector y = FloatVector.fromArray(SPECIES, im, q);
      x.mul(c).sub(y.mul(s)).intoArray(re, q);
      x.mul(s).add(y.mul(c)).intoArray(im, q);
    }
    return q;
  }

  /** {@code dst[at + x] = s·src[x]} for {@code x < n}. */
  static int scale(float[] src, float s, float[] dst, int at, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector.fromArray(SPECIES, src, q).mul(s).intoArray(dst, at + q);
    }
    return q;
  }

  /** {@code c += conj(u)·x}: {@code cr += ur·xr + ui·xi}, {@code ci += ur·xi − ui·xr}. */
  static int conjugateProductAdd(float[] ur, float[] ui, float[] xr, float[] xi, float[] cr, float[] ci, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector a = FloatVector.fromArray(SPECIES, ur, q);
      FloatVector b = FloatVector.fromArray(SPECIES, ui, q);
      FloatVector x = FloatVector.fromArray(SPECIES, xr, q);
      FloatVector y = FloatVector.fromArray(SPECIES, xi, q);
      FloatVector.fromArray(SPECIES, cr, q).add(a.mul(x).add(b.mul(y))).intoArray(cr, q);
      FloatVector.fromArray(SPECIES, ci, q).add(a.mul(y).sub(b.mul(x))).intoArray(ci, q);
    }
    return q;
  }

  /** {@code c += u·x}: {@code cr += ur·xr − ui·xi}, {@code ci += ur·xi + ui·xr}. */
  static int productAdd(float[] ur, float[] ui, float[] xr, float[] xi, float[] cr, float[] ci, int n) {
    int q = 0;
    for (; q + SPECIES.length() <= n; q += SPECIES.length()) {
      FloatVector a = FloatVector.fromArray(SPECIES, ur, q);
      FloatVector b = FloatVector.fromArray(SPECIES, ui, q);
      FloatVector x = FloatVector.fromArray(SPECIES, xr, q);
      FloatVector y = FloatVector.fromArray(SPECIES, xi, q);
      FloatVector.fromArray(SPECIES, cr, q).add(a.mul(x).sub(b.mul(y))).intoArray(cr, q);
      FloatVector.fromArray(SPECIES, ci, q).add(a.mul(y).add(b.mul(x))).intoArray(ci, q);
    }
    return q;
  }
}
