package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.eelsunmix.core.Abundances;
import org.junit.jupiter.api.Test;

class ChequerboardMapsTest {
  @Test
  void mapsAreOneHotAndConstantOnEachBlock() {
    ChequerboardMaps maps = new ChequerboardMaps(64, 8);
    int[] labels = maps.drawLabels(3, new SplittableRandom(11));
    assertEquals(64, labels.length);
    Abundances a = maps.paint(labels, 3);
    assertEquals(64, a.height());
    assertEquals(64, a.width());
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        int expected = labels[(y / 8) * 8 + x / 8];
        for (int r = 0; r < 3; r++) {
          assertEquals(r == expected ? 1.0 : 0.0, a.get(y, x, r), 0.0, "pixel " + y + "," + x);
        }
      }
    }
  }

  @Test
  void drawIsPaintOfDrawLabelsWithTheSameStream() {
    ChequerboardMaps maps = new ChequerboardMaps(12, 4);
    Abundances a = maps.draw(4, new SplittableRandom(3));
    Abundances b = maps.paint(maps.drawLabels(4, new SplittableRandom(3)), 4);
    assertTrue(java.util.Arrays.equals(a.values(), b.values()));
  }

  /**
   * Over 400 seeds × 64 blocks each endmember should own 1/R of the 25 600 blocks; the binomial standard deviation
   * is sqrt(n p (1 − p)) ≈ 69 for R = 4, and 5 of them would be a one-in-a-million miss.
   */
  @Test
  void everyEndmemberIsUsedUniformly() {
    int r = 4;
    long[] counts = new long[r];
    ChequerboardMaps maps = new ChequerboardMaps(64, 8);
    int n = 0;
    for (long seed = 0; seed < 400; seed++) {
      for (int label : maps.drawLabels(r, new SplittableRandom(seed))) {
        counts[label]++;
        n++;
      }
    }
    double p = 1.0 / r;
    double sd = Math.sqrt(n * p * (1 - p));
    for (int k = 0; k < r; k++) {
      assertTrue(Math.abs(counts[k] - n * p) < 5 * sd, "endmember " + k + ": " + counts[k] + " of " + n);
    }
  }

  @Test
  void blockMustDivideSize() {
    assertThrows(IllegalArgumentException.class, () -> new ChequerboardMaps(64, 7));
    assertThrows(IllegalArgumentException.class, () -> new ChequerboardMaps(0, 1));
    assertEquals(1, new ChequerboardMaps(8, 8).blocksPerSide());
  }
}
