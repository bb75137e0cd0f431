package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.eelsunmix.core.Abundances;
import org.junit.jupiter.api.Test;

class MixingFilterTest {
  /** A 4 × 4 single map with values 0..15 row-major: a(y, x) = 4y + x. */
  private static Abundances ramp() {
    double[] v = new double[16];
    for (int i = 0; i < 16; i++) {
      v[i] = i;
    }
    return new Abundances(4, 4, 1, v);
  }

  @Test
  void cornerPixelByHand() {
    // k = 3 at (0, 0): rows −1, 0, 1 → 0, 0, 1 and the same for columns (… b a | a b …), so
    // (1/9)[4·a(0,0) + 2·a(0,1) + 2·a(1,0) + a(1,1)] = (0 + 2·1 + 2·4 + 5)/9 = 15/9.
    Abundances out = new MixingFilter(3).apply(ramp());
    assertEquals(15.0 / 9.0, out.get(0, 0, 0), 1e-15);
    // k = 5 at (0, 0): rows −2..2 → 1, 0, 0, 1, 2. Row sums of a over columns 1,0,0,1,2 are
    // 5·4y + (1+0+0+1+2) = 20y + 4; over rows 1,0,0,1,2: (20+4) + 4 + 4 + 24 + 44 = 100 → 100/25 = 4.
    Abundances out5 = new MixingFilter(5).apply(ramp());
    assertEquals(4.0, out5.get(0, 0, 0), 1e-14);
    // k = 3 at the far corner (3, 3): rows 2, 3, 3 and columns 2, 3, 3:
    // (a22 + 2a23 + 2a32 + 4a33)/9 = (10 + 22 + 28 + 60)/9 = 120/9.
    assertEquals(120.0 / 9.0, out.get(3, 3, 0), 1e-14);
    // An interior pixel is the plain 3 × 3 mean: around (1, 1) that is a(1,1) = 5 for a linear ramp.
    assertEquals(5.0, out.get(1, 1, 0), 1e-15);
  }

  @Test
  void mirrorIsHalfSampleSymmetric() {
    int[] expected = {2, 1, 0, 0, 1, 2, 3, 3, 2, 1}; // indices −3 … 6 for n = 4: c b a | a b c d | d c b
    for (int i = -3; i <= 6; i++) {
      assertEquals(expected[i + 3], MixingFilter.mirror(i, 4), "index " + i);
    }
  }

  /** Against a brute-force reference that pads the map explicitly by reflection, then averages k × k windows. */
  @Test
  void matchesBruteForceOnRandomMaps() {
    SplittableRandom random = new SplittableRandom(4);
    int h = 7;
    int w = 10;
    int r = 3;
    double[] v = new double[h * w * r];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextDouble();
    }
    Abundances maps = new Abundances(h, w, r, v);
    for (int k : new int[] {1, 3, 5, 7}) {
      int half = k / 2;
      Abundances out = new MixingFilter(k).apply(maps);
      for (int c = 0; c < r; c++) {
        double[][] padded = new double[h + 2 * half][w + 2 * half];
        for (int y = -half; y < h + half; y++) {
          for (int x = -half; x < w + half; x++) {
            int sy = y < 0 ? -1 - y : y >= h ? 2 * h - 1 - y : y;
            int sx = x < 0 ? -1 - x : x >= w ? 2 * w - 1 - x : x;
            padded[y + half][x + half] = maps.get(sy, sx, c);
          }
        }
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            double sum = 0;
            for (int i = 0; i < k; i++) {
              for (int j = 0; j < k; j++) {
                sum += padded[y + i][x + j];
              }
            }
            assertEquals(sum / (k * k), out.get(y, x, c), 1e-14, "k=" + k + " at " + y + "," + x);
          }
        }
      }
    }
  }

  @Test
  void filteredChequerboardStaysNonNegativeAndSumsToOne() {
    Abundances pure = new ChequerboardMaps(64, 8).draw(4, new SplittableRandom(8));
    Abundances mixed = new MixingFilter(9).apply(pure);
    boolean someMixed = false;
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        double sum = 0;
        for (int r = 0; r < 4; r++) {
          double a = mixed.get(y, x, r);
          assertTrue(a >= 0, "negative abundance");
          someMixed |= a > 0 && a < 1;
          sum += a;
        }
        assertEquals(1.0, sum, 1e-14, "pixel " + y + "," + x);
      }
    }
    assertTrue(someMixed, "a 9 × 9 filter mixes neighbouring blocks");
  }

  @Test
  void windowOfOneIsTheIdentity() {
    Abundances pure = new ChequerboardMaps(16, 4).draw(3, new SplittableRandom(1));
    assertArrayEquals(pure.values(), new MixingFilter(1).apply(pure).values(), 0.0);
  }

  @Test
  void badWindowsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MixingFilter(4));
    assertThrows(IllegalArgumentException.class, () -> new MixingFilter(0));
    assertThrows(IllegalArgumentException.class, () -> new MixingFilter(11).apply(ramp()),
        "a half-window of 5 cannot be mirrored in 4 pixels");
  }
}
