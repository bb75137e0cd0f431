package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The maximum-distance-to-chord rule on screes whose elbow is known by construction. */
class ScreeElbowTest {

  @Test
  void countsTheEigenvaluesAboveAFlatFloor() {
    for (int r = 1; r <= 6; r++) {
      double[] scree = new double[20];
      for (int i = 0; i < 20; i++) {
        // r signal values decaying by a decade each, then a slowly sloping floor
        scree[i] = i < r ? Math.pow(10, 8 - i) : 10 * Math.pow(0.98, i);
      }
      assertEquals(r, ScreeElbow.estimate(scree, 20), "r = " + r);
    }
  }

  @Test
  void edgeCases() {
    assertEquals(2, ScreeElbow.estimate(new double[] {5, 1, 0, -1e-12}, 4), "stops at non-positive values");
    assertEquals(1, ScreeElbow.estimate(new double[] {3, 3, 3, 3}, 4), "flat scree");
    assertEquals(1, ScreeElbow.estimate(new double[] {100, 1, 1, 1, 1}, 5));
    assertThrows(IllegalArgumentException.class, () -> ScreeElbow.estimate(new double[] {3, 2}, 2));
  }
}
