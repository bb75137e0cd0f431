package org.eelsunmix.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;

class NmseTest {

  @Test
  void closedFormOnSmallMaps() {
    // ‖(1,0,1,0) − (0.5,0,1,0.5)‖² = 0.25 + 0.25 = 0.5, ‖z‖² = 2.
    assertEquals(0.25, Nmse.of(new double[] {1, 0, 1, 0}, new double[] {0.5, 0, 1, 0.5}), 1e-15);
    assertEquals(0.0, Nmse.of(new double[] {0.2, 0.8}, new double[] {0.2, 0.8}), 0.0);
    assertEquals(1.0, Nmse.of(new double[] {0.2, 0.8}, new double[] {0, 0}), 1e-15);
    assertTrue(Double.isNaN(Nmse.of(new double[] {0, 0}, new double[] {0.1, 0})));
  }

  @Test
  void perMapFollowsTheMatching() {
    // 1 x 2 image, 2 endmembers; truth maps: e0 = (1, 0.25), e1 = (0, 0.75).
    Abundances truth = new Abundances(1, 2, 2, new double[] {1, 0, 0.25, 0.75});
    // Estimates in swapped order: est0 ≈ e1, est1 ≈ e0.
    Abundances est = new Abundances(1, 2, 2, new double[] {0.1, 0.9, 0.75, 0.25});
    Matching swap = Matching.fromAngles(new double[][] {{0.5, 0.01}, {0.02, 0.5}}, 2);
    double[] nmse = Nmse.perMap(truth, est, swap);
    // e0 vs est1 = (0.9, 0.25): 0.01 / (1 + 0.0625); e1 vs est0 = (0.1, 0.75): 0.01 / 0.5625.
    assertArrayEquals(new double[] {0.01 / 1.0625, 0.01 / 0.5625}, nmse, 1e-15);

    Abundances wrongSize = new Abundances(2, 1, 2, new double[4]);
    BadInputException e = assertThrows(BadInputException.class, () -> Nmse.perMap(truth, wrongSize, swap));
    assertEquals("estimated abundances", e.source());
  }
}
