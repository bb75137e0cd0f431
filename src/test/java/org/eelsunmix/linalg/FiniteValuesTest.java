package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FiniteValues} against the definition written out value by value ({@code Float.isFinite}, and {@code v ≥ 0}
 * when negative counts are refused), with every special value at every position of runs of 0..40 values at an
 * offset (so the vector loop, its tail and both together are hit), on the path this JVM takes and on the scalar twin.
 */
class FiniteValuesTest {
  private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f,
      -Float.MIN_VALUE, -0f, 0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
      Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0x7f800001)};

  private static boolean definition(float[] y, int from, int to, boolean nonNegative) {
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(y[i]) || nonNegative && !(y[i] >= 0)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void everySpecialValueAtEveryPosition() {
    Random random = new Random(3);
    int checked = 0;
    int refused = 0;
    for (int n = 0; n <= 40; n++) {
      float[] y = new float[n + 5];
      for (int i = 0; i < y.length; i++) {
        y[i] = 1000 * random.nextFloat();
      }
      for (int at = -1; at < n; at++) {
        for (float special : at < 0 ? new float[] {0f} : SPECIAL) {
          float[] z = y.clone();
          if (at >= 0) {
            z[3 + at] = special;
          }
          for (boolean nonNegative : new boolean[] {false, true}) {
            boolean expected = definition(z, 3, 3 + n, nonNegative);
            String what = "n=" + n + " at=" + at + " value=" + special + " nonNegative=" + nonNegative;
            assertEquals(expected, FiniteValues.all(z, 3, 3 + n, nonNegative), what);
            assertEquals(expected, FiniteValues.allScalar(z, 3, 3 + n, nonNegative ? 0f : -Float.MAX_VALUE), what);
            checked++;
            refused += expected ? 0 : 1;
          }
        }
      }
    }
    assertTrue(refused > checked / 4 && refused < checked, refused + " of " + checked + " refused");
  }

  @Test
  void valuesOutsideTheRangeAreNotRead() {
    float[] y = {Float.NaN, 1f, 2f, -3f};
    assertTrue(FiniteValues.all(y, 1, 3, true));
    assertThrows(IndexOutOfBoundsException.class, () -> FiniteValues.all(y, 2, 5, true));
  }
}
