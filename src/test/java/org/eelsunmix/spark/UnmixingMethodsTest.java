package org.eelsunmix.spark;

import org.eelsunmix.core.Unmixing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.spark.ml.UnmixingMethod;
import org.eelsunmix.spark.ml.UnmixingMethods;
import java.util.Set;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** The in-memory methods behind evaluate: names, and the shape of what they return. */
class UnmixingMethodsTest {

  @Test
  void everyMethodGivesSumToOneMapsOnTheCountScale() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withFilter(3)
        .withBlock(4).withSize(16), 1);
    for (UnmixingMethod m : UnmixingMethods.all()) {
      if (m.name().equals("cnnaeu")) {
        continue; // its reference schedule takes many minutes; CnnaeuTest checks its maps with a short one
      }
      Unmixing u = m.unmix(cube.image(), 3, 2);
      Abundances a = u.abundances();
      assertEquals(16, a.height());
      assertEquals(3, a.count());
      for (int p = 0; p < a.pixels(); p++) {
        double sum = 0;
        for (int r = 0; r < 3; r++) {
          assertTrue(a.values()[p * 3 + r] >= -1e-12, m + " negative abundance");
          sum += a.values()[p * 3 + r];
        }
        assertEquals(1.0, sum, 1e-9, m + " pixel " + p);
      }
      // The model reconstructs the counts to within a few times the Poisson noise (sqrt of ~500 counts/channel).
      // The autoencoders' angle loss fits directions, not counts, and ICA's sum-to-one maps are a heuristic
      // rescaling (IndependentComponents#proportions, about 130 here): for those only the count scale is checked.
      double rmse = UnmixingScores.reconstructionRmse(cube.image(), u.endmembers(), a);
      boolean loose = Set.of("daeu", "mtaeu", "ica").contains(m.name());
      assertTrue(rmse < (loose ? 250 : 100), m + " RMSE " + rmse);
    }
  }

  @Test
  void namesAreTheCommandLineNames() {
    assertEquals("nmf", UnmixingMethods.byName("NMF").name());
    assertEquals("vca-fcls", UnmixingMethods.byName("vca-fcls").name());
    BadInputException e = assertThrows(BadInputException.class, () -> UnmixingMethods.byName("pca"));
    assertTrue(e.getMessage().contains("method") && e.getMessage().contains("vca-fcls, nmf"), e.getMessage());
  }

  @Test
  void everyEntryMakesAnEstimatorOfItsOwnMethodWithTheSharedParams() {
    for (UnmixingMethod m : UnmixingMethods.all()) {
      var e = m.newEstimator();
      assertEquals(m.name(), e.method(), "estimator of " + m.name());
      assertEquals(3, e.getNumEndmembers());
      assertEquals("spectrum", e.getInputCol());
      assertTrue(!m.summary().isBlank() && !m.reference().isBlank(), m.name());
    }
  }
}
