package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** The in-memory BLU kernel on synthetic cubes with known truth. */
class BluTest {
  private static SyntheticCube cube(String set, int size, double dose) {
    return SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set).withBlock(1).withFilter(1)
        .withSize(size).withBlock(size >= 32 ? 8 : size / 4).withFilter(size >= 32 ? 9 : 3).withDose(dose), 0);
  }

  @Test
  void atHighDoseThePosteriorMeanScoresAtLeastAsWellAsVcaFcls() {
    SyntheticCube c = cube("k-edges", 32, 1e6);
    SpectrumImage image = c.image();
    Blu.Result blu = Blu.fit(image, new Blu.Options(4, 1, 60, 20, 1));
    Vca.Result vca = Vca.fit(image, new Vca.Options(4, 1));
    UnmixingScores b = UnmixingScores.score(c.truthEndmembers(), c.truthAbundances(), blu.endmembers(),
        blu.abundances(), image);
    UnmixingScores v = UnmixingScores.score(c.truthEndmembers(), c.truthAbundances(), vca.endmembers(),
        new Fcls(vca.endmembers().matrix()).unmix(image), image);
    assertTrue(b.meanSad() <= v.meanSad(), "SAD BLU " + b.meanSad() + " vs VCA-FCLS " + v.meanSad());
    assertTrue(b.meanNmse() <= v.meanNmse(), "NMSE BLU " + b.meanNmse() + " vs VCA-FCLS " + v.meanNmse());
    // σ² of Poisson counts is their mean per channel, here 1e6 / 903
    assertEquals(1e6 / 903, blu.outcome().noiseVariance(), 0.1 * 1e6 / 903);
  }

  @Test
  void thePosteriorStdShrinksAsTheDoseGrows() {
    double previous = Double.POSITIVE_INFINITY;
    for (double dose : new double[] {1e3, 1e4, 1e5}) {
      SpectrumImage image = cube("co-ru-pt", 16, dose).image();
      Blu.Result blu = Blu.fit(image, new Blu.Options(3, 2, 24, 8, 1));
      // the std an applied map carries: each pixel's chain with M and σ² fixed at their posterior means
      BluApply apply = new BluApply(blu.endmembers().matrix(), blu.outcome().noiseVariance(), 2, 24, 8);
      double abundanceStd = Arrays.stream(apply.image(image)[1].values()).average().orElseThrow();
      double endmemberStd = Arrays.stream(blu.endmemberStd().matrix()).flatMapToDouble(Arrays::stream).sum()
          / Arrays.stream(blu.endmembers().matrix()).flatMapToDouble(Arrays::stream).sum();
      assertTrue(abundanceStd < previous, "mean abundance std " + abundanceStd + " at dose " + dose
          + " is not below " + previous);
      assertTrue(abundanceStd > 0 && endmemberStd > 0, "a posterior std of 0 at dose " + dose);
      previous = abundanceStd;
    }
  }

  /**
   * The fit's own posterior std (not an applied map's) at the authors' schedule, 100 sweeps and 33 burn-in, on the
   * same 64 × 64 co-ru-pt scene and seed at four doses (about 1.5 s a fit). At high dose the posterior is nearly
   * Gaussian and its width that of the noise relative to the signal, so ten times the dose should divide it by about
   * √10 ≈ 3.2 (measured 2.9; less where abundances sit against 0 and the truncation caps it; at 1e3 the simplex
   * bounds it). The endmembers' bands, relative to the spectra, shrink as well.
   */
  @Test
  void thePosteriorStdShrinksAsTheDoseGrowsAtTheAuthorsSchedule() {
    double[] abundanceStd = new double[4];
    double[] endmemberStd = new double[4];
    double[] doses = {1e3, 1e4, 1e5, 1e6};
    for (int i = 0; i < doses.length; i++) {
      SpectrumImage image = cube("co-ru-pt", 64, doses[i]).image();
      Blu.Result blu = Blu.fit(image, new Blu.Options(3, 2));
      abundanceStd[i] = Arrays.stream(blu.abundanceStd().values()).average().orElseThrow();
      endmemberStd[i] = Arrays.stream(blu.endmemberStd().matrix()).flatMapToDouble(Arrays::stream).sum()
          / Arrays.stream(blu.endmembers().matrix()).flatMapToDouble(Arrays::stream).sum();
    }
    String figures = "doses " + Arrays.toString(doses) + ": mean abundance std " + Arrays.toString(abundanceStd)
        + ", relative endmember std " + Arrays.toString(endmemberStd);
    for (int i = 1; i < doses.length; i++) {
      assertTrue(abundanceStd[i] < abundanceStd[i - 1] && endmemberStd[i] < endmemberStd[i - 1], figures);
    }
    double ratio = abundanceStd[2] / abundanceStd[3];
    assertTrue(ratio > 2 && ratio < Math.sqrt(10) * 1.25, "1e5 → 1e6 divides the std by " + ratio + "; " + figures);
    assertTrue(abundanceStd[3] > 0, figures);
  }

  @Test
  void abundancesAreOnTheSimplexAndBandsArePositiveWidths() {
    Blu.Result blu = Blu.fit(cube("co-ru-pt", 12, 1e4).image(), new Blu.Options(3, 3, 20, 5, 2));
    double[] a = blu.abundances().values();
    for (int p = 0; p < a.length / 3; p++) {
      assertEquals(1, a[3 * p] + a[3 * p + 1] + a[3 * p + 2], 1e-9, "pixel " + p);
    }
    for (double[] row : blu.endmemberStd().matrix()) {
      assertTrue(Arrays.stream(row).allMatch(v -> v >= 0) && Arrays.stream(row).anyMatch(v -> v > 0));
    }
    assertEquals(2, blu.outcome().noiseTrace().length, "two chains traced");
    assertTrue(blu.outcome().rHatNoise() > 0.9 && blu.outcome().rHatNoise() < 1.5,
        "split-R-hat " + blu.outcome().rHatNoise());
  }

  @Test
  void badOptionsAreRefusedNamingTheParam() {
    assertEquals("burnIn", assertThrows(BadInputException.class, () -> new Blu.Options(3, 0, 10, 10, 1)).source());
    assertEquals("sweeps", assertThrows(BadInputException.class, () -> new Blu.Options(3, 0, 0, 0, 1)).source());
    assertEquals("numEndmembers", assertThrows(BadInputException.class, () -> new Blu.Options(1, 0)).source());
    assertEquals("chains", assertThrows(BadInputException.class, () -> new Blu.Options(3, 0, 10, 2, 0)).source());
    SpectrumImage image = cube("co-ru-pt", 4, 1e4).image();
    SpectrumImage threeChannels = new SpectrumImage("x", 4, 4, new org.eelsunmix.core.EnergyAxis(0, 1, "eV", 3),
        Arrays.copyOf(image.data(), 48));
    assertEquals("numEndmembers", assertThrows(BadInputException.class,
        () -> Blu.fit(threeChannels, new Blu.Options(3, 0, 10, 2, 1))).source());
  }
}
