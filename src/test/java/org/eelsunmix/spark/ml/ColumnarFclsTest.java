package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The columnar FCLS transform ({@link ColumnarScan}, {@link BatchRows}) on real Parquet tables, as {@code apply} reads
 * them (partitioned by acquisition, the energy axis attached by a renaming projection): that the columnar path is the
 * one taken, and that every pixel's abundances and RMSE equal the in-memory kernel's bit for bit whatever the file
 * count, the scan's split size and the reader's batch size; and that bad spectra are still named with their pixel.
 */
class ColumnarFclsTest {
  static SparkSession spark;
  static SyntheticCube cube;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(40).withBlock(8), 11);
  }

  @AfterEach
  void resetReader() {
    spark.conf().unset("spark.sql.parquet.columnarReaderBatchSize");
    spark.conf().unset("spark.sql.files.maxPartitionBytes");
  }

  /** The cube as a store's pixel table: {@code files} Parquet files under {@code acquisition_id=...}. */
  static String store(Path dir, SpectrumImage image, int files) {
    List<Row> rows = new ArrayList<>();
    ImageRows.pixels(image).forEachRemaining(rows::add);
    String path = dir.resolve("pixels").toString();
    spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(files).write().mode(SaveMode.Overwrite)
        .partitionBy(PixelSchema.ACQUISITION_ID).parquet(path);
    return path;
  }

  /** As {@code SeriesStore.pixels}: the columns picked, the axis attached by an alias. */
  static Dataset<Row> read(String path, SpectrumImage image) {
    Dataset<Row> df = spark.read().schema(PixelSchema.PIXELS).parquet(path);
    return df.select(functions.col(PixelSchema.ACQUISITION_ID), functions.col(PixelSchema.X),
        functions.col(PixelSchema.Y), SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, image.axis()));
  }

  @ParameterizedTest(name = "{0} files, split {1} bytes, batches of {2} rows")
  @CsvSource({"1, 134217728, 4096", "3, 134217728, 100", "2, 65536, 37", "4, 200000, 1"})
  void eachPixelEqualsTheInMemoryKernelBitForBit(int files, long split, int batch, @TempDir Path dir) {
    SpectrumImage image = cube.image();
    Endmembers e = cube.truthEndmembers();
    String path = store(dir, image, files);
    spark.conf().set("spark.sql.files.maxPartitionBytes", split);
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", batch);
    Dataset<Row> pixels = read(path, image);
    assertNotNull(ColumnarScan.of(pixels), "a Parquet scan gives column batches");
    Dataset<Row> out = FclsTransform.apply(pixels, e, "spectrum", "abundances", "rmse", "truth");
    assertEquals(List.of("acquisition_id", "x", "y", "spectrum", "abundances", "rmse"), List.of(out.columns()));

    Fcls.Solver solver = new Fcls(e.matrix()).newSolver();
    int b = image.channels();
    double[] a = new double[e.count()];
    List<Row> rows = out.select("acquisition_id", "x", "y", "abundances", "rmse").collectAsList();
    assertEquals(image.pixels(), rows.size());
    boolean[] seen = new boolean[image.pixels()];
    for (Row row : rows) {
      int p = row.getInt(2) * image.width() + row.getInt(1);
      assertTrue(!seen[p], "pixel " + p + " once");
      seen[p] = true;
      assertEquals(image.id(), row.getString(0));
      solver.solve(image.data(), p * b, a);
      double rmse = Math.sqrt(solver.residualSquared(image.data(), p * b, a) / b);
      List<Double> got = row.getList(3);
      assertArrayEquals(a, got.stream().mapToDouble(Double::doubleValue).toArray(), 0.0, "pixel " + p);
      assertEquals(rmse, row.getDouble(4), 0.0, "pixel " + p + " rmse");
    }
  }

  @Test
  void theSpectraAndAddressesPassThroughUnchanged(@TempDir Path dir) {
    SpectrumImage image = cube.image();
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", 64);
    Dataset<Row> out = FclsTransform.apply(read(store(dir, image, 2), image), cube.truthEndmembers(), "spectrum",
        "abundances", "rmse", "truth");
    assertEquals(image.axis(), SpectrumColumn.axisOf(out.schema(), "spectrum"));
    int b = image.channels();
    List<Row> rows = out.collectAsList();
    assertEquals(image.pixels(), rows.size());
    for (Row row : rows) {
      int p = row.getInt(2) * image.width() + row.getInt(1);
      List<Float> s = row.getList(3);
      assertEquals(b, s.size());
      for (int c = 0; c < b; c++) {
        assertEquals(image.data()[p * b + c], s.get(c), 0f, "pixel " + p + " channel " + c);
      }
    }
  }

  /** The row path (the transform before the columnar one, still used off Parquet) gives the same rows, bit for bit. */
  @Test
  void theRowPathGivesTheSameRows(@TempDir Path dir) {
    SpectrumImage image = cube.image();
    Dataset<Row> pixels = read(store(dir, image, 3), image);
    Endmembers e = cube.truthEndmembers();
    spark.conf().set("spark.sql.parquet.columnarReaderBatchSize", 333);
    List<Row> columnar = FclsTransform.apply(pixels, e, "spectrum", "abundances", "rmse", "truth").orderBy("y", "x")
        .collectAsList();
    spark.conf().set(VcaFclsModel.COLUMNAR_TRANSFORM, false);
    try {
      List<Row> rows = FclsTransform.apply(pixels, e, "spectrum", "abundances", "rmse", "truth").orderBy("y", "x")
          .collectAsList();
      assertEquals(image.pixels(), rows.size());
      assertEquals(rows, columnar); // Row equality: doubles compared bit for bit, arrays element by element
    } finally {
      spark.conf().unset(VcaFclsModel.COLUMNAR_TRANSFORM);
    }
  }

  @Test
  void aCachedOrComputedTableKeepsTheRowPath(@TempDir Path dir) {
    SpectrumImage image = cube.image();
    Dataset<Row> pixels = read(store(dir, image, 1), image);
    assertNull(ColumnarScan.of(pixels.withColumn("y", functions.col("y").plus(1))));
    Dataset<Row> cached = pixels.cache();
    cached.count();
    assertNull(ColumnarScan.of(cached));
    cached.unpersist();
  }

  @Test
  void aNullOrNegativeChannelInParquetIsNamedWithItsPixel(@TempDir Path dir) {
    Endmembers e = cube.truthEndmembers();
    int b = cube.image().channels();
    StructType nullable = new StructType().add("acquisition_id", DataTypes.StringType).add("x", DataTypes.IntegerType)
        .add("y", DataTypes.IntegerType).add("spectrum", DataTypes.createArrayType(DataTypes.FloatType, true));
    String[] expected = {"null value at channel 130", "negative count -2.0 at channel 70", "has no spectrum (null)",
        "has 5 channels, expected " + b};
    for (int kind = 0; kind < expected.length; kind++) {
      List<Row> rows = new ArrayList<>();
      for (int x = 0; x < 10; x++) {
        Float[] s = new Float[x == 7 && kind == 3 ? 5 : b];
        java.util.Arrays.fill(s, 1f);
        if (x == 7) {
          if (kind == 0) {
            s[130] = null;
          } else if (kind == 1) {
            s[70] = -2f;
          }
        }
        rows.add(RowFactory.create("a", x, 4, x == 7 && kind == 2 ? null : java.util.Arrays.asList(s)));
      }
      String path = dir.resolve("bad" + kind).toString();
      spark.createDataFrame(rows, nullable).coalesce(1).write().parquet(path);
      Dataset<Row> back = spark.read().parquet(path);
      assertNotNull(ColumnarScan.of(back));
      Exception x = assertThrows(Exception.class,
          () -> FclsTransform.apply(back, e, "spectrum", "abundances", "rmse", "truth").collectAsList());
      assertTrue(x.getMessage().contains(BadInputException.class.getName()), x.getMessage());
      assertTrue(x.getMessage().contains(expected[kind]) && x.getMessage().contains("(a, y=4, x=7)"),
          x.getMessage());
    }
  }
}
