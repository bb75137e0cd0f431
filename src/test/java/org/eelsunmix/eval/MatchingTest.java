package org.eelsunmix.eval;

import org.eelsunmix.core.SpectralAngle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;

class MatchingTest {

  private static double[][] randomSpectra(Random random, int r, int b) {
    double[][] m = new double[r][b];
    for (double[] row : m) {
      for (int c = 0; c < b; c++) {
        row[c] = random.nextDouble();
      }
    }
    return m;
  }

  /** Estimates = true endmembers in a hidden order, rescaled and slightly perturbed. */
  private static double[][] perturbedPermutation(Random random, double[][] truth, int[] order) {
    double[][] est = new double[truth.length][];
    for (int i = 0; i < truth.length; i++) {
      double[] s = truth[order[i]].clone();
      double scale = 0.5 + random.nextDouble();
      for (int c = 0; c < s.length; c++) {
        s[c] = scale * s[c] * (1 + 0.02 * random.nextGaussian());
      }
      est[i] = s;
    }
    return est;
  }

  @Test
  void recoversAHiddenPermutationOfPerturbedEndmembers() {
    Random random = new Random(21);
    EnergyAxis axis = EnergyAxis.ofEv(100, 1, 50);
    for (int trial = 0; trial < 20; trial++) {
      double[][] truth = randomSpectra(random, 6, 50);
      int[] order = {4, 2, 5, 0, 3, 1}; // estimate i is truth order[i]
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      double[][] est = perturbedPermutation(random, truth, order);
      Matching m = Matching.bySpectralAngle(new Endmembers(truth, null, axis), new Endmembers(est, null, axis));
      int[] expected = new int[6];
      for (int i = 0; i < 6; i++) {
        expected[order[i]] = i;
      }
      assertArrayEquals(expected, m.estimateOfTrue());
      for (int r = 0; r < 6; r++) {
        assertEquals(SpectralAngle.between(truth[r], est[expected[r]]), m.angles()[r], 0.0);
        assertTrue(m.angles()[r] < 0.1);
      }
      assertEquals(0, m.unmatchedTrue().length);
      assertEquals(0, m.unmatchedEstimated().length);
    }
  }

  @Test
  void moreEstimatesThanTruthLeavesTheWorstUnmatched() {
    double[][] sad = {
        {0.9, 0.1, 0.8, 0.7},
        {0.2, 0.6, 0.9, 0.5},
    };
    Matching m = Matching.fromAngles(sad, 4);
    assertArrayEquals(new int[] {1, 0}, m.estimateOfTrue());
    assertArrayEquals(new int[] {2, 3}, m.unmatchedEstimated());
    assertEquals(2, m.pairs());
  }

  @Test
  void fewerEstimatesThanTruthLeavesTrueEndmembersUnmatched() {
    double[][] sad = {
        {0.3, 0.9},
        {0.8, 0.4},
        {0.1, 0.25},
    };
    // Optimal: truth 2 -> est 0, truth 1 -> est 1: 0.1 + 0.4 = 0.5, better than 0.3 + 0.25 or 0.3 + 0.4.
    Matching m = Matching.fromAngles(sad, 2);
    assertArrayEquals(new int[] {-1, 1, 0}, m.estimateOfTrue());
    assertArrayEquals(new int[] {0}, m.unmatchedTrue());
    assertTrue(Double.isNaN(m.angles()[0]));
    assertEquals(0.4, m.angles()[1], 0.0);
  }
}
