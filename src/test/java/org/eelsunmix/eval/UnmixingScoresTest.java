package org.eelsunmix.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.junit.jupiter.api.Test;

class UnmixingScoresTest {
  private static final EnergyAxis AXIS = EnergyAxis.ofEv(280, 1, 3);
  private static final Endmembers TRUTH = new Endmembers(new double[][] {{1, 0, 0}, {0, 1, 1}}, null, AXIS);
  // 2 x 1 pixels: (0.25, 0.75) and (1, 0).
  private static final Abundances TRUTH_A = new Abundances(2, 1, 2, new double[] {0.25, 0.75, 1, 0});

  private static SpectrumImage image() {
    float[] data = {0.25f, 0.75f, 0.75f, 1, 0, 0};
    return new SpectrumImage("si", 2, 1, AXIS, data);
  }

  @Test
  void perfectButPermutedEstimateScoresZero() {
    Endmembers est = TRUTH.permute(new int[] {1, 0}).scaled(2.0);
    Abundances estA = TRUTH_A.permute(new int[] {1, 0});
    UnmixingScores s = UnmixingScores.score(TRUTH, TRUTH_A, est, estA, image());
    assertArrayEquals(new int[] {1, 0}, s.permutation());
    assertArrayEquals(new double[] {0, 0}, s.sad(), 1e-7);
    assertArrayEquals(new double[] {0, 0}, s.nmse(), 0.0);
    // Scaled endmembers reconstruct twice the data: residual = data, RMSE = sqrt(Σy² / 6).
    double sumSquares = 0.0625 + 0.5625 + 0.5625 + 1;
    assertEquals(Math.sqrt(sumSquares / 6), s.rmse(), 1e-7);
    UnmixingScores exact = UnmixingScores.score(TRUTH, TRUTH_A, TRUTH, TRUTH_A, image());
    assertEquals(0.0, exact.rmse(), 1e-7);
    assertTrue(Double.isNaN(UnmixingScores.score(TRUTH, TRUTH_A, TRUTH, TRUTH_A, null).rmse()));
  }

  @Test
  void knownErrorsGiveClosedFormScores() {
    // est0 at 45° to e0; est1 = e1 exactly.
    Endmembers est = new Endmembers(new double[][] {{1, 1, 0}, {0, 1, 1}}, null, AXIS);
    Abundances estA = new Abundances(2, 1, 2, new double[] {0.5, 0.5, 1, 0});
    UnmixingScores s = UnmixingScores.score(TRUTH, TRUTH_A, est, estA, null);
    assertArrayEquals(new int[] {0, 1}, s.permutation());
    assertEquals(Math.PI / 4, s.sad()[0], 1e-15);
    assertEquals(0.0, s.sad()[1], 1e-7);
    assertEquals(Math.PI / 8, s.meanSad(), 1e-7);
    // e0 map (0.25, 1) vs (0.5, 1): 0.0625 / 1.0625; e1 map (0.75, 0) vs (0.5, 0): 0.0625 / 0.5625.
    assertEquals(0.0625 / 1.0625, s.nmse()[0], 1e-15);
    assertEquals(0.0625 / 0.5625, s.nmse()[1], 1e-15);
    assertEquals((0.0625 / 1.0625 + 0.0625 / 0.5625) / 2, s.meanNmse(), 1e-15);
  }

  @Test
  void shapesThatDoNotFitAreNamed() {
    Abundances threeMaps = new Abundances(2, 1, 3, new double[6]);
    BadInputException e = assertThrows(BadInputException.class,
        () -> UnmixingScores.score(TRUTH, TRUTH_A, TRUTH, threeMaps, null));
    assertEquals("estimated abundances", e.source());
    SpectrumImage small = new SpectrumImage("tiny-si", 1, 1, AXIS, new float[3]);
    e = assertThrows(BadInputException.class, () -> UnmixingScores.score(TRUTH, TRUTH_A, TRUTH, TRUTH_A, small));
    assertEquals("tiny-si", e.source());
  }
}
