package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.Msa;
import org.eelsunmix.io.MsaSpectrum;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.io.NpyArray;
import org.eelsunmix.io.NpyReader;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-npy → unmix → export, and generate → unmix, through the real command line on real files. */
class CliRoundTripTest {

  /** A 12 × 20 crop of a synthetic cube: non-square, so a swapped x/y cannot pass. */
  static SpectrumImage crop(SyntheticCube c, int rows, int cols) {
    int b = c.image().channels();
    float[] data = new float[rows * cols * b];
    for (int y = 0; y < rows; y++) {
      System.arraycopy(c.image().data(), (y * c.image().width()) * b, data, y * cols * b, cols * b);
    }
    return new SpectrumImage("crop", rows, cols, c.image().axis(), data);
  }

  static Abundances crop(Abundances a, int rows, int cols) {
    int r = a.count();
    double[] v = new double[rows * cols * r];
    for (int y = 0; y < rows; y++) {
      System.arraycopy(a.values(), y * a.width() * r, v, y * cols * r, cols * r);
    }
    return new Abundances(rows, cols, r, v);
  }

  @Test
  void importUnmixExportKeepsValuesAndGeometry(@TempDir Path dir) throws Exception {
    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt"), 4);
    SpectrumImage image = crop(cube, 12, 20);
    Path folder = dir.resolve("sample");
    NpyAcquisition.write(folder, image, cube.truthEndmembers(), crop(cube.truthAbundances(), 12, 20));
    String store = dir.resolve("store").toString();

    CliTestSupport.Run imp = CliTestSupport.run("import-npy", "--input", folder.toString(), "--store", store);
    assertEquals(0, imp.code(), imp.err());
    assertTrue(imp.out().contains("imported sample: 12 x 20 pixels"), imp.out());
    // An id that looks like a number stays a string id (partition values are not type-inferred on read).
    assertEquals(0, CliTestSupport.run("import-npy", "--input", folder.toString(), "--id", "0042", "--store", store)
        .code());
    assertEquals(java.util.List.of("0042", "sample"), new SeriesStore(TestSpark.session(), store).listAcquisitions()
        .stream().map(x -> x.id()).toList());

    // The pixel table holds exactly the cube, pixel by pixel, with its energy axis.
    SparkSession spark = TestSpark.session();
    SeriesStore series = new SeriesStore(spark, store);
    // energy.npy holds each channel's energy; the axis is fitted back from it, so equal to rounding.
    assertTrue(image.axis().sameAs(series.acquisition("sample").axis(), 1e-12), series.acquisition("sample").axis()
        + " vs " + image.axis());
    List<Row> rows = series.pixels(List.of("sample")).collectAsList();
    assertEquals(480, series.pixels(List.of()).count());
    assertEquals(240, rows.size());
    for (Row r : rows) {
      int x = r.getInt(r.fieldIndex("x"));
      int y = r.getInt(r.fieldIndex("y"));
      List<Object> s = r.getList(r.fieldIndex("spectrum"));
      double[] expected = image.spectrum(y, x);
      for (int b = 0; b < expected.length; b++) {
        assertEquals((float) expected[b], (Float) s.get(b), "pixel y=" + y + " x=" + x + " channel " + b);
      }
    }
    assertEquals(240, series.truthAbundances().where("acquisition_id = 'sample'").count());
    assertEquals(3, series.truthEndmembers().where("acquisition_id = 'sample'").count());

    String results = dir.resolve("results").toString();
    CliTestSupport.Run unmix = CliTestSupport.run("unmix", "--store", store, "--acquisition", "sample",
        "--endmembers", "3", "--seed", "5", "--out", results);
    assertEquals(0, unmix.code(), unmix.err());
    assertTrue(Files.exists(Path.of(results, "_config.properties")));
    assertTrue(Files.readString(Path.of(results, "_config.properties")).contains("endmembers=3"));

    Path exported = dir.resolve("exported");
    CliTestSupport.Run export = CliTestSupport.run("export", "--results", results, "--store", store, "--to",
        exported.toString());
    assertEquals(0, export.code(), export.err());

    Endmembers model = VcaFclsModel.load(results + "/model").endmembers();
    NpyArray a = NpyReader.read(exported.resolve("abundances.npy"));
    assertArrayEquals(new int[] {12, 20, 3}, a.shape());
    Abundances reference = new Fcls(model.matrix()).unmix(image);
    double[] got = a.doubles();
    for (int i = 0; i < got.length; i++) {
      assertEquals(reference.values()[i], got[i], 1e-12, "abundance value " + i);
    }
    NpyArray m = NpyReader.read(exported.resolve("endmembers.npy"));
    assertArrayEquals(new int[] {3, 200}, m.shape());
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(model.spectrum(r), Arrays.copyOfRange(m.doubles(), r * 200, r * 200 + 200));
      MsaSpectrum msa = Msa.read(exported.resolve(String.format("endmember-%02d.msa", r)));
      assertEquals(image.axis().channels(), msa.axis().channels());
      assertEquals(image.axis().offset(), msa.axis().offset(), 1e-9);
      assertEquals(image.axis().scale(), msa.axis().scale(), 1e-12);
      assertArrayEquals(model.spectrum(r), msa.values());
    }
    assertArrayEquals(image.axis().energies(), NpyReader.read(exported.resolve("energy.npy")).doubles(), 1e-9);
  }

  @Test
  void generateWritesASeriesThatUnmixes(@TempDir Path dir) throws Exception {
    String store = dir.resolve("series").toString();
    CliTestSupport.Run gen = CliTestSupport.run("generate", "--set", "k-edges", "--replicates", "2", "--size", "16",
        "--block", "4", "--filter", "3", "--seed", "3", "--out", store);
    assertEquals(0, gen.code(), gen.err());
    SeriesStore series = new SeriesStore(TestSpark.session(), store);
    assertEquals(List.of("k-edges-r0000", "k-edges-r0001"),
        series.listAcquisitions().stream().map(a -> a.id()).toList());
    // The stored pixels are the generator's cube, bit for bit.
    SyntheticCube c1 = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("k-edges").withFilter(3)
        .withBlock(4).withSize(16).withSeed(3), 1);
    Row p = series.pixels(List.of("k-edges-r0001")).where("x = 7 and y = 2").first();
    List<Object> s = p.getList(3);
    double[] expected = c1.image().spectrum(2, 7);
    for (int b = 0; b < expected.length; b++) {
      assertEquals((float) expected[b], (Float) s.get(b));
    }

    String out = dir.resolve("unmixed").toString();
    CliTestSupport.Run unmix = CliTestSupport.run("unmix", "--store", store, "--acquisition", "k-edges-r0000",
        "-R", "4", "--out", out);
    assertEquals(0, unmix.code(), unmix.err());
    assertEquals(256, TestSpark.session().read().parquet(out + "/abundances").count());
    try (var files = Files.list(Path.of(out, "endmembers"))) {
      assertEquals(4, files.filter(f -> f.toString().endsWith(".msa")).count());
    }
    // Generating the same replicates again replaces them (same rows, no duplicates).
    assertEquals(0, CliTestSupport.run("generate", "--set", "k-edges", "--replicates", "2", "--size", "16",
        "--block", "4", "--filter", "3", "--seed", "3", "--out", store).code());
    assertEquals(512, series.pixels(List.of()).count());
  }

  @Test
  void generateNpyFoldersImport(@TempDir Path dir) {
    String npy = dir.resolve("npy").toString();
    CliTestSupport.Run gen = CliTestSupport.run("generate", "--format", "npy", "--replicates", "2", "--size", "8",
        "--block", "4", "--filter", "3", "--out", npy);
    assertEquals(0, gen.code(), gen.err());
    String store = dir.resolve("store").toString();
    CliTestSupport.Run imp = CliTestSupport.run("import-npy", "--input", npy + "/co-ru-pt-r0000", "--input",
        npy + "/co-ru-pt-r0001", "--store", store);
    assertEquals(0, imp.code(), imp.err());
    assertEquals(128, new SeriesStore(TestSpark.session(), store).pixels(List.of()).count());
  }
}
