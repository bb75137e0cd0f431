package org.eelsunmix.cli;

import static org.eelsunmix.cli.CliErrorsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Vca;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unmix --vca-restarts K}: the fit of the in-memory kernel, the losses printed, bad values named. */
class VcaRestartsCommandTest {

  @Test
  void unmixKeepsTheRestartOfTheKernelAndPrintsTheLosses(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "16", "--block", "4", "--filter", "3", "--seed", "2",
        "--out", store).code());
    String out = dir.resolve("vca").toString();
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "-R", "3", "--seed", "4",
        "--vca-restarts", "3", "--out", out);
    assertEquals(0, run.code(), run.err());
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(4).withFilter(3).withSeed(2), 0).image();
    Vca.Result reference = Vca.fit(image, new Vca.Options(3, 4).withRestarts(3));
    VcaFclsModel model = (VcaFclsModel) UnmixingModel.load(TestSpark.session(), out);
    assertEquals(3, model.getRestarts());
    assertEquals(reference.kept(), model.keptRestart());
    assertTrue(run.out().contains("mean FCLS residual (counts²) of restarts [") && run.out().contains(
        "kept restart " + reference.kept() + " (seed " + (4 + reference.kept()) + ")"), run.out());
    assertTrue(Files.readString(Path.of(out, "_config.properties")).contains("vca-restarts=3"));
  }

  @Test
  void badRestartsAreRefusedNamingTheOption(@TempDir Path dir) {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "8", "--block", "4", "--filter", "3", "--out", store)
        .code());
    String out = dir.resolve("out").toString();
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--vca-restarts", "0", "--out", out),
        "--vca-restarts", "0");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--vca-restarts", "2", "--method", "nmf", "--out",
        out), "--vca-restarts", "applies to vca-fcls, udas, blu, not nmf");
    // The autoencoders' option does not reach VCA's param (nor the reverse).
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--restarts", "2", "--out", out), "--restarts",
        "applies to daeu, mtaeu, cnnaeu, not vca-fcls");
    assertRefused(CliTestSupport.run("train", "--store", store, "--acquisition", "co-ru-pt-r0000",
        "--vca-restarts", "2", "--out", out),
        "--vca-restarts", "applies to vca-fcls, udas, blu, not daeu");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "blu", "--restarts", "2", "--out", out),
        "--restarts", "applies to daeu, mtaeu, cnnaeu, not blu");
    assertTrue(Files.notExists(Path.of(out)));
  }

  @Test
  void methodsListsTheOptionForVcaOnly() {
    String out = CliTestSupport.run("methods").out();
    String vca = out.substring(out.indexOf("vca-fcls:"), out.indexOf("nmf:"));
    assertTrue(vca.contains("--vca-restarts (restarts, default " + Vca.DEFAULT_RESTARTS + ")"), vca);
    assertTrue(!vca.contains("--restarts"), vca);
    String daeu = out.substring(out.indexOf("daeu:"), out.indexOf("mtaeu:"));
    assertTrue(daeu.contains("--restarts (restarts") && !daeu.contains("--vca-restarts"), daeu);
  }

  /** BLU and uDAS start from the same restarted VCA: {@code --vca-restarts} reaches their kernels' options. */
  @Test
  void bluAndUdasTakeTheRestartsOfTheirVcaStart() {
    var blu = org.eelsunmix.spark.ml.UnmixingMethods.byName("blu").newEstimator();
    org.eelsunmix.spark.ml.MethodParams.setOption(blu, "vca-restarts", 3, "--vca-restarts");
    assertEquals(3, ((org.eelsunmix.spark.ml.BluEstimator) blu).options().vcaRestarts());
    var udas = org.eelsunmix.spark.ml.UnmixingMethods.byName("udas").newEstimator();
    assertEquals(org.eelsunmix.unmix.Vca.DEFAULT_RESTARTS,
        ((org.eelsunmix.spark.ml.UdasEstimator) udas).options().vcaRestarts());
    org.eelsunmix.spark.ml.MethodParams.setOption(udas, "vca-restarts", 1, "--vca-restarts");
    assertEquals(1, ((org.eelsunmix.spark.ml.UdasEstimator) udas).options().vcaRestarts());
  }
}
