package org.eelsunmix.linalg;

/**
 * Whether a run of counts is plausible: every value finite, and non-negative where negative counts are refused
 * ({@code −0} counts as non-negative). The check every spectrum read into a per-pixel pass goes through before a
 * kernel sees it; only when it fails does the caller look value by value to name the culprit.
 *
 * <p>Why a class of its own: the loop of {@code Math.min}/{@code Math.max} it replaces (exact in any order, NaN
 * propagating) cost 0.7 ns a value, about a tenth of a pixel's whole Spark FCLS transform (JFR of a cached 512 × 512
 * cube); two lane-wise comparisons on the Vector API ({@link FiniteValuesVector}) cost about a fifth of that. The
 * answer is the same on both paths (a comparison with NaN is false on both).
 */
public final class FiniteValues {
  private static final boolean VECTOR = VectorApi.ENABLED && FiniteValuesVector.usable();

  private FiniteValues() {}

  /**
   * Whether every {@code y[from .. to)} is finite and, when {@code nonNegative}, {@code ≥ 0}.
   *
   * @throws IndexOutOfBoundsException when the range lies outside {@code y}
   */
  public static boolean all(float[] y, int from, int to, boolean nonNegative) {
    if (from < 0 || to > y.length || from > to) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of an array of " + y.length);
    }
    float floor = nonNegative ? 0f : -Float.MAX_VALUE;
    return VECTOR ? FiniteValuesVector.all(y, from, to, floor) : allScalar(y, from, to, floor);
  }

  /**
   * The scalar twin: the least value {@code ≥ floor} and the greatest {@code < +∞}. {@code Math.min} and
   * {@code max} propagate NaN and are exact in any order, so the loop has no branch per value.
   */
  static boolean allScalar(float[] y, int from, int to, float floor) {
    float lo = Float.POSITIVE_INFINITY;
    float hi = Float.NEGATIVE_INFINITY;
    for (int i = from; i < to; i++) {
      lo = Math.min(lo, y[i]);
      hi = Math.max(hi, y[i]);
    }
    return lo >= floor && hi < Float.POSITIVE_INFINITY; // an empty run: +∞ and −∞, so true
  }
}
