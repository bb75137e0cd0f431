package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Spark FCLS transform ({@link FclsTransform} on {@link PixelTransform}, reused output arrays, spectra copied in
 * one block) against the in-memory solver pixel by pixel, whatever the spectrum column's origin (a Parquet scan, a
 * shuffled table, a double column), and the block path against values read straight off the spectra.
 */
class FclsTransformTest {
  static SparkSession spark;
  static SyntheticCube cube;

  @BeforeAll
  static void setUp() {
    spark = TestSpark.session();
    cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24).withBlock(8), 7);
  }

  static Dataset<Row> table(SpectrumImage image, int partitions) {
    List<Row> rows = new ArrayList<>();
    ImageRows.pixels(image).forEachRemaining(rows::add);
    Dataset<Row> df = spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(partitions);
    return df.select(df.col("acquisition_id"), df.col("x"), df.col("y"),
        SpectrumColumn.withAxis(df, "spectrum", image.axis()));
  }

  /** Every row's abundances and RMSE equal the in-memory solver's on the same spectrum (difference ≤ 1e-12). */
  static void assertEqualsInMemory(Dataset<Row> transformed, SpectrumImage image, Endmembers e) {
    Fcls.Solver solver = new Fcls(e.matrix()).newSolver();
    int b = image.channels();
    int r = e.count();
    double[] a = new double[r];
    List<Row> rows = transformed.select("x", "y", "abundances", "rmse").collectAsList();
    assertEquals(image.pixels(), rows.size());
    for (Row row : rows) {
      int p = row.getInt(1) * image.width() + row.getInt(0);
      solver.solve(image.data(), p * b, a);
      double rmse = Math.sqrt(solver.residualSquared(image.data(), p * b, a) / b);
      List<Double> got = row.getList(2);
      assertEquals(r, got.size());
      for (int k = 0; k < r; k++) {
        assertEquals(a[k], got.get(k), 1e-12, "pixel " + p + ", endmember " + k);
      }
      assertEquals(rmse, row.getDouble(3), 1e-12 * Math.max(1, rmse), "pixel " + p + " rmse");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void aShuffledTableGivesTheInMemoryAbundancesPixelByPixel(int partitions) {
    Endmembers e = cube.truthEndmembers();
    assertEqualsInMemory(FclsTransform.apply(table(cube.image(), partitions), e, "spectrum", "abundances", "rmse",
        "truth"), cube.image(), e);
  }

  @Test
  void aParquetScanGivesTheSameAndPassesTheInputColumnsThrough(@TempDir Path dir) {
    Endmembers e = cube.truthEndmembers();
    String path = dir.resolve("pixels").toString();
    table(cube.image(), 2).write().parquet(path);
    Dataset<Row> back = spark.read().parquet(path);
    Dataset<Row> out = FclsTransform.apply(back, e, "spectrum", "abundances", "rmse", "truth");
    assertEquals(List.of("acquisition_id", "x", "y", "spectrum", "abundances", "rmse"), List.of(out.columns()));
    assertEqualsInMemory(out, cube.image(), e);
    // The spectra come through unchanged (the transform hands Spark joined rows, converted once by its scan).
    List<Row> spectra = out.select("x", "y", "spectrum").collectAsList();
    int b = cube.image().channels();
    for (Row row : spectra) {
      int p = row.getInt(1) * cube.image().width() + row.getInt(0);
      List<Float> s = row.getList(2);
      for (int c = 0; c < b; c += 17) {
        assertEquals(cube.image().data()[p * b + c], s.get(c), 0f);
      }
    }
  }

  @Test
  void aDoubleSpectrumColumnIsReadElementByElementToTheSameResult() {
    Endmembers e = cube.truthEndmembers();
    Dataset<Row> df = table(cube.image(), 2);
    Dataset<Row> doubles = df.withColumn("spectrum", df.col("spectrum").cast(DataTypes.createArrayType(
        DataTypes.DoubleType, false)));
    assertEqualsInMemory(FclsTransform.apply(doubles, e, "spectrum", "abundances", "rmse", "truth"), cube.image(), e);
  }

  @Test
  void aNullOrNegativeChannelIsNamedWithItsPixel() {
    Endmembers e = cube.truthEndmembers();
    int b = cube.image().channels();
    List<Row> rows = new ArrayList<>();
    Float[] withNull = new Float[b];
    Float[] negative = new Float[b];
    for (int c = 0; c < b; c++) {
      withNull[c] = 1f;
      negative[c] = 1f;
    }
    withNull[130] = null;
    negative[70] = -2f;
    rows.add(RowFactory.create("a", 1, 2, java.util.Arrays.asList(withNull)));
    StructType nullable = new StructType().add("acquisition_id", DataTypes.StringType).add("x", DataTypes.IntegerType)
        .add("y", DataTypes.IntegerType).add("spectrum", DataTypes.createArrayType(DataTypes.FloatType, true));
    Dataset<Row> nulls = spark.createDataFrame(rows, nullable);
    Exception n = assertThrows(Exception.class,
        () -> FclsTransform.apply(nulls, e, "spectrum", "abundances", "rmse", "truth").collectAsList());
    assertTrue(n.getMessage().contains(BadInputException.class.getName()), n.getMessage());
    assertTrue(n.getMessage().contains("null value at channel 130") && n.getMessage().contains("y=2, x=1"),
        n.getMessage());
    Dataset<Row> neg = spark.createDataFrame(List.of(RowFactory.create("a", 3, 4, List.of(negative))),
        PixelSchema.PIXELS);
    Exception m = assertThrows(Exception.class,
        () -> FclsTransform.apply(neg, e, "spectrum", "abundances", "rmse", "truth").collectAsList());
    assertTrue(m.getMessage().contains(BadInputException.class.getName()), m.getMessage());
    assertTrue(m.getMessage().contains("negative count -2.0 at channel 70") && m.getMessage().contains("y=4, x=3"),
        m.getMessage());
  }

  /** A block kernel that copies channels: out = y[0..R), second = y[R..2R), rmse = y[2R]; block of 5 rows. */
  @Test
  void theBlockPathWritesEachRowsOwnValuesInBothColumns() {
    int r = 3;
    PixelTransform.BlockKernel copy = () -> (y, count, keys, out, rmse) -> {
      int b = y.length / 5;
      for (int p = 0; p < count; p++) {
        for (int k = 0; k < 2 * r; k++) {
          out[p * 2 * r + k] = y[p * b + k];
        }
        rmse[p] = y[p * b + 2 * r];
      }
    };
    SpectrumImage image = cube.image();
    int b = image.channels();
    Dataset<Row> out = PixelTransform.applyBlocks(table(image, 3), b, r, 5, copy, "spectrum", "abundances", "rmse",
        "second", "copy");
    List<Row> rows = out.select("x", "y", "abundances", "rmse", "second").collectAsList();
    assertEquals(image.pixels(), rows.size());
    for (Row row : rows) {
      int p = row.getInt(1) * image.width() + row.getInt(0);
      List<Double> first = row.getList(2);
      List<Double> second = row.getList(4);
      for (int k = 0; k < r; k++) {
        assertEquals(image.data()[p * b + k], first.get(k), 0.0, "pixel " + p);
        assertEquals(image.data()[p * b + r + k], second.get(k), 0.0, "pixel " + p);
      }
      assertEquals(image.data()[p * b + 2 * r], row.getDouble(3), 0.0, "pixel " + p);
    }
  }
}
