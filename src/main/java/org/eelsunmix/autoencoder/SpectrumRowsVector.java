package org.eelsunmix.autoencoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.eelsunmix.linalg.FloatLanes;

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
  private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
  /** Values a vector holds. */
  private static final int LANES = 8;

  private SpectrumRowsVector() {}

  /** Whether this machine runs vectors of eight floats natively (else the API would emulate them, slowly). */
  static boolean usable() {
    return FloatLanes.usable();
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

  /**
   * {@link SpectrumRows#butterfly4} on whole vectors: each vector of the four inputs loaded once, the butterfly and the
   * rotations in registers, each output stored once (the row loops' operations per value: {@code k·b} with
   * {@code k = ±1} exact, then sums and differences, the rotation {@code (x·c − y·s, x·s + y·c)}; written out, not a helper: a helper
   * taking vectors was compiled apart and boxed them).
   */
  static int butterfly4(float[] a0r, float[] a0i, float[] a1r, float[] a1i, float[] a2r, float[] a2i, float[] a3r,
      float[] a3i, float[] b0r, float[] b0i, float[] b1r, float[] b1i, float[] b2r, float[] b2i, float[] b3r,
      float[] b3i, float ng, float pg, boolean rotate, float c1, float s1, float c2, float s2, float c3, float s3,
      int n) {
    int q = 0;
    for (; q + LANES <= n; q += LANES) {
      FloatVector x0 = FloatVector.fromArray(SPECIES, a0r, q);
      FloatVector x2 = FloatVector.fromArray(SPECIES, a2r, q);
      FloatVector s0r = x0.add(x2);
      FloatVector d0r = x0.sub(x2);
      x0 = FloatVector.fromArray(SPECIES, a0i, q);
      x2 = FloatVector.fromArray(SPECIES, a2i, q);
      FloatVector s0i = x0.add(x2);
      FloatVector d0i = x0.sub(x2);
      FloatVector x1 = FloatVector.fromArray(SPECIES, a1r, q);
      FloatVector x3 = FloatVector.fromArray(SPECIES, a3r, q);
      FloatVector er = x1.add(x3);
      FloatVector d1r = x1.sub(x3);
      x1 = FloatVector.fromArray(SPECIES, a1i, q);
      x3 = FloatVector.fromArray(SPECIES, a3i, q);
      FloatVector ei = x1.add(x3);
      FloatVector d1i = x1.sub(x3);
      s0r.add(er).intoArray(b0r, q);
      s0i.add(ei).intoArray(b0i, q);
      FloatVector y2r = s0r.sub(er);
      FloatVector y2i = s0i.sub(ei);
      FloatVector u = d1i.mul(ng);
      FloatVector y1r = d0r.add(u);
      FloatVector y3r = d0r.sub(u);
      FloatVector v = d1r.mul(pg);
      FloatVector y1i = d0i.add(v);
      FloatVector y3i = d0i.sub(v);
      if (rotate) {
        y1r.mul(c1).sub(y1i.mul(s1)).intoArray(b1r, q);
        y1r.mul(s1).add(y1i.mul(c1)).intoArray(b1i, q);
        y2r.mul(c2).sub(y2i.mul(s2)).intoArray(b2r, q);
        y2r.mul(s2).add(y2i.mul(c2)).intoArray(b2i, q);
        y3r.mul(c3).sub(y3i.mul(s3)).intoArray(b3r, q);
        y3r.mul(s3).add(y3i.mul(c3)).intoArray(b3i, q);
      } else {
        y1r.intoArray(b1r, q);
        y1i.intoArray(b1i, q);
        y2r.intoArray(b2r, q);
        y2i.intoArray(b2i, q);
        y3r.intoArray(b3r, q);
        y3i.intoArray(b3i, q);
      }
    }
    return q;
  }

  /** {@link SpectrumRows#butterfly3} on whole vectors, as {@link #butterfly4}. */
  static int butterfly3(float[] a0r, float[] a0i, float[] a1r, float[] a1i, float[] a2r, float[] a2i, float[] b0r,
      float[] b0i, float[] b1r, float[] b1i, float[] b2r, float[] b2i, float nh, float ph, boolean rotate, float c1,
      float s1, float c2, float s2, int n) {
    int q = 0;
    for (; q + LANES <= n; q += LANES) {
      FloatVector x1 = FloatVector.fromArray(SPECIES, a1r, q);
      FloatVector x2 = FloatVector.fromArray(SPECIES, a2r, q);
      FloatVector tr = x1.add(x2);
      FloatVector dr = x1.sub(x2);
      x1 = FloatVector.fromArray(SPECIES, a1i, q);
      x2 = FloatVector.fromArray(SPECIES, a2i, q);
      FloatVector ti = x1.add(x2);
      FloatVector di = x1.sub(x2);
      FloatVector x0 = FloatVector.fromArray(SPECIES, a0r, q);
      x0.add(tr).intoArray(b0r, q);
      FloatVector mr = x0.sub(tr.mul(0.5f));
      x0 = FloatVector.fromArray(SPECIES, a0i, q);
      x0.add(ti).intoArray(b0i, q);
      FloatVector mi = x0.sub(ti.mul(0.5f));
      FloatVector u = di.mul(nh);
      FloatVector y1r = mr.add(u);
      FloatVector y2r = mr.sub(u);
      FloatVector v = dr.mul(ph);
      FloatVector y1i = mi.add(v);
      FloatVector y2i = mi.sub(v);
      if (rotate) {
        y1r.mul(c1).sub(y1i.mul(s1)).intoArray(b1r, q);
        y1r.mul(s1).add(y1i.mul(c1)).intoArray(b1i, q);
        y2r.mul(c2).sub(y2i.mul(s2)).intoArray(b2r, q);
        y2r.mul(s2).add(y2i.mul(c2)).intoArray(b2i, q);
      } else {
        y1r.intoArray(b1r, q);
        y1i.intoArray(b1i, q);
        y2r.intoArray(b2r, q);
        y2i.intoArray(b2i, q);
      }
    }
    return q;
  }

}
