package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.synth.Scene;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.synth.Variability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate} with layered maps, spectral variability and vacuum from the command line. */
class GenerateHarderDataCommandTest {

  @Test
  void layersWithDriftFromTheCommandLineAreTheGeneratorsCube(@TempDir Path dir) throws Exception {
    CliTestSupport.Run run = CliTestSupport.run("generate", "--map", "layers", "--shift-drift", "2",
        "--layer-width", "2", "--diffusion", "1.5", "--vacuum", "0.25", "--shift-jitter", "0.1", "--edge-scale",
        "0.05", "--background-jitter", "0.02", "--thickness", "0.1", "--size", "16", "--block", "4", "--filter",
        "1", "--dose", "1e3", "--seed", "4", "--format", "npy", "--out", dir.toString());
    assertEquals(0, run.code(), run.err());
    SyntheticGenerator.Options expected = new SyntheticGenerator.Options("co-ru-pt",
        SyntheticGenerator.Options.builtin("co-ru-pt").endmembers(), 16, 4, 1, 1e3, 4,
        new Scene(Scene.MapKind.LAYERS, 2, 1.5, 0.25), new Variability(2, 0.1, 0.05, 0.02, 0.1));
    SyntheticCube cube = SyntheticGenerator.generate(expected, 0);
    NpyAcquisition written = NpyAcquisition.read(dir.resolve("co-ru-pt-r0000"), null, null);
    assertArrayEquals(cube.image().data(), written.image().data());
    assertArrayEquals(cube.truthAbundances().values(), written.groundTruthAbundances().values(), 1e-7);

    // The series store: the settings are printed and recorded.
    CliTestSupport.Run parquet = CliTestSupport.run("generate", "--map", "layers", "--shift-drift", "2", "--size",
        "16", "--block", "4", "--filter", "3", "--out", dir.resolve("store").toString());
    assertEquals(0, parquet.code(), parquet.err());
    assertTrue(parquet.out().contains("map=layers") && parquet.out().contains("shift_drift=2.0"), parquet.out());
  }

  @Test
  void badSettingsAreNamedByTheirFlag(@TempDir Path dir) {
    String out = dir.resolve("x").toString();
    CliErrorsTest.assertRefused(CliTestSupport.run("generate", "--shift-drift", "-1", "--out", out),
        "--shift-drift");
    CliErrorsTest.assertRefused(CliTestSupport.run("generate", "--map", "stripes", "--out", out), "--map",
        "stripes");
    CliErrorsTest.assertRefused(CliTestSupport.run("generate", "--map", "layers", "--size", "16", "--block", "4",
        "--filter", "3", "--layer-width", "15", "--out", out), "--layer-width");
    CliErrorsTest.assertRefused(CliTestSupport.run("generate", "--vacuum", "1", "--out", out), "--vacuum");
    CliErrorsTest.assertRefused(CliTestSupport.run("generate", "--background-jitter", "-0.1", "--out", out),
        "--background-jitter");
  }
}
