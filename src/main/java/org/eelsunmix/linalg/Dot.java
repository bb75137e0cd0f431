package org.eelsunmix.linalg;

/**
 * Inner products, the one place they are written. Two summation orders exist on purpose:
 *
 * <ul>
 *   <li>{@code dot} adds the products in index order, the plain textbook sum. VCA, the eigensolver and FCLS's
 *       set-up use it; their results are defined by that order, so it stays.
 *   <li>The {@code unrolled} row products keep four partial sums ({@code s_j = Σ_{c ≡ j mod 4} d_c y_c},
 *       returned as {@code (s0 + s1) + (s2 + s3)}) so that consecutive multiply-adds do not wait on one another,
 *       and {@link #unrolledPair} takes two rows of a row-major matrix in one pass, sharing each load (and
 *       float-to-double conversion) of y. C2 does not vectorise floating-point sums, whose order it must keep;
 *       together these make FCLS's per-pixel product {@code D y} about 1.8 times faster than a row at a time.
 * </ul>
 *
 * <p>The four-sum order gives the same result for the same inputs on every JVM (no reassociation happens), but
 * not the same last bits as the index-order sum.
 */
public final class Dot {
  /** The row products on the Vector API ({@link DotVector}: same bits, 2–4× faster) where this JVM has it. */
  private static final boolean VECTOR = VectorApi.ENABLED && DotVector.usable();

  private Dot() {
  }

  /** {@code Σ_i a_i b_i} over the length of {@code a}, added in index order; b needs at least as many entries. */
  public static double dot(double[] a, double[] b) {
    return dot(a, 0, b, 0, a.length);
  }

  /** {@code a[aOffset .. aOffset + n) · b[bOffset .. bOffset + n)}, added in index order. */
  public static double dot(double[] a, int aOffset, double[] b, int bOffset, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[aOffset + i] * b[bOffset + i];
    }
    return s;
  }

  /** {@code d[base .. base + n) · y[offset .. offset + n)} with four partial sums. */
  public static double unrolled(double[] d, int base, int n, float[] y, int offset) {
    return VECTOR ? DotVector.unrolled(d, base, n, y, offset) : unrolledScalar(d, base, n, y, offset);
  }

  /** {@link #unrolled(double[], int, int, float[], int)} without the Vector API (the reference; same bits). */
  static double unrolledScalar(double[] d, int base, int n, float[] y, int offset) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int c = 0;
    for (; c + 3 < n; c += 4) {
      s0 += d[base + c] * y[offset + c];
      s1 += d[base + c + 1] * y[offset + c + 1];
      s2 += d[base + c + 2] * y[offset + c + 2];
      s3 += d[base + c + 3] * y[offset + c + 3];
    }
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** As {@link #unrolled(double[], int, int, float[], int)} for a {@code double[]} y. */
  public static double unrolled(double[] d, int base, int n, double[] y, int offset) {
    return VECTOR ? DotVector.unrolled(d, base, n, y, offset) : unrolledScalar(d, base, n, y, offset);
  }

  /** {@link #unrolled(double[], int, int, double[], int)} without the Vector API (the reference; same bits). */
  static double unrolledScalar(double[] d, int base, int n, double[] y, int offset) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int c = 0;
    for (; c + 3 < n; c += 4) {
      s0 += d[base + c] * y[offset + c];
      s1 += d[base + c + 1] * y[offset + c + 1];
      s2 += d[base + c + 2] * y[offset + c + 2];
      s3 += d[base + c + 3] * y[offset + c + 3];
    }
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Two consecutive rows of a row-major matrix times y in one pass: {@code out[p] = d[base .. base + n) · y} and
   * {@code out[p + 1] = d[base + n .. base + 2n) · y}, each bit-identical to {@link #unrolled}.
   */
  public static void unrolledPair(double[] d, int base, int n, float[] y, int offset, double[] out, int p) {
    if (VECTOR) {
      DotVector.unrolledPair(d, base, n, y, offset, out, p);
    } else {
      unrolledPairScalar(d, base, n, y, offset, out, p);
    }
  }

  /** {@link #unrolledPair} without the Vector API (the reference; same bits). */
  static void unrolledPairScalar(double[] d, int base, int n, float[] y, int offset, double[] out, int p) {
    int base1 = base + n;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double t0 = 0;
    double t1 = 0;
    double t2 = 0;
    double t3 = 0;
    int c = 0;
    for (; c + 3 < n; c += 4) {
      double y0 = y[offset + c];
      double y1 = y[offset + c + 1];
      double y2 = y[offset + c + 2];
      double y3 = y[offset + c + 3];
      s0 += d[base + c] * y0;
      s1 += d[base + c + 1] * y1;
      s2 += d[base + c + 2] * y2;
      s3 += d[base + c + 3] * y3;
      t0 += d[base1 + c] * y0;
      t1 += d[base1 + c + 1] * y1;
      t2 += d[base1 + c + 2] * y2;
      t3 += d[base1 + c + 3] * y3;
    }
    for (; c < n; c++) {
      double yc = y[offset + c];
      s0 += d[base + c] * yc;
      t0 += d[base1 + c] * yc;
    }
    out[p] = (s0 + s1) + (s2 + s3);
    out[p + 1] = (t0 + t1) + (t2 + t3);
  }

  /**
   * {@link #unrolledPair} for two spectra in one pass, {@code y[offsetA ..]} into {@code outA[p], outA[p + 1]} and
   * {@code y[offsetB ..]} into {@code outB[p], outB[p + 1]}: each value bit-identical to {@link #unrolled}. Why: one
   * spectrum's two sums are two chains of dependent additions, and the pass waits on their latency; four chains keep
   * the adders busy and share each load of the two rows (FCLS's projection {@code D y}, two pixels at a time).
   */
  public static void unrolledPairTwice(double[] d, int base, int n, float[] y, int offsetA, int offsetB,
      double[] outA, double[] outB, int p) {
    if (VECTOR) {
      DotVector.unrolledPairTwice(d, base, n, y, offsetA, offsetB, outA, outB, p);
    } else {
      unrolledPairScalar(d, base, n, y, offsetA, outA, p);
      unrolledPairScalar(d, base, n, y, offsetB, outB, p);
    }
  }
}
