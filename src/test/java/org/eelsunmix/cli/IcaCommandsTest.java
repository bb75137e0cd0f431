package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.IcaModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.BssComponents;
import org.eelsunmix.unmix.HySime;
import org.eelsunmix.unmix.IndependentComponents;
import org.eelsunmix.unmix.Pca;
import org.eelsunmix.unmix.ScreeElbow;
import org.eelsunmix.unmix.SpectralMoments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code estimate-endmembers}, {@code unmix --method ica} and {@code evaluate --method ica} end to end. */
class IcaCommandsTest {

  @Test
  void estimateUnmixAndRefuse(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--size", "32", "--seed", "4", "--out", store).code());
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32)
        .withSeed(4), 0);
    int b = cube.image().channels();
    SpectralMoments m = new SpectralMoments(b);
    for (int p = 0; p < cube.image().pixels(); p++) {
      m.add(cube.image().data(), p * b);
    }
    Pca scree = Pca.fromMoments(m, 0, 10, false);

    String csv = dir.resolve("scree.csv").toString();
    CliTestSupport.Run est = CliTestSupport.run("estimate-endmembers", "--store", store, "--components", "10",
        "--out", csv);
    assertEquals(0, est.code(), est.err());
    assertTrue(est.out().contains("HySime: " + HySime.fromMoments(m).k() + " endmembers"), est.out());
    assertTrue(est.out().contains("scree elbow: " + ScreeElbow.estimate(scree.eigenvalues(), 10) + " endmembers"),
        est.out());
    List<String> lines = Files.readAllLines(Path.of(csv));
    assertEquals("component,eigenvalue,explained_variance,cumulative", lines.get(0));
    assertEquals(11, lines.size());
    for (int i = 0; i < 10; i++) {
      String[] c = lines.get(i + 1).split(",");
      assertEquals(i + 1, Integer.parseInt(c[0]));
      assertEquals(scree.eigenvalues()[i], Double.parseDouble(c[1]), 1e-5 * scree.eigenvalues()[i]);
      assertEquals(scree.cumulativeRatio()[i], Double.parseDouble(c[3]), 1e-5);
    }
    CliErrorsTest.assertRefused(CliTestSupport.run("estimate-endmembers", "--store", store, "--out", csv),
        "scree.csv", "already exists");
    CliErrorsTest.assertRefused(CliTestSupport.run("estimate-endmembers", "--store", store, "--components", "2"),
        "--components");

    String out = dir.resolve("ica").toString();
    // Pixel domain with two components: a sum-to-one mixture of 3 endmembers varies in 2 dimensions around its
    // mean, so a third whitened component is noise, along which FastICA need not converge.
    CliTestSupport.Run unmix = CliTestSupport.run("unmix", "--store", store, "--method", "ica", "-R", "2", "--seed",
        "2", "--ica-domain", "pixels", "--out", out);
    assertEquals(0, unmix.code(), unmix.err());
    assertTrue(unmix.out().contains("FastICA (on the pixels) converged"), unmix.out());
    Dataset<Row> abundances = TestSpark.session().read().parquet(out + "/abundances");
    assertEquals(1024, abundances.count());
    IcaModel model = IcaModel.load(out + "/model");
    assertEquals(2, model.components().count());
    assertTrue(model.components() instanceof IndependentComponents);
    String bss = dir.resolve("bss").toString();
    CliTestSupport.Run factors = CliTestSupport.run("unmix", "--store", store, "--method", "ica", "-R", "3",
        "--out", bss);
    assertEquals(0, factors.code(), factors.err());
    assertTrue(factors.out().contains("FastICA (on the SVD factors, HyperSpy's BSS) converged"), factors.out());
    assertTrue(IcaModel.load(bss + "/model").components() instanceof BssComponents);
    CliErrorsTest.assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "ica", "--ica-domain",
        "channels", "--out", dir.resolve("bad-domain").toString()), "--ica-domain");
    CliErrorsTest.assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "nmf", "--ica-domain",
        "pixels", "--out", dir.resolve("bad-nmf").toString()), "--ica-domain", "ica");
    try (var files = Files.list(Path.of(out, "endmembers"))) {
      assertEquals(List.of("00-ic0.msa", "01-ic1.msa"),
          files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".msa")).sorted().toList());
    }
    assertTrue(Files.readString(Path.of(out, "_config.properties")).contains("method=ica"));

    String bad = dir.resolve("bad").toString();
    CliErrorsTest.assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "ica", "-R", "0", "--out",
        bad), "--endmembers");
    CliErrorsTest.assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "ica", "-R", "201",
        "--out", bad), "--endmembers", "200 channels");
    CliErrorsTest.assertRefused(CliTestSupport.run("unmix", "--store", store, "--method", "pca", "--out", bad),
        "--method", "ica");
    assertFalse(Files.exists(Path.of(bad)));
  }

  @Test
  void evaluateRunsIca(@TempDir Path dir) {
    String out = dir.resolve("eval").toString();
    CliTestSupport.Run run = CliTestSupport.run("evaluate", "--set", "co-ru-pt", "--method", "ica", "--replicates",
        "1", "--size", "16", "--block", "4", "--filter", "3", "--out", out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("ica"), run.out());
    Dataset<Row> metrics = TestSpark.session().read().parquet(out + "/metrics");
    assertEquals(2 * 3 + 3, metrics.where("method = 'ica'").count());
    assertEquals(0, metrics.where("error is not null").count());
  }
}
