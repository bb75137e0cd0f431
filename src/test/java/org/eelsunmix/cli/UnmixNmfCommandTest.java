package org.eelsunmix.cli;

import static org.eelsunmix.cli.CliErrorsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.Msa;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.NmfModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Nmf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unmix --method nmf} on a generated store: the outputs of vca-fcls, the in-memory fit, bad options. */
class UnmixNmfCommandTest {

  @Test
  void unmixNmfWritesModelAbundancesAndSpectra(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "16", "--block", "4", "--filter", "3", "--seed", "2",
        "--out", store).code());
    String out = dir.resolve("nmf").toString();
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "--method", "nmf", "-R", "3",
        "--nmf-solver", "MU", "--max-iter", "20", "--tol", "0", "--seed", "4", "--out", out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("nmf: 3 endmembers, nndsvda start, 20 iterations (iteration cap)"), run.out());

    // The model is the in-memory fit of the same pixels with the same options.
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(4).withFilter(3).withSeed(2), 0).image();
    Nmf.Result reference = Nmf.fit(image, new Nmf.Options(3, 4).withSolver("mu").withTol(0)
        .withMaxIterations(20));
    NmfModel model = NmfModel.load(out + "/model");
    assertEquals(20, model.summary().iterations());
    double[][] expected = reference.unmixing().endmembers().matrix();
    for (int t = 0; t < 3; t++) {
      for (int c = 0; c < expected[t].length; c++) {
        assertEquals(expected[t][c], model.endmembers().spectrum(t)[c], 1e-9 * Math.abs(expected[t][c]) + 1e-12);
      }
    }

    // Abundances: every pixel, three fractions summing to one, a finite RMSE.
    List<Row> rows = TestSpark.session().read().parquet(out + "/abundances").collectAsList();
    assertEquals(256, rows.size());
    for (Row r : rows) {
      List<Double> a = r.getList(r.fieldIndex("abundances"));
      assertEquals(3, a.size());
      assertEquals(1.0, a.get(0) + a.get(1) + a.get(2), 1e-12);
      assertTrue(a.stream().allMatch(v -> v >= 0));
      assertTrue(Double.isFinite(r.getDouble(r.fieldIndex("rmse"))));
    }
    try (var files = Files.list(Path.of(out, "endmembers"))) {
      List<Path> msa = files.filter(p -> p.getFileName().toString().endsWith(".msa")).sorted().toList();
      assertEquals(3, msa.size());
      assertEquals(model.endmembers().channels(), Msa.parse(Files.readString(msa.get(0)), msa.get(0).toString())
          .values().length);
    }
    String config = Files.readString(Path.of(out, "_config.properties"));
    assertTrue(config.contains("method=nmf") && config.contains("nmf-solver=MU") && config.contains("max-iter=20"),
        config);
  }

  @Test
  void badNmfOptionsAreNamed(@TempDir Path dir) {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "8", "--block", "4", "--filter", "3", "--out", store)
        .code());
    String out = dir.resolve("out").toString();
    assertRefused(run(store, out, "-R", "0"), "--endmembers");
    assertRefused(run(store, out, "-R", "-2"), "--endmembers");
    assertRefused(run(store, out, "--nmf-solver", "als"), "--nmf-solver", "als", "cd", "mu");
    assertRefused(run(store, out, "--nmf-init", "svd"), "--nmf-init", "svd", "nndsvda");
    assertRefused(run(store, out, "--tol", "-1e-4"), "--tol");
    assertRefused(run(store, out, "--tol", "NaN"), "--tol");
    assertRefused(run(store, out, "--max-iter", "0"), "--max-iter");
    assertRefused(run(store, out, "-R", "201"), "--endmembers", "200 channels");
    assertFalse(Files.exists(Path.of(out)), "a refused unmix writes nothing");
  }

  private static CliTestSupport.Run run(String store, String out, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("unmix", "--store", store, "--method", "nmf", "--out", out));
    args.addAll(List.of(options));
    return CliTestSupport.run(args.toArray(String[]::new));
  }
}
