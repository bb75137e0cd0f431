package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.eelsunmix.unmix.FastIca;
import org.eelsunmix.unmix.IndependentComponents;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed FastICA against the in-memory kernel on the same cube and seed. */
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
      IcaModel model = new Ica().setNumEndmembers(3).setSeed(11).fit(df);
      IndependentComponents ic = model.components();
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
    IcaModel model = new Ica().setNumEndmembers(3).setSeed(4).fit(df);
    IndependentComponents ic = model.components();
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
    assertEquals(List.of(model.transform(df).select("abundances").collectAsList().toString()),
        List.of(loaded.transform(df).select("abundances").collectAsList().toString()));
    Ica est = new Ica().setNumEndmembers(2).setSeed(3).setMaxIter(50);
    est.write().save(dir.resolve("est").toString());
    Ica back = Ica.load(dir.resolve("est").toString());
    assertEquals(2, back.getNumEndmembers());
    assertEquals(50, back.getMaxIter());
  }

  @Test
  void tooManyComponentsAreRefused() {
    Dataset<Row> df = VcaFclsSparkTest.pixels(cube.image(), 2);
    BadInputException e = assertThrows(BadInputException.class, () -> new Ica().setNumEndmembers(201).fit(df));
    assertTrue(e.getMessage().contains("numEndmembers"), e.getMessage());
  }
}
