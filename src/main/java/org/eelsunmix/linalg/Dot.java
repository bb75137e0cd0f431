package org.eelsunmix.linalg;

/**
 * Inner products, the one place they are written. Two summation orders exist on purpose:
 *
 * <ul>
 *   <li>{@code dot} adds the products in index order, the plain textbook sum. VCA, the eigensolver and FCLS's
 *       set-up use it; their results are defined by that order, so it stays.
 *   <li>The {@code unrolled} row products keep eight partial sums ({@code s_j = Σ_{c ≡ j mod 8} d_c y_c} over the
 *       whole groups of eight, the {@code n mod 8} leftovers added to {@code s0} in order, returned as
 *       {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}, {@link #sumOfEight}) so that consecutive
 *       multiply-adds do not wait on one another and the sums are the lanes of the Vector API path ({@link DotVector}: one vector of eight
 *       doubles, or two of four, {@link DoubleLanes}); {@link #unrolledPairTwice} takes two rows of a row-major
 *       matrix and two spectra in one pass, sharing each load. C2 does not vectorise floating-point sums, whose
 *       order it must keep. (Four sums until stop 31, when the double kernels took one shape: the products moved in
 *       their last bits, relative differences of order 1e-16.)
 * </ul>
 *
 * <p>The eight-sum order gives the same result for the same inputs on every JVM and machine (no reassociation
 * happens), but not the same last bits as the index-order sum.
 */
public final class Dot {
  /** The row products on the Vector API ({@link DotVector}: same bits, 2–4× faster) where this JVM has it. */
  private static final boolean VECTOR = VectorApi.ENABLED && DoubleLanes.usable();

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

  /** {@code d[base .. base + n) · y[offset .. offset + n)} with eight partial sums. */
  public static double unrolled(double[] d, int base, int n, float[] y, int offset) {
    return VECTOR ? DotVector.unrolled(d, base, n, y, offset) : unrolledScalar(d, base, n, y, offset);
  }

  /** {@link #unrolled(double[], int, int, float[], int)} without the Vector API (the reference; same bits). */
  static double unrolledScalar(double[] d, int base, int n, float[] y, int offset) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // eight chains, in registers
    int c = 0;
    for (; c + 7 < n; c += 8) {
      int i = base + c;
      int k = offset + c;
      s0 += d[i] * y[k];
      s1 += d[i + 1] * y[k + 1];
      s2 += d[i + 2] * y[k + 2];
      s3 += d[i + 3] * y[k + 3];
      s4 += d[i + 4] * y[k + 4];
      s5 += d[i + 5] * y[k + 5];
      s6 += d[i + 6] * y[k + 6];
      s7 += d[i + 7] * y[k + 7];
    }
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return sumOfEight(s0, s1, s2, s3, s4, s5, s6, s7);
  }

  /**
   * {@code ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))}: the one order in which the eight partial sums of the
   * row products and of the mixture residuals are added, on every path and vector shape.
   */
  public static double sumOfEight(double s0, double s1, double s2, double s3, double s4, double s5, double s6,
      double s7) {
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
  }

  /** As {@link #unrolled(double[], int, int, float[], int)} for a {@code double[]} y. */
  public static double unrolled(double[] d, int base, int n, double[] y, int offset) {
    return VECTOR ? DotVector.unrolled(d, base, n, y, offset) : unrolledScalar(d, base, n, y, offset);
  }

  /** {@link #unrolled(double[], int, int, double[], int)} without the Vector API (the reference; same bits). */
  static double unrolledScalar(double[] d, int base, int n, double[] y, int offset) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0; // eight chains, in registers
    int c = 0;
    for (; c + 7 < n; c += 8) {
      int i = base + c;
      int k = offset + c;
      s0 += d[i] * y[k];
      s1 += d[i + 1] * y[k + 1];
      s2 += d[i + 2] * y[k + 2];
      s3 += d[i + 3] * y[k + 3];
      s4 += d[i + 4] * y[k + 4];
      s5 += d[i + 5] * y[k + 5];
      s6 += d[i + 6] * y[k + 6];
      s7 += d[i + 7] * y[k + 7];
    }
    for (; c < n; c++) {
      s0 += d[base + c] * y[offset + c];
    }
    return sumOfEight(s0, s1, s2, s3, s4, s5, s6, s7);
  }

  /**
   * Two consecutive rows of a row-major matrix times y: {@code out[p] = d[base .. base + n) · y} and
   * {@code out[p + 1] = d[base + n .. base + 2n) · y}, each {@link #unrolled}.
   */
  public static void unrolledPair(double[] d, int base, int n, float[] y, int offset, double[] out, int p) {
    out[p] = unrolled(d, base, n, y, offset);
    out[p + 1] = unrolled(d, base + n, n, y, offset);
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
      unrolledPair(d, base, n, y, offsetA, outA, p);
      unrolledPair(d, base, n, y, offsetB, outB, p);
    }
  }
}
