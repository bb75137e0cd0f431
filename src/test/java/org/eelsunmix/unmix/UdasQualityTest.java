package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import org.eelsunmix.core.Unmixing;
import org.eelsunmix.eval.UnmixingScores;
import org.eelsunmix.spark.ml.UdasModel;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/** uDAS against issue 11's requirements on the built-in sets: mean SAD against VCA-FCLS, the encoder-row report. */
class UdasQualityTest {

  /**
   * Issue 11's requirement: uDAS's mean SAD (registry kernels, same replicates, same seeds) at most VCA-FCLS's on
   * both built-in sets. Small cubes to stay quick: co-ru-pt 32 × 32 × 5 (replicates 0–4), k-edges 32 × 32 × 1 (its
   * 903 channels make the mSDA stack cost about 15 s whatever the size). The figures are printed. Measured with the
   * noise-weighted, noise-floored decoder rounds ({@link UdasNoise}): co-ru-pt 0.02512 rad against 0.02543,
   * k-edges 0.0167 against 0.0306 (before them, with the paper's rounds, 3 replicates: 0.03906 against 0.03768).
   */
  @Test
  void meanSadIsAtMostVcaFclsOnBothBuiltInSets() {
    StringBuilder report = new StringBuilder();
    boolean met = true;
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      int replicates = set.equals("co-ru-pt") ? 5 : 1;
      double udas = 0;
      double vca = 0;
      for (int rep = 0; rep < replicates; rep++) {
        SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin(set).withSize(32);
        SyntheticCube cube = SyntheticGenerator.generate(o, rep);
        long seed = SyntheticGenerator.replicateSeed(o.seed(), rep);
        udas += meanSad(cube, UnmixingMethods.byName("udas").unmix(cube.image(), cube.truthEndmembers().count(),
            seed));
        vca += meanSad(cube, UnmixingMethods.byName("vca-fcls").unmix(cube.image(),
            cube.truthEndmembers().count(), seed));
      }
      udas /= replicates;
      vca /= replicates;
      met &= udas <= vca;
      report.append(String.format(Locale.ROOT, "%s 32x32, %d replicate(s): uDAS %.5f rad, VCA-FCLS %.5f rad; ",
          set, replicates, udas, vca));
    }
    System.out.println("uDAS vs VCA-FCLS mean SAD: " + report);
    assertTrue(met, "required: uDAS mean SAD <= VCA-FCLS on both sets; measured " + report);
  }

  /**
   * With R one larger than the truth the trained encoder's row norms are reported (summary line, metadata) and a
   * row at most {@link UdasEncoder#NEAR_ZERO} of the largest is flagged. Issue 11 requires that such a row appears;
   * on EELS it does not (printed; co-ru-pt 32 × 32, R = 4: [5.04, 14.8, 15.0, 4.02], with the true R
   * [1.89, 5.10, 4.13]; λ up to 100 changes this little), so
   * that part of the requirement is open and only the consistency of the report is checked here.
   */
  @Test
  void oneEndmemberTooManyIsReportedInTheEncoderRows() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32), 0);
    Udas.Result fit = Udas.fit(cube.image(), new Udas.Options(cube.truthEndmembers().count() + 1, 3));
    double[] norms = fit.encoderRowNorms();
    int[] flagged = fit.encoder().nearZeroRows();
    UdasModel model = new UdasModel("udas-r4", fit.unmixing().endmembers(), fit.encoder(),
        new UdasModel.Summary(fit.objectiveHistory(), fit.rmse()));
    String line = model.summaryLine();
    System.out.println("uDAS R = truth + 1 (co-ru-pt 32x32): " + line);
    double max = Arrays.stream(norms).max().orElseThrow();
    for (int r = 0; r < norms.length; r++) {
      assertTrue(line.contains(String.format(Locale.ROOT, "%.3g", norms[r])), line);
      int row = r;
      assertEquals(norms[r] <= UdasEncoder.NEAR_ZERO * max, Arrays.stream(flagged).anyMatch(v -> v == row),
          "row " + r);
    }
    assertEquals(flagged.length > 0, line.contains("R may be too large"), line);
  }

  /** With the true R no encoder row is flagged: the flag does not fire on a correct model (co-ru-pt 32 × 32). */
  @Test
  void noRowIsFlaggedWithTheTrueNumberOfEndmembers() {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32), 0);
    Udas.Result fit = Udas.fit(cube.image(), new Udas.Options(cube.truthEndmembers().count(), 3));
    UdasModel model = new UdasModel("udas-r3", fit.unmixing().endmembers(), fit.encoder(),
        new UdasModel.Summary(fit.objectiveHistory(), fit.rmse()));
    System.out.println("uDAS true R (co-ru-pt 32x32): " + model.summaryLine());
    assertEquals(0, fit.encoder().nearZeroRows().length, Arrays.toString(fit.encoderRowNorms()));
    assertTrue(!model.summaryLine().contains("R may be too large"), model.summaryLine());
  }

  private static double meanSad(SyntheticCube cube, Unmixing u) {
    return UnmixingScores.score(cube.truthEndmembers(), cube.truthAbundances(), u.endmembers(), u.abundances(),
        cube.image()).meanSad();
  }
}
