package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Smoke test only: the figure itself depends on the machine and is reported, never asserted. */
class FclsThroughputTest {

  @Test
  void measuresSomething() {
    double rate = FclsThroughput.pixelsPerSecond(40, 3, 500, 1L, 0.05);
    assertTrue(rate > 0 && Double.isFinite(rate), "pixels/s " + rate);
  }

  @Test
  void refusesImpossibleSettings() {
    assertThrows(IllegalArgumentException.class, () -> FclsThroughput.pixelsPerSecond(3, 4, 10, 1L, 0.01));
  }
}
