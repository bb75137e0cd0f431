package org.eelsunmix.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticGenerator.Options;
import org.junit.jupiter.api.Test;

/** Low dose, vacuum and the settings by name. */
class HarderSyntheticDataTest {

  @Test
  void doseOfOneHundredCountsPerPixel() {
    for (String set : List.of("co-ru-pt", "k-edges")) {
      SyntheticCube cube = SyntheticGenerator.generate(Options.builtin(set).with("dose", "1e2"), 0);
      float[] data = cube.image().data();
      double total = 0;
      for (float v : data) {
        assertTrue(v >= 0 && Math.rint(v) == v, set + ": counts are whole and ≥ 0, got " + v);
        total += v;
      }
      int pixels = cube.image().pixels();
      // Each pixel's total is Poisson(100): the mean over P pixels has standard error sqrt(100/P).
      double mean = total / pixels;
      assertEquals(100.0, mean, 5 * Math.sqrt(100.0 / pixels), set);
    }
  }

  @Test
  void vacuumRowsHoldOnlyTheDarkLevelAndTheMaskSaysSo() {
    Options o = Options.builtin("co-ru-pt").withSize(32).withBlock(8).withFilter(3).withDose(1e4)
        .with("vacuum", "0.25");
    SyntheticCube cube = SyntheticGenerator.generate(o, 1);
    SpecimenMask mask = cube.specimen();
    assertEquals(8, mask.vacuumRows()); // round(0.25 · 32)
    boolean[] specimen = mask.specimen();
    double vacuumTotal = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertEquals(y >= 8, specimen[y * 32 + x]);
        assertEquals(y >= 8, mask.isSpecimen(y * 32 + x));
        double t = Arrays.stream(cube.image().spectrum(y, x)).sum();
        if (y < 8) {
          assertTrue(t < 60, "vacuum pixel " + y + "," + x + " has " + t + " counts");
          vacuumTotal += t;
        } else {
          assertTrue(t > 9000, "specimen pixel " + y + "," + x + " has " + t + " counts");
        }
      }
    }
    // Dark level 1e-3 · dose = 10 counts per vacuum pixel on average.
    assertEquals(10.0, vacuumTotal / 256, 5 * Math.sqrt(10.0 / 256));
    assertEquals(768, mask.specimenPixels());

    // Noise-free: vacuum pixels are exactly the flat level, specimen pixels those of the cube without vacuum, and
    // the truth maps do not change.
    Options clean = o.withDose(SyntheticGenerator.NOISE_FREE);
    SyntheticCube withVacuum = SyntheticGenerator.generate(clean, 1);
    SyntheticCube without = SyntheticGenerator.generate(clean.with("vacuum", "0"), 1);
    assertArrayEquals(without.truthAbundances().values(), withVacuum.truthAbundances().values());
    for (int y = 0; y < 32; y += 3) {
      double[] v = withVacuum.image().spectrum(y, 5);
      if (y < 8) {
        for (double c : v) {
          assertEquals((float) (SyntheticGenerator.VACUUM_LEVEL / 200), c, 0.0);
        }
      } else {
        assertArrayEquals(without.image().spectrum(y, 5), v);
      }
    }
  }

  @Test
  void scoresIgnoreVacuumPixelsWhenGivenTheMask() {
    Options o = Options.builtin("co-ru-pt").withSize(16).withBlock(4).withFilter(3).with("vacuum", "0.5");
    SyntheticCube cube = SyntheticGenerator.generate(o, 0);
    Endmembers truth = cube.truthEndmembers();
    Abundances t = cube.truthAbundances();
    // An estimate right on the specimen and wrong on the vacuum (all endmember 0 there).
    double[] est = t.values().clone();
    for (int p = 0; p < 16 * 8; p++) {
      est[p * 3] = 1;
      est[p * 3 + 1] = 0;
      est[p * 3 + 2] = 0;
    }
    Abundances estimate = new Abundances(16, 16, 3, est);
    boolean[] specimen = cube.specimen().specimen();
    UnmixingScores masked = UnmixingScores.score(truth, t, truth, estimate, cube.image(), specimen);
    UnmixingScores whole = UnmixingScores.score(truth, t, truth, estimate, cube.image());
    assertArrayEquals(new double[] {0, 0, 0}, masked.nmse());
    assertTrue(whole.meanNmse() > 0.01, "the vacuum's wrong maps count without the mask");
    // NMSE over the specimen by hand: the independent reference for a mask with errors inside the specimen.
    est[200 * 3] = 0.5;
    est[200 * 3 + 1] = 0.5;
    est[200 * 3 + 2] = 0;
    estimate = new Abundances(16, 16, 3, est);
    double[] nmse = UnmixingScores.score(truth, t, truth, estimate, null, specimen).nmse();
    for (int r = 0; r < 3; r++) {
      double err = 0;
      double norm = 0;
      for (int p = 128; p < 256; p++) {
        double d = t.values()[p * 3 + r] - est[p * 3 + r];
        err += d * d;
        norm += t.values()[p * 3 + r] * t.values()[p * 3 + r];
      }
      assertEquals(err / norm, nmse[r], 1e-15);
    }
    // An all-specimen mask scores exactly as no mask.
    boolean[] all = new boolean[256];
    Arrays.fill(all, true);
    assertEquals(UnmixingScores.score(truth, t, truth, estimate, cube.image()),
        UnmixingScores.score(truth, t, truth, estimate, cube.image(), all));
    BadInputException e = assertThrows(BadInputException.class,
        () -> UnmixingScores.score(truth, t, truth, t, null, new boolean[3]));
    assertEquals("specimen mask", e.source());
  }

  @Test
  void everySettingGoesThroughWithAndABadValueNamesTheKey() {
    Options o = Options.builtin("co-ru-pt");
    Map<String, String> values = Map.ofEntries(Map.entry("size", "32"), Map.entry("block", "4"),
        Map.entry("filter", "3"), Map.entry("dose", "1e2"), Map.entry("seed", "7"), Map.entry("map", "layers"),
        Map.entry("layer_width", "5"), Map.entry("diffusion", "1.5"), Map.entry("vacuum", "0.1"),
        Map.entry("shift_drift", "2"), Map.entry("shift_jitter", "0.25"), Map.entry("edge_scale", "0.1"),
        Map.entry("background_jitter", "0.05"), Map.entry("thickness", "0.2"));
    assertEquals(SyntheticGenerator.SETTINGS.size(), values.size());
    Options all = o;
    for (String key : SyntheticGenerator.SETTINGS) {
      Options changed = o.with(key, values.get(key));
      assertNotEquals(o, changed, key + " changes the options");
      all = all.with(key, values.get(key));
    }
    assertEquals(new Options("co-ru-pt", o.endmembers(), 32, 4, 3, 100, 7,
        new Scene(Scene.MapKind.LAYERS, 5, 1.5, 0.1), new Variability(2, 0.25, 0.1, 0.05, 0.2)), all);
    assertEquals("size=32 block=4 filter=3 dose=100.0 seed=7 map=layers layer_width=5 diffusion=1.5 vacuum=0.1 "
        + "shift_drift=2.0 shift_jitter=0.25 edge_scale=0.1 background_jitter=0.05 thickness=0.2", all.describe());
    assertEquals(o, o.with("map", "chequerboard").with("vacuum", "0").with("thickness", "0"));
    SyntheticCube cube = SyntheticGenerator.generate(all, 0); // all of them at once
    for (float v : cube.image().data()) {
      assertTrue(v >= 0 && Float.isFinite(v));
    }

    String[][] bad = {{"map", "stripes"}, {"layer_width", "0"}, {"layer_width", "two"}, {"layer_width", "63"},
        {"diffusion", "-1"}, {"diffusion", "NaN"}, {"vacuum", "1"}, {"vacuum", "-0.1"}, {"vacuum", "0.995"},
        {"shift_drift", "-1"}, {"shift_drift", "x"}, {"shift_jitter", "NaN"}, {"edge_scale", "-0.1"},
        {"background_jitter", "abc"}, {"thickness", "-1"}, {"thickness", "Infinity"}};
    Options layers = o.with("map", "layers");
    for (String[] b : bad) {
      BadInputException e = assertThrows(BadInputException.class, () -> layers.with(b[0], b[1]),
          b[0] + "=" + b[1]);
      assertEquals(b[0], e.source(), e.getMessage());
    }
    Endmembers one = new Endmembers(new double[][] {{1, 2, 3}}, List.of("only"), EnergyAxis.ofEv(100, 1, 3));
    BadInputException e = assertThrows(BadInputException.class,
        () -> Options.of("one", one).with("map", "layers"));
    assertEquals("map", e.source());
    // A power-law background jitter needs positive energies.
    Endmembers zero = new Endmembers(new double[][] {{1, 2, 3}}, List.of("z"), EnergyAxis.ofEv(-1, 1, 3));
    e = assertThrows(BadInputException.class, () -> SyntheticGenerator.generate(
        new Options("z", zero, 4, 2, 1, SyntheticGenerator.NOISE_FREE, 1).with("background_jitter", "0.1"), 0));
    assertEquals("background_jitter", e.source());
  }

  @Test
  void userSpectraGetAFittedPowerLawBackground() {
    EnergyAxis axis = EnergyAxis.ofEv(300, 2, 100);
    double[] m = new double[100];
    for (int i = 0; i < m.length; i++) {
      double energy = axis.energy(i);
      m[i] = 5 * Math.pow(energy / 300, -3.2) + (i >= 40 ? 0.3 * Math.pow(energy / axis.energy(40), -2) : 0);
    }
    Endmembers e = new Endmembers(new double[][] {m}, List.of("x"), axis);
    BackgroundSplit split = BackgroundSplit.of("mine", e);
    assertTrue(split.fitted()[0]);
    for (int i = 0; i < m.length; i++) {
      assertEquals(5 * Math.pow(axis.energy(i) / 300, -3.2), split.background()[0][i], 1e-9 * m[i]);
      assertEquals(m[i], split.background()[0][i] + split.edge()[0][i], 1e-15 * m[i]);
    }
    // The built-in set uses its model, not a fit.
    BackgroundSplit builtin = BackgroundSplit.of("co-ru-pt", EndmemberSet.builtin("co-ru-pt"));
    assertTrue(!builtin.fitted()[0] && !builtin.fitted()[2]);
    double[] pt = EndmemberSet.builtin("co-ru-pt").spectrum(2);
    for (int i = 0; i < pt.length; i++) {
      assertEquals(0.0, builtin.edge()[2][i], 1e-15, "Pt is all background in this range");
    }
  }
}
