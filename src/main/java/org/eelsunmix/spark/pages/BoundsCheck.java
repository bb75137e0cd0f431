package org.eelsunmix.spark.pages;

import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.spark.PixelRows;

/**
 * Whether every value within known bounds passes a table's spectrum check ({@link PixelRows#check}: finite, and
 * non-negative when required), so that spectra decoded from dictionary pages need not be looked at one by one: each
 * such value is one of its row group's dictionary entries, which lie within the entries' smallest and largest
 * ({@link SpectrumPages#dictionaryBounds}). Since the check looks only at a spectrum's extremes, a spectrum made of
 * the two bounds passes it exactly when every value between them does; the rule itself stays {@link PixelRows}'s. The
 * verdict is kept for the next bounds that are the same (a row group's dictionary serves many chunks). Not
 * thread-safe.
 */
final class BoundsCheck {
  private static final PixelKey[] PROBE = {new PixelKey("", 0, 0)};
  private final PixelRows rows;
  private final float[] probe;
  private int lastMin = Float.floatToRawIntBits(Float.NaN);
  private int lastMax = Float.floatToRawIntBits(Float.NaN);
  private boolean verdict;

  BoundsCheck(PixelRows rows) {
    this.rows = rows;
    this.probe = new float[rows.channels()];
  }

  /** Whether every value in {@code [min, max]} passes (false when either is NaN). */
  boolean passes(float min, float max) {
    int lo = Float.floatToRawIntBits(min);
    int hi = Float.floatToRawIntBits(max);
    if (lo == lastMin && hi == lastMax) {
      return verdict;
    }
    java.util.Arrays.fill(probe, max);
    probe[0] = min;
    try {
      rows.check(probe, 0, 1, PROBE);
      verdict = true;
    } catch (BadInputException e) {
      verdict = false; // an entry that is not a count: the pixels are checked themselves, naming any that uses it
    }
    lastMin = lo;
    lastMax = hi;
    return verdict;
  }
}
