package org.eelsunmix.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;

/** Matching by correlation against a brute-force search over every assignment, and the correlation's closed form. */
class MapMatchingTest {

  @Test
  void correlationHasItsClosedFormAndIgnoresNonFinitePixels() {
    double[] a = {1, 2, 3, 4, Double.NaN};
    double[] b = {2, 4, 6, 8, 100};
    assertEquals(1.0, MapMatching.correlation(a, b), 1e-15);
    assertEquals(-1.0, MapMatching.correlation(a, new double[] {4, 3, 2, 1, 0}), 1e-15);
    // {1,2,3,4} against {1,0,0,1}: covariance 0 by symmetry.
    assertEquals(0.0, MapMatching.correlation(a, new double[] {1, 0, 0, 1, 7}), 1e-15);
    assertEquals(0.0, MapMatching.correlation(a, new double[] {5, 5, 5, 5, 5}), "a constant map");
  }

  @Test
  void theMatchMaximisesTheSummedCorrelationOverEveryAssignment() {
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 40; trial++) {
      int r = 2 + random.nextInt(3);
      int e = 2 + random.nextInt(3);
      double[][] components = maps(random, r, 50);
      double[][] elements = maps(random, e, 50);
      MapMatching m = MapMatching.byCorrelation(components, elements, null);
      double best = bestBruteForce(m, r, e, 0, new boolean[e]);
      double got = 0;
      int matched = 0;
      for (int k = 0; k < r; k++) {
        if (m.elementOf(k) >= 0) {
          got += m.correlation(k, m.elementOf(k));
          matched++;
          assertEquals(k, m.componentOf(m.elementOf(k)));
        }
      }
      assertEquals(Math.min(r, e), matched);
      assertEquals(best, got, 1e-12, "trial " + trial);
    }
  }

  @Test
  void aNamedComponentKeepsItsElementAndTheRestAreMatchedAroundIt() {
    double[] x = {0, 1, 2, 3, 4, 5};
    double[] y = {5, 1, 4, 0, 3, 2};
    double[][] elements = {x, y};
    double[][] components = {y.clone(), x.clone()};
    MapMatching free = MapMatching.byCorrelation(components, elements, null);
    assertEquals(1, free.elementOf(0));
    assertEquals(0, free.elementOf(1));
    MapMatching named = MapMatching.byCorrelation(components, elements, new int[] {0, -1});
    assertEquals(0, named.elementOf(0));
    assertTrue(named.namedByUser(0));
    assertEquals(1, named.elementOf(1));
    assertEquals(false, named.namedByUser(1));
    assertThrows(BadInputException.class, () -> MapMatching.byCorrelation(components, elements, new int[] {1, 1}));
  }

  private static double[][] maps(SplittableRandom random, int count, int pixels) {
    double[][] out = new double[count][pixels];
    for (double[] m : out) {
      for (int p = 0; p < pixels; p++) {
        m[p] = random.nextDouble();
      }
    }
    return out;
  }

  /** The largest summed correlation over every assignment of min(r, e) components to distinct elements. */
  private static double bestBruteForce(MapMatching m, int r, int e, int k, boolean[] used) {
    if (k == r) {
      return 0;
    }
    int remainingElements = 0;
    for (boolean u : used) {
      remainingElements += u ? 0 : 1;
    }
    double best = Double.NEGATIVE_INFINITY;
    if (r - k > remainingElements) {
      best = bestBruteForce(m, r, e, k + 1, used); // component k left unmatched
    }
    for (int j = 0; j < e; j++) {
      if (!used[j]) {
        used[j] = true;
        best = Math.max(best, m.correlation(k, j) + bestBruteForce(m, r, e, k + 1, used));
        used[j] = false;
      }
    }
    return best;
  }
}
