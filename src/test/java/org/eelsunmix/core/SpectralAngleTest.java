package org.eelsunmix.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;

class SpectralAngleTest {

  @Test
  void knownAngles() {
    assertEquals(Math.PI / 2, SpectralAngle.between(new double[] {1, 0, 0}, new double[] {0, 3, 0}), 1e-15);
    assertEquals(0.0, SpectralAngle.between(new double[] {1, 2, 3}, new double[] {1, 2, 3}), 1e-7);
    assertEquals(0.0, SpectralAngle.between(new double[] {1, 2, 3}, new double[] {2.5, 5, 7.5}), 1e-7);
    assertEquals(Math.PI, SpectralAngle.between(new double[] {1, 2}, new double[] {-2, -4}), 1e-7);
    assertEquals(Math.PI / 4, SpectralAngle.between(new double[] {1, 0}, new double[] {1, 1}), 1e-15);
    assertEquals(Math.PI / 3, SpectralAngle.between(new double[] {1, 0}, new double[] {0.5, Math.sqrt(3) / 2}),
        1e-15);
    assertEquals(Math.PI / 2, SpectralAngle.between(new double[] {0, 0}, new double[] {1, 1}), 0.0);
    assertEquals(0.0, SpectralAngle.between(new double[] {0, 0}, new double[] {0, 0}), 0.0);
  }

  @Test
  void nearlyParallelSpectraStayFinite() {
    // Rounding can push the cosine of (nearly) parallel vectors above 1: the clamp keeps arccos defined.
    double[] a = new double[1000];
    double[] b = new double[1000];
    for (int i = 0; i < a.length; i++) {
      a[i] = 0.1 * (i + 1) + 1e-3 * Math.sin(i);
      b[i] = 3 * a[i];
    }
    double sad = SpectralAngle.between(a, b);
    assertTrue(sad >= 0 && sad < 1e-7, "SAD " + sad);
  }

  @Test
  void matrixOfEndmemberSets() {
    EnergyAxis axis = EnergyAxis.ofEv(0, 1, 2);
    Endmembers truth = new Endmembers(new double[][] {{1, 0}, {0, 1}}, null, axis);
    Endmembers est = new Endmembers(new double[][] {{0, 2}, {1, 1}, {3, 0}}, null, axis);
    double[][] sad = SpectralAngle.matrix(truth, est);
    assertEquals(2, sad.length);
    assertEquals(3, sad[0].length);
    assertEquals(Math.PI / 2, sad[0][0], 1e-15);
    assertEquals(Math.PI / 4, sad[0][1], 1e-15);
    assertEquals(0.0, sad[0][2], 1e-15);
    assertEquals(0.0, sad[1][0], 1e-15);
    Endmembers other = new Endmembers(new double[][] {{1, 2, 3}}, List.of("x"), EnergyAxis.ofEv(0, 1, 3));
    BadInputException e = assertThrows(BadInputException.class, () -> SpectralAngle.matrix(truth, other));
    assertTrue(e.getMessage().startsWith("estimated endmembers: ") && e.getMessage().contains("channels"));
  }
}
