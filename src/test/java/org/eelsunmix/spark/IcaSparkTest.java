package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.ml.Ica;
import org.eelsunmix.spark.ml.IcaModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.FactorIca;
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IndependentComponents;
import org.eelsunmix.unmix.SourceSeparation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed ICA against the in-memory kernels on the same cube and seed, in both domains; RMSE, persistence,
 * and models saved before the factor domain existed.
 */
class IcaSparkTest {
  static SyntheticCube cube;

  @BeforeAll
  static void setUp() {
    TestSpark.session();
    cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32).withBlock(8), 2);
  }

  @Test
  void distributedEqualsInMemoryForAnyPartitioning() {
    IndependentComponents reference = FastIca.fit(cube.image(), new FastIca.Options(3, 11));
    Abundances sources = reference.maps(cube.image());
    for (int partitions : new int[] {1, 2, 7}) {
      Dataset<Row> df = VcaFclsSparkTest.pixels(cube.image(), partitions);
      IcaModel model = new Ica().setNumEndmembers(3).setSeed(11).setDomain(Ica.PIXELS).fit(df);
      IndependentComponents ic = (IndependentComponents) model.components();
      assertEquals(reference.iterations(), ic.iterations(), "iterations, " + partitions + " partitions");
      VcaFclsSparkTest.assertClose(reference.unmixing(), ic.unmixing(), 1e-8);
      VcaFclsSparkTest.assertClose(reference.mixing(), ic.mixing(), 1e-8);
      assertEquals(cube.image().axis(), model.endmembers().axis());
      Abundances s = VcaFclsSparkTest.maps(model.transform(df), 32, 32, 3);
      for (int i = 0; i < s.values().length; i++) {
        assertEquals(sources.values()[i], s.values()[i], 1e-7, "partitions " + partitions + ", source " + i);
      }
    }
  }

  @Test
  void rmseIsThatOfTheIcaReconstruction(@TempDir Path dir) throws Exception {
    Dataset<Row> df = VcaFclsSparkTest.pixels(cube.image(), 3);
    for (String domain : new String[] {Ica.FACTORS, Ica.PIXELS}) {
      IcaModel model = new Ica().setNumEndmembers(3).setSeed(4).setDomain(domain).fit(df);
      assertEquals(domain, model.getOrDefault(model.domain()));
      assertRmseAndReload(model, df, dir.resolve(domain));
    }
    Ica est = new Ica().setNumEndmembers(2).setSeed(3).setMaxIter(50).setDomain(Ica.PIXELS);
    est.write().save(dir.resolve("est").toString());
    Ica back = Ica.load(dir.resolve("est").toString());
    assertEquals(2, back.getNumEndmembers());
    assertEquals(50, back.getMaxIter());
    assertEquals(Ica.PIXELS, back.getDomain());
    assertEquals(FastIca.DEFAULT_TOL, back.options().tol()); // unset tol: scikit-learn's for pixels
    assertEquals(FactorIca.DEFAULT_TOL, new Ica().options().tol()); // HyperSpy's for factors
    assertEquals(1e-6, back.setTol(1e-6).options().tol());
  }

  private static void assertRmseAndReload(IcaModel model, Dataset<Row> df, Path dir) throws Exception {
    SourceSeparation ic = model.components();
    int b = cube.image().channels();
    double[] s = new double[3];
    for (Row row : model.transform(df).select("x", "y", "rmse").collectAsList()) {
      int p = row.getInt(1) * 32 + row.getInt(0);
      ic.sources(cube.image().data(), p * b, s);
      assertEquals(Math.sqrt(ic.residualSquared(cube.image().data(), p * b, s) / b), row.getDouble(2), 1e-9);
    }
    // Saved and loaded: the same decomposition and sources.
    String path = dir.resolve("ica").toString();
    model.write().save(path);
    IcaModel loaded = IcaModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.endmembers(), loaded.endmembers());
    assertEquals(model.getOrDefault(model.domain()), loaded.getOrDefault(loaded.domain()));
    assertEquals(List.of(model.transform(df).select("abundances").collectAsList().toString()),
        List.of(loaded.transform(df).select("abundances").collectAsList().toString()));
  }

  @Test
  void aModelSavedBeforeTheFactorDomainLoadsAsPixels(@TempDir Path dir) throws Exception {
    Dataset<Row> df = VcaFclsSparkTest.pixels(cube.image(), 2);
    IcaModel model = new Ica().setNumEndmembers(3).setSeed(4).setDomain(Ica.PIXELS).fit(df);
    String path = dir.resolve("old").toString();
    model.write().save(path);
    // What older versions wrote: no domain param, no extra.domain.
    Path meta;
    try (var files = Files.list(Path.of(path, "metadata"))) {
      meta = files.filter(f -> f.getFileName().toString().startsWith("part-")).findFirst().orElseThrow();
    }
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(Files.readString(meta));
    ((ObjectNode) json.path("extra")).remove("domain");
    ((ObjectNode) json.path("paramMap")).remove("domain");
    ((ObjectNode) json.path("defaultParamMap")).remove("domain");
    Files.writeString(meta, new ObjectMapper().writeValueAsString(json));
    Files.deleteIfExists(meta.resolveSibling("." + meta.getFileName() + ".crc"));
    IcaModel loaded = IcaModel.load(path);
    assertTrue(loaded.components() instanceof IndependentComponents);
    assertEquals(Ica.PIXELS, loaded.getOrDefault(loaded.domain()));
    assertEquals(model.transform(df).select("abundances").collectAsList().toString(),
        loaded.transform(df).select("abundances").collectAsList().toString());
  }

  @Test
  void tooManyComponentsAreRefused() {
    Dataset<Row> df = VcaFclsSparkTest.pixels(cube.image(), 2);
    BadInputException e = assertThrows(BadInputException.class, () -> new Ica().setNumEndmembers(201).fit(df));
    assertTrue(e.getMessage().contains("numEndmembers"), e.getMessage());
  }
}
