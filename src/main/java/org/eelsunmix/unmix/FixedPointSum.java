package org.eelsunmix.unmix;

import java.io.Serializable;

/**
 * An array of sums whose result does not depend on the order of the additions: each term is rounded once to a
 * multiple of a fixed quantum {@code 2^−q} and added as a 64-bit integer. Integer addition is associative and
 * commutative, so summing the same terms per partition and merging the partitions in any tree gives the same
 * bits as one loop over the pixels; floating-point sums do not (their rounding depends on the order). This is what
 * makes a distributed BLU chain bit-identical for any partitioning.
 *
 * <p>The quantum comes from a bound on |term| and the number of terms: {@code 2^q} is the largest power of two
 * with {@code bound · terms · 2^q < 2^62}, so no partial sum can overflow. The rounding error of a term is at most
 * half a quantum, {@code 2^−63 · bound · terms}, about 1e-15 of the bound for 4 096 terms: far below the noise of any
 * Monte Carlo estimate. A term above the bound breaks the sum (the conversion saturates): callers derive bounds
 * from exact maxima.
 */
public final class FixedPointSum implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double scale;
  private final long[] values;

  /**
   * @param size number of sums
   * @param bound upper bound on the magnitude of every term (≥ 0, finite)
   * @param terms upper bound on the number of terms added into one sum (over all partitions)
   */
  public FixedPointSum(int size, double bound, long terms) {
    this.scale = scaleFor(bound, terms);
    this.values = new long[size];
  }

  /** {@code 2^q}, the largest power of two with {@code bound · terms · 2^q < 2^62}. */
  static double scaleFor(double bound, long terms) {
    if (!(bound >= 0) || Double.isInfinite(bound) || terms < 0) {
      throw new IllegalArgumentException("need a finite bound >= 0 and terms >= 0, got " + bound + ", " + terms);
    }
    int boundBits = Math.getExponent(Math.max(bound, Double.MIN_NORMAL)) + 1; // bound < 2^boundBits
    int termBits = 64 - Long.numberOfLeadingZeros(Math.max(terms, 1)); // terms < 2^termBits
    int q = Math.max(-1000, Math.min(1000, 62 - boundBits - termBits));
    return Math.scalb(1.0, q);
  }

  public int size() {
    return values.length;
  }

  /** Adds {@code term} to sum {@code i}. */
  public void add(int i, double term) {
    values[i] += (long) Math.rint(term * scale);
  }

  /** Adds {@code term · 2^q} already scaled by {@link #scale()} (saves a multiplication in hot loops). */
  public void addScaled(int i, double scaledTerm) {
    values[i] += (long) Math.rint(scaledTerm);
  }

  /** {@code 2^q}: terms are multiplied by it before rounding. */
  public double scale() {
    return scale;
  }

  /** Sum {@code i} as a double (rounded once). */
  public double get(int i) {
    return values[i] / scale;
  }

  /** Adds {@code other} (same size and quantum) into this; returns this. */
  public FixedPointSum merge(FixedPointSum other) {
    if (other.scale != scale || other.values.length != values.length) {
      throw new IllegalArgumentException("cannot merge sums of different sizes or quanta");
    }
    for (int i = 0; i < values.length; i++) {
      values[i] += other.values[i];
    }
    return this;
  }
}
