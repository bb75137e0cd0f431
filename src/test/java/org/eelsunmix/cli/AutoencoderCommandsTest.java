package org.eelsunmix.cli;

import static org.eelsunmix.cli.CliErrorsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.AutoencoderModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}, {@code apply} and {@code unmix --method daeu} on a generated two-image series. */
class AutoencoderCommandsTest {
  private static final String A = SyntheticGenerator.acquisitionId("co-ru-pt", 0);
  private static final String B = SyntheticGenerator.acquisitionId("co-ru-pt", 1);
  /** A short schedule: these properties do not need the reference's 40 epochs over 2000 spectra. */
  private static final String[] QUICK = {"--epochs", "2", "--samples", "120", "--restarts", "2"};

  private static String[] with(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  /** Abundances of one acquisition from an output folder, keyed by "x,y". */
  private static Map<String, List<Double>> abundances(String out, String acquisition) {
    Map<String, List<Double>> byPixel = new HashMap<>();
    for (Row r : TestSpark.session().read().parquet(out + "/abundances").where("acquisition_id = '" + acquisition
        + "'").collectAsList()) {
      byPixel.put(r.getInt(r.fieldIndex("x")) + "," + r.getInt(r.fieldIndex("y")), r.getList(r.fieldIndex(
          "abundances")));
    }
    return byPixel;
  }

  @Test
  void trainOnTheFirstCubeApplyToTheNext(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "16", "--block", "4", "--filter", "3", "--seed", "2",
        "--replicates", "2", "--out", store).code());
    String trained = dir.resolve("trained").toString();
    CliTestSupport.Run run = CliTestSupport.run(with(new String[] {"train", "--store", store, "--acquisition", A,
        "-R", "3", "--seed", "5", "--out", trained}, QUICK));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("daeu: in-memory training on 120 spectra"), run.out());
    AutoencoderModel model = AutoencoderModel.load(trained + "/model");
    double[] finals = model.summary().restartLosses();
    assertEquals(2, finals.length);
    assertEquals(Math.min(finals[0], finals[1]), finals[model.summary().kept()]);
    assertTrue(Files.size(Path.of(trained, "model", "network", "network.zip")) > 0);
    try (var files = Files.list(Path.of(trained, "endmembers"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith(".msa")).count());
    }

    // Apply to B: the loaded network's in-memory encoding of image B, pixel by pixel.
    String applied = dir.resolve("applied").toString();
    run = CliTestSupport.run("apply", "--model", trained, "--store", store, "--acquisition", B, "--out", applied);
    assertEquals(0, run.code(), run.err());
    SpectrumImage imageB = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(4).withFilter(3).withSeed(2), 1).image();
    Abundances expected = Daeu.abundances(model.network(), imageB);
    Map<String, List<Double>> got = abundances(applied, B);
    assertEquals(256, got.size());
    assertTrue(abundances(applied, A).isEmpty());
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        List<Double> a = got.get(x + "," + y);
        for (int k = 0; k < 3; k++) {
          assertEquals(expected.values()[(y * 16 + x) * 3 + k], a.get(k), 1e-6, "pixel " + x + "," + y);
        }
      }
    }

    // The nightly job takes the train output as its model: B as a Ripple file in an archive, the same abundances.
    Path archive = dir.resolve("archive");
    Files.createDirectories(archive);
    org.eelsunmix.io.RippleWriter.write(archive.resolve("b.rpl"), imageB, "float32");
    String reprocessed = dir.resolve("reprocessed").toString();
    run = CliTestSupport.run("reprocess", "--archive", archive.toString(), "--model", trained, "--out", reprocessed);
    assertEquals(0, run.code(), run.err());
    Map<String, List<Double>> nightly = abundances(reprocessed, "b");
    assertEquals(256, nightly.size());
    for (Map.Entry<String, List<Double>> e : nightly.entrySet()) {
      for (int k = 0; k < 3; k++) {
        assertEquals(got.get(e.getKey()).get(k), e.getValue().get(k), 1e-6, e.getKey());
      }
    }

    // Bad input: another energy axis, another R, a method that is not an autoencoder.
    String other = dir.resolve("k-edges").toString();
    assertEquals(0, CliTestSupport.run("generate", "--set", "k-edges", "--size", "8", "--block", "4", "--filter",
        "3", "--out", other).code());
    String bad = dir.resolve("bad").toString();
    assertRefused(CliTestSupport.run("apply", "--model", trained, "--store", other, "--out", bad), other, "daeu model "
        + model.uid(), "energy axis");
    assertRefused(CliTestSupport.run("apply", "--model", trained, "--store", store, "-R", "4", "--out", bad),
        "--endmembers", "4", model.uid());
    // Any method trains; an option its estimator has no param for is refused, naming where it applies.
    assertRefused(CliTestSupport.run("train", "--store", store, "--acquisition", A, "--method", "nmf", "--epochs",
        "3", "--out", bad), "--epochs", "applies to daeu, mtaeu, cnnaeu, not nmf");
    assertRefused(CliTestSupport.run("train", "--store", store, "--acquisition", A, "--restarts", "0", "--out", bad),
        "--restarts");
    assertTrue(Files.notExists(Path.of(bad)));
  }

  @Test
  void unmixDaeuThenApplyTheSavedModelGivesTheSameAbundances(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "16", "--block", "4", "--filter", "3", "--seed", "3",
        "--out", store).code());
    String out = dir.resolve("unmixed").toString();
    CliTestSupport.Run run = CliTestSupport.run(with(new String[] {"unmix", "--store", store, "--method", "daeu",
        "-R", "3", "--out", out}, QUICK));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("daeu: 3 endmembers, in-memory training"), run.out());
    try (var files = Files.list(Path.of(out, "endmembers"))) {
      assertEquals(3, files.filter(p -> p.toString().endsWith(".msa")).count());
    }
    assertTrue(Files.readString(Path.of(out, "_config.properties")).contains("restarts=2"));
    String applied = dir.resolve("applied").toString();
    run = CliTestSupport.run("apply", "--model", out, "--store", store, "--out", applied);
    assertEquals(0, run.code(), run.err());
    Map<String, List<Double>> before = abundances(out, A);
    assertEquals(256, before.size());
    assertEquals(before, abundances(applied, A));
    for (List<Double> a : before.values()) {
      assertEquals(1.0, a.get(0) + a.get(1) + a.get(2), 1e-12);
    }
  }

  @Test
  void mtaeuAndCnnaeuTrainOnOneAcquisitionAndApplyToTheNext(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "16", "--block", "4", "--filter", "3", "--seed", "2",
        "--replicates", "2", "--out", store).code());
    SpectrumImage imageB = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(4).withFilter(3).withSeed(2), 1).image();
    String[][] methods = {
        {"mtaeu", "--epochs", "2", "--samples", "60", "--restarts", "1"},
        {"cnnaeu", "--epochs", "2", "--samples", "10", "--batch-size", "5", "--patch-size", "8", "--filters", "4",
            "--decoder-size", "3", "--restarts", "1"}};
    for (String[] m : methods) {
      String trained = dir.resolve("trained-" + m[0]).toString();
      CliTestSupport.Run run = CliTestSupport.run(with(new String[] {"train", "--store", store, "--acquisition", A,
          "-R", "3", "--method", m[0], "--out", trained}, java.util.Arrays.copyOfRange(m, 1, m.length)));
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().contains(m[0] + ": in-memory training on " + m[4] + (m[0].equals("mtaeu")
          ? " 2x2 neighbourhoods" : " patches")), run.out());
      AutoencoderModel model = AutoencoderModel.load(trained + "/model");
      assertEquals(m[0], model.summary().method());
      String applied = dir.resolve("applied-" + m[0]).toString();
      run = CliTestSupport.run("apply", "--model", trained, "--store", store, "--acquisition", B, "--out", applied);
      assertEquals(0, run.code(), run.err());
      Abundances expected = m[0].equals("mtaeu") ? org.eelsunmix.autoencoder.Mtaeu.abundances(model.network(),
          imageB) : org.eelsunmix.autoencoder.Cnnaeu.abundances(model.network(), imageB);
      Map<String, List<Double>> got = abundances(applied, B);
      assertEquals(256, got.size());
      for (int p = 0; p < 256; p++) {
        List<Double> a = got.get(p % 16 + "," + p / 16);
        for (int k = 0; k < 3; k++) {
          assertEquals(expected.values()[p * 3 + k], a.get(k), 1e-6, m[0] + " pixel " + p);
        }
      }
    }
    String bad = dir.resolve("bad").toString();
    assertRefused(CliTestSupport.run("train", "--store", store, "--acquisition", A, "--patch-size", "8", "--out",
        bad), "--patch-size", "cnnaeu");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--acquisition", A, "--method", "cnnaeu",
        "--patch-size", "40", "--out", bad), "--patch-size", "do not fit");
    assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "mtaeu", "--out", bad), "holds 2 "
        + "acquisitions", "select one");
    assertTrue(Files.notExists(Path.of(bad)));
  }
}
