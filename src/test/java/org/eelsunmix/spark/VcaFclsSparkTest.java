package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.VcaFcls;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Vca;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distributed VCA-FCLS against the in-memory kernels on the same cube and seed. */
class VcaFclsSparkTest {
  static SparkSession spark;
  static SyntheticCube cube;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32).withBlock(8), 3);
  }

  static Dataset<Row> pixels(SpectrumImage image, int partitions) {
    List<Row> rows = new ArrayList<>();
    ImageRows.pixels(image).forEachRemaining(rows::add);
    Dataset<Row> df = TestSpark.session().createDataFrame(rows, PixelSchema.PIXELS).repartition(partitions);
    return df.select(df.col("acquisition_id"), df.col("x"), df.col("y"),
        SpectrumColumn.withAxis(df, "spectrum", image.axis()));
  }

  /** The abundances of a transformed table as H × W × R maps (the test's image is small). */
  static Abundances maps(Dataset<Row> transformed, int h, int w, int r) {
    double[] v = new double[h * w * r];
    for (Row row : transformed.select("x", "y", "abundances").collectAsList()) {
      List<Object> a = row.getList(2);
      for (int k = 0; k < r; k++) {
        v[(row.getInt(1) * w + row.getInt(0)) * r + k] = (Double) a.get(k);
      }
    }
    return new Abundances(h, w, r, v);
  }

  static void assertClose(double[][] expected, double[][] actual, double relTol) {
    for (int i = 0; i < expected.length; i++) {
      double scale = 0;
      for (double e : expected[i]) {
        scale = Math.max(scale, Math.abs(e));
      }
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual[i][j], relTol * scale, "row " + i + ", column " + j);
      }
    }
  }

  @Test
  void distributedEqualsInMemoryForAnyPartitioning() {
    for (double snr : new double[] {Double.NaN, 0.0}) { // estimated (perspective) and forced projective
      Vca.Result reference = Vca.fit(cube.image(), new Vca.Options(3, 42, snr));
      Abundances refA = new Fcls(reference.endmembers().matrix()).unmix(cube.image());
      for (int partitions : new int[] {1, 2, 7}) {
        Dataset<Row> df = pixels(cube.image(), partitions);
        VcaFclsModel model = new VcaFcls().setNumEndmembers(3).setSeed(42).setSnrDb(snr).fit(df);
        assertClose(reference.endmembers().matrix(), model.endmembers().matrix(), 1e-9);
        assertEquals(reference.endmembers().axis(), model.endmembers().axis());
        Abundances a = maps(model.transform(df), 32, 32, 3);
        for (int i = 0; i < a.values().length; i++) {
          assertEquals(refA.values()[i], a.values()[i], 1e-8, "partitions " + partitions + ", value " + i);
        }
      }
    }
  }

  /**
   * The pixels decoded once into blocks and every pass run on them: one partition in raster order feeds each
   * accumulator the pixels in the in-memory loop's order, so the fit is {@link Vca#fit} bit for bit (moments,
   * projection, search and restart losses), in both projection modes.
   */
  @Test
  void onePartitionInRasterOrderIsTheInMemoryFitBitForBit() {
    for (double snr : new double[] {Double.NaN, 0.0}) {
      Vca.Result reference = Vca.fit(cube.image(), new Vca.Options(3, 42, snr));
      Dataset<Row> df = pixels(cube.image(), 1).sortWithinPartitions("y", "x");
      VcaFclsModel model = new VcaFcls().setNumEndmembers(3).setSeed(42).setSnrDb(snr).fit(df);
      double[][] expected = reference.endmembers().matrix();
      double[][] actual = model.endmembers().matrix();
      for (int i = 0; i < expected.length; i++) {
        assertArrayEquals(expected[i], actual[i], 0.0, "snr " + snr + ", endmember " + i);
      }
      assertArrayEquals(reference.restartLosses(), model.restartLosses(), 0.0);
      assertEquals(reference.kept(), model.keptRestart());
      assertEquals(reference.snrDb(), model.fittedSnrDb(), 0.0);
    }
  }

  @Test
  void transformKeepsColumnsAndGivesConstrainedAbundances() {
    Dataset<Row> df = pixels(cube.image(), 3);
    VcaFclsModel model = new VcaFcls().setNumEndmembers(3).fit(df);
    Dataset<Row> out = model.transform(df);
    assertEquals(List.of("acquisition_id", "x", "y", "spectrum", "abundances", "rmse"),
        List.of(out.schema().fieldNames()));
    assertEquals(32 * 32, out.count());
    for (Row row : out.select("abundances", "rmse").collectAsList()) {
      List<Object> a = row.getList(0);
      double sum = 0;
      for (Object v : a) {
        assertTrue((Double) v >= 0);
        sum += (Double) v;
      }
      assertEquals(1.0, sum, 1e-9);
      assertTrue(row.getDouble(1) >= 0);
    }
  }

  @Test
  void savedModelLoadsAndGivesIdenticalAbundances(@TempDir Path dir) throws Exception {
    Dataset<Row> df = pixels(cube.image(), 2);
    VcaFclsModel model = new VcaFcls().setNumEndmembers(3).setSeed(5).fit(df);
    String path = dir.resolve("model").toString();
    model.write().save(path);
    VcaFclsModel loaded = VcaFclsModel.load(path);
    assertEquals(model.uid(), loaded.uid());
    assertEquals(model.endmembers(), loaded.endmembers());
    assertEquals(5L, loaded.getOrDefault(loaded.seed()));
    Abundances a = maps(model.transform(df), 32, 32, 3);
    Abundances b = maps(loaded.transform(df), 32, 32, 3);
    assertEquals(java.util.Arrays.toString(a.values()), java.util.Arrays.toString(b.values()));
    // Saving again without overwrite is refused and leaves the first model intact.
    assertThrows(BadInputException.class, () -> model.write().save(path));
    model.write().overwrite().save(path);
    assertEquals(model.endmembers(), VcaFclsModel.load(path).endmembers());
    try (var files = Files.list(dir)) {
      assertEquals(List.of("model"), files.map(p -> p.getFileName().toString()).toList(), "no temporary left");
    }
    // The estimator's params persist too.
    VcaFcls est = new VcaFcls().setNumEndmembers(4).setSeed(9);
    est.write().save(dir.resolve("est").toString());
    VcaFcls back = VcaFcls.load(dir.resolve("est").toString());
    assertEquals(4, back.getNumEndmembers());
    assertEquals(9L, back.getSeed());
  }

  @Test
  void badTablesAreNamed() {
    StructType wrong = new StructType().add("acquisition_id", DataTypes.StringType).add("x", DataTypes.IntegerType)
        .add("y", DataTypes.IntegerType).add("spectrum", DataTypes.StringType);
    Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create("a", 0, 0, "1,2,3")), wrong);
    BadInputException e = assertThrows(BadInputException.class, () -> new VcaFcls().fit(bad));
    assertTrue(e.getMessage().contains("'spectrum'") && e.getMessage().contains("string"), e.getMessage());

    Dataset<Row> df = pixels(cube.image(), 2);
    e = assertThrows(BadInputException.class, () -> new VcaFcls().setNumEndmembers(201).fit(df));
    assertTrue(e.getMessage().contains("numEndmembers"), e.getMessage());

    // A model of 200 channels applied to 100-channel spectra: named model and table.
    VcaFclsModel model = new VcaFcls().setNumEndmembers(3).fit(df);
    List<Row> rows = List.of(RowFactory.create("a", 0, 0, new float[100]));
    Dataset<Row> short100 = spark.createDataFrame(rows, PixelSchema.PIXELS);
    Exception ex = assertThrows(Exception.class, () -> model.transform(short100).count());
    assertTrue(String.valueOf(findBadInput(ex)).contains("100 channels, expected 200"), String.valueOf(ex));

    // Negative counts and NaN inside a partition: the task fails with the pixel named.
    float[] neg = new float[200];
    neg[17] = -3f;
    Dataset<Row> negative = spark.createDataFrame(List.of(RowFactory.create("acq7", 2, 5, neg)), PixelSchema.PIXELS);
    ex = assertThrows(Exception.class, () -> model.transform(negative).count());
    String msg = String.valueOf(findBadInput(ex));
    assertTrue(msg.contains("acq7") && msg.contains("y=5") && msg.contains("channel 17"), msg);
  }

  static BadInputException findBadInput(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof BadInputException b) {
        return b;
      }
    }
    return null;
  }
}
