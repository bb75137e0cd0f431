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

/** VCA + FCLS against the known ground truth of synthetic cubes. */
class VcaTest {

  /** The first replicate (from 0) whose true maps contain a pure pixel of every endmember: VCA's assumption. */
  static SyntheticCube cubeWithPurePixels(SyntheticGenerator.Options o) {
    for (int r = 0; r < 100; r++) {
      SyntheticCube c = SyntheticGenerator.generate(o, r);
      Abundances a = c.truthAbundances();
      boolean all = true;
      for (int k = 0; k < a.count() && all; k++) {
        boolean pure = false;
        for (int p = 0; p < a.pixels() && !pure; p++) {
          pure = a.values()[p * a.count() + k] > 1 - 1e-12;
        }
        all = pure;
      }
      if (all) {
        return c;
      }
    }
    throw new AssertionError("no replicate with pure pixels of every endmember");
  }

  @Test
  void noiseFreeCubesAreRecoveredExactly() {
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin(set).withDose(SyntheticGenerator.NOISE_FREE);
      SyntheticCube cube = cubeWithPurePixels(o);
      int r = cube.truthEndmembers().count();
      Unmixing u = org.eelsunmix.spark.ml.UnmixingMethods.byName("vca-fcls").unmix(cube.image(), r, 7);
      UnmixingScores s = UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), u.endmembers(),
          u.abundances(), cube.image());
      for (double sad : s.sad()) {
        assertTrue(sad < 1e-3, set + ": SAD " + sad + " rad");
      }
      for (double nmse : s.nmse()) {
        assertTrue(nmse < 1e-4, set + ": NMSE " + nmse);
      }
    }
  }

  @Test
  void noisyCubeAtDefaultDoseIsClose() {
    SyntheticCube cube = cubeWithPurePixels(SyntheticGenerator.Options.builtin("co-ru-pt"));
    Unmixing u = org.eelsunmix.spark.ml.UnmixingMethods.byName("vca-fcls").unmix(cube.image(), 3, 1);
    UnmixingScores s = UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), u.endmembers(),
        u.abundances(), cube.image());
    // Poisson noise at 1e5 counts/pixel: the picked pixels are noisy spectra, still within a few degrees.
    assertTrue(s.meanSad() < 0.1, "mean SAD " + s.meanSad());
    assertTrue(s.meanNmse() < 0.1, "mean NMSE " + s.meanNmse());
  }

  @Test
  void bothProjectionsFindTheSameVerticesOnCleanData() {
    SyntheticCube cube = cubeWithPurePixels(
        SyntheticGenerator.Options.builtin("co-ru-pt").withDose(SyntheticGenerator.NOISE_FREE));
    Vca.Result high = Vca.fit(cube.image(), new Vca.Options(3, 3, Double.NaN));
    Vca.Result low = Vca.fit(cube.image(), new Vca.Options(3, 3, 0.0)); // forces the projective projection
    assertTrue(!high.projective() && low.projective());
    for (Vca.Result res : new Vca.Result[] {high, low}) {
      double[][] sad = org.eelsunmix.core.SpectralAngle.matrix(cube.truthEndmembers(), res.endmembers());
      int[] match = org.eelsunmix.linalg.Hungarian.assign(sad);
      for (int k = 0; k < 3; k++) {
        assertTrue(sad[k][match[k]] < 1e-3, "projective=" + res.projective() + " SAD " + sad[k][match[k]]);
      }
    }
  }

  @Test
  void sameSeedSameResult() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("k-edges"), 2);
    Vca.Result a = Vca.fit(cube.image(), new Vca.Options(4, 11));
    Vca.Result b = Vca.fit(cube.image(), new Vca.Options(4, 11));
    assertEquals(a.pixels(), b.pixels());
    assertEquals(a.endmembers(), b.endmembers());
  }

  @Test
  void impossibleOptionsAreRefused() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withFilter(3)
        .withBlock(4).withSize(8), 0);
    BadInputException e = assertThrows(BadInputException.class,
        () -> Vca.fit(cube.image(), new Vca.Options(201, 0)));
    assertEquals("endmembers", e.source(), e.getMessage());
    e = assertThrows(BadInputException.class, () -> new Vca.Options(0, 0));
    assertEquals("endmembers", e.source(), e.getMessage());
  }
}
