package org.eelsunmix.cli;

import static org.eelsunmix.cli.CliErrorsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.UdasModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Udas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unmix --method udas} through {@link Main#execute}: every uDAS option reaches its param; bad ones are named. */
class UdasCommandTest {

  @Test
  void everyUdasOptionReachesTheFit(@TempDir Path dir) throws Exception {
    String store = generate(dir, 16);
    String out = dir.resolve("udas").toString();
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "--method", "udas", "-R", "3",
        "--seed", "4", "--udas-layers", "2", "--corruption", "1e-3", "--ridge", "0.5", "--gamma", "1e-3",
        "--delta", "10", "--outer-iterations", "2", "--encoder-steps", "1", "--l21-weight", "1e-4", "--out", out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("2 outer iterations"), run.out());

    // The saved model is the in-memory fit with exactly those settings (bit for bit: the sums are exact).
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(4).withFilter(3).withSeed(2), 0).image();
    Udas.Result reference = Udas.fit(image, new Udas.Options(3, 4, 2, 1e-3, 0.5, 1e-3, 10, 2, 1, 1e-4));
    UdasModel model = UdasModel.load(out + "/model");
    assertEquals(2, model.summary().objectiveHistory().length);
    assertArrayEquals(reference.objectiveHistory(), model.summary().objectiveHistory());
    double[][] expected = reference.unmixing().endmembers().matrix();
    for (int t = 0; t < 3; t++) {
      assertArrayEquals(expected[t], model.endmembers().spectrum(t), "endmember " + t);
    }
    String config = Files.readString(Path.of(out, "_config.properties"));
    assertTrue(config.contains("method=udas") && config.contains("outer-iterations=2")
        && config.contains("l21-weight=1.0E-4"), config);
  }

  @Test
  void badUdasOptionsAreNamed(@TempDir Path dir) {
    String store = generate(dir, 8);
    String out = dir.resolve("out").toString();
    assertRefused(run(store, out, "--outer-iterations", "0"), "--outer-iterations");
    assertRefused(run(store, out, "--encoder-steps", "-1"), "--encoder-steps");
    assertRefused(run(store, out, "--udas-layers", "0"), "--udas-layers");
    assertRefused(run(store, out, "--corruption", "1"), "--corruption");
    assertRefused(run(store, out, "--gamma", "NaN"), "--gamma");
    assertRefused(run(store, out, "--delta", "0"), "--delta");
    assertRefused(run(store, out, "--l21-weight", "-1e-6"), "--l21-weight");
    assertRefused(run(store, out, "--drop-ratio", "-1"), "--drop-ratio");
    assertFalse(Files.exists(Path.of(out)), "a refused unmix writes nothing");
  }

  /**
   * With R one larger than the truth the command's output line reports the trained encoder's row norms, the zero
   * row and the endmember the decoder rounds dropped; the saved model's metadata says the same.
   */
  @Test
  void aSuperfluousEndmemberIsReportedByTheCommand(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "32", "--seed", "1", "--out", store).code());
    String out = dir.resolve("udas4").toString();
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "--method", "udas", "-R", "4", "--out",
        out);
    assertEquals(0, run.code(), run.err());
    UdasModel model = UdasModel.load(out + "/model");
    int[] dropped = model.summary().dropped();
    assertEquals(1, dropped.length, run.out());
    assertArrayEquals(dropped, model.encoder().nearZeroRows(), run.out());
    assertTrue(run.out().contains("encoder row norms [") && run.out().contains("R may be too large")
        && run.out().contains("endmember " + dropped[0] + " dropped as superfluous"), run.out());
    String metadata = Files.readString(Path.of(out, "model", "metadata", "part-00000"));
    assertTrue(metadata.contains("\"droppedAt\"") && metadata.contains("\"encoderRowNorms\"")
        && metadata.contains("\"nearZeroRows\":[" + dropped[0] + "]"), metadata);

    // --drop-ratio 0 turns the test off: all four endmembers stay in the decoder rounds
    String kept = dir.resolve("udas4-kept").toString();
    CliTestSupport.Run keep = CliTestSupport.run("unmix", "--store", store, "--method", "udas", "-R", "4",
        "--drop-ratio", "0", "--out", kept);
    assertEquals(0, keep.code(), keep.err());
    assertEquals(0, UdasModel.load(kept + "/model").summary().dropped().length, keep.out());
    assertTrue(Files.readString(Path.of(kept, "_config.properties")).contains("drop-ratio=0.0"));
  }

  private static String generate(Path dir, int size) {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", Integer.toString(size), "--block", "4", "--filter", "3",
        "--seed", "2", "--out", store).code());
    return store;
  }

  private static CliTestSupport.Run run(String store, String out, String... options) {
    List<String> args = new ArrayList<>(List.of("unmix", "--store", store, "--method", "udas", "--out", out));
    args.addAll(List.of(options));
    return CliTestSupport.run(args.toArray(String[]::new));
  }
}
