package org.eelsunmix.unmix;

import org.eelsunmix.core.Unmixing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** The in-memory methods behind evaluate: names, and the shape of what they return. */
class UnmixingMethodTest {

  @Test
  void everyMethodGivesSumToOneMapsOnTheCountScale() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withFilter(3)
        .withBlock(4).withSize(16), 1);
    for (UnmixingMethod m : UnmixingMethod.values()) {
      if (m == UnmixingMethod.CNNAEU) {
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
      boolean loose = m == UnmixingMethod.DAEU || m == UnmixingMethod.MTAEU || m == UnmixingMethod.ICA;
      assertTrue(rmse < (loose ? 250 : 100), m + " RMSE " + rmse);
    }
  }

  @Test
  void namesAreTheCommandLineNames() {
    assertEquals(UnmixingMethod.NMF, UnmixingMethod.byName("NMF", "--method"));
    assertEquals(UnmixingMethod.VCA_FCLS, UnmixingMethod.byName("vca-fcls", "--method"));
    BadInputException e = assertThrows(BadInputException.class, () -> UnmixingMethod.byName("pca", "--method"));
    assertTrue(e.getMessage().contains("--method") && e.getMessage().contains("vca-fcls, nmf"), e.getMessage());
  }
}
