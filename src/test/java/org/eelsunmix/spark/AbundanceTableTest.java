package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.parquet.SparkToParquetSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AbundanceTable} and {@link AbundanceFile} against Spark's own Parquet writer and parquet-mr's own decoders:
 * the same rows read back, the same Parquet schema, statistics that hold, levels parquet-mr decodes to the levels
 * written, and Spark's dynamic-overwrite semantics.
 */
class AbundanceTableTest {
  private static final StructType FILE_SCHEMA = new StructType(java.util.Arrays.copyOfRange(
      PixelSchema.ABUNDANCES.fields(), 1, PixelSchema.ABUNDANCES.fields().length));

  /** Rows of three acquisitions (one id with characters a folder name escapes), some RMSEs null, some NaN. */
  private static List<Row> rows(int n, long seed, String... ids) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      double a = random.nextDouble();
      double b = random.nextDouble() * (1 - a);
      Double rmse = p % 17 == 3 ? null : p % 101 == 5 ? Double.NaN : random.nextDouble() * 30;
      rows.add(RowFactory.create(ids[p % ids.length], p % 700, p / 700, new double[] {a, b, 1 - a - b}, rmse));
    }
    return rows;
  }

  private static Dataset<Row> read(SparkSession spark, String dir) {
    // a partition column is read last: back into the table's order
    return spark.read().schema(PixelSchema.ABUNDANCES).parquet(dir).selectExpr(PixelSchema.ABUNDANCES.fieldNames());
  }

  private static long differences(Dataset<Row> a, Dataset<Row> b) {
    return a.exceptAll(b).count() + b.exceptAll(a).count();
  }

  private static List<Path> dataFiles(Path table) throws IOException {
    try (Stream<Path> files = Files.walk(table)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".parquet")
          && !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }

  private static ParquetMetadata footer(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
        new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return r.getFooter();
    }
  }

  @Test
  void writesTheRowsSparksWriterWritesInTheSameFolders(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    // 80 000 rows in three partitions: several pages (32 768 rows) per file, three acquisitions in every task
    Dataset<Row> table = spark.createDataFrame(rows(80_000, 1, "a", "b c", "x=1/%"), PixelSchema.ABUNDANCES)
        .repartition(3);
    String ours = dir.resolve("ours").toString();
    String sparks = dir.resolve("sparks").toString();
    AbundanceTable.write(spark, table, ours);
    SeriesStore.writePartitioned(table, sparks, spark, ResultFiles.RESULT_ENCODINGS);

    assertEquals(80_000, read(spark, ours).count());
    assertEquals(0, differences(read(spark, ours), read(spark, sparks)), "the same rows, NaN and null RMSEs too");
    assertEquals(0, differences(spark.read().parquet(ours).selectExpr(PixelSchema.ABUNDANCES.fieldNames()),
        spark.read().parquet(sparks).selectExpr(PixelSchema.ABUNDANCES.fieldNames())),
        "the same rows with the schema each table's footers give");
    try (Stream<Path> top = Files.list(dir.resolve("ours"))) {
      assertEquals(List.of("_SUCCESS", "acquisition_id=a", "acquisition_id=b c", "acquisition_id=x%3D1%2F%25"),
          top.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList(),
          "Spark's folder names, no staging folder left");
    }
    try (Stream<Path> top = Files.list(dir.resolve("sparks"))) {
      assertTrue(top.anyMatch(p -> p.getFileName().toString().equals("acquisition_id=x%3D1%2F%25")),
          "Spark escapes the id the same way");
    }
    List<Path> files = dataFiles(dir.resolve("ours"));
    assertEquals(9, files.size(), "one file per task and acquisition");
    String extension = AbundanceTable.codec(spark.conf().get("spark.sql.parquet.compression.codec")).getExtension();
    assertTrue(files.stream().allMatch(p -> p.getFileName().toString().matches(
        "part-0000[0-2]-[0-9a-f-]{36}\\.c000" + java.util.regex.Pattern.quote(extension) + "\\.parquet")),
        files.toString());
  }

  @Test
  void anRddOfResultRowsIsWrittenWithoutSparksRowCopyAndGivesTheSameTable(@TempDir Path dir) {
    SparkSession spark = TestSpark.session();
    List<Row> rows = rows(20_000, 8, "a", "b");
    Dataset<Row> fromRdd = spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
        .parallelize(rows, 3), PixelSchema.ABUNDANCES);
    assertTrue(AbundanceTable.asStored(fromRdd).isPresent(), "an RDD of the table's rows is written as it stands");
    assertFalse(AbundanceTable.asStored(fromRdd.where("x > 3")).isPresent(), "a query is not");
    assertFalse(AbundanceTable.asStored(fromRdd.selectExpr("acquisition_id", "y as x", "x as y", "abundances",
        "rmse")).isPresent(), "nor are columns computed from others");
    String direct = dir.resolve("direct").toString();
    String queried = dir.resolve("queried").toString();
    AbundanceTable.write(spark, fromRdd, direct);
    AbundanceTable.write(spark, fromRdd.where("x >= 0"), queried);
    assertEquals(20_000, read(spark, direct).count());
    assertEquals(0, differences(read(spark, direct), read(spark, queried)));
    assertEquals(0, differences(read(spark, direct), spark.createDataFrame(rows, PixelSchema.ABUNDANCES)));
  }

  @Test
  void theWritersCountsGiveTheSummaryLineOfTheTableReadBack(@TempDir Path dir) {
    SparkSession spark = TestSpark.session();
    List<Row> rows = new ArrayList<>();
    for (Row r : rows(9_000, 12, "a", "b", "c")) { // no NaN: a mean to compare
      rows.add(r.isNullAt(4) || !Double.isNaN(r.getDouble(4)) ? r
          : RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), 7.25));
    }
    String out = dir.resolve("t").toString();
    ResultFiles.Summary s = ResultFiles.writeAbundances(spark, spark.createDataFrame(
        new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).parallelize(rows, 4),
        PixelSchema.ABUNDANCES), out);
    assertEquals(9_000, s.pixels());
    assertEquals(rows.stream().filter(r -> !r.isNullAt(4)).count(), s.valued());
    assertEquals(ResultFiles.unmixedPixels(spark, out), s.line(), "the line the table read back gives");
    assertEquals(s.line(), ResultFiles.summaryLine(spark, s, out));
  }

  @Test
  void theFooterHasSparksSchemaAndStatisticsThatHold(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    List<Row> rows = rows(5_000, 2, "only");
    String out = dir.resolve("t").toString();
    AbundanceTable.write(spark, spark.createDataFrame(rows, PixelSchema.ABUNDANCES).coalesce(1), out);
    ParquetMetadata f = footer(dataFiles(dir.resolve("t")).get(0));
    MessageType expected = new SparkToParquetSchemaConverter(SQLConf.get()).convert(FILE_SCHEMA);
    assertEquals(expected, f.getFileMetaData().getSchema());
    assertEquals(FILE_SCHEMA, org.apache.spark.sql.types.DataType.fromJson(
        f.getFileMetaData().getKeyValueMetaData().get(SeriesStore.SPARK_ROW_METADATA)));
    assertEquals(1, f.getBlocks().size());
    BlockMetaData group = f.getBlocks().get(0);
    assertEquals(5_000, group.getRowCount());
    int minY = rows.stream().mapToInt(r -> r.getInt(2)).min().orElseThrow();
    int maxY = rows.stream().mapToInt(r -> r.getInt(2)).max().orElseThrow();
    long nullRmse = rows.stream().filter(r -> r.isNullAt(4)).count();
    for (ColumnChunkMetaData c : group.getColumns()) {
      Statistics<?> s = c.getStatistics();
      switch (c.getPath().toDotString()) {
        case "x" -> assertEquals(List.of(0, 699), List.of(s.genericGetMin(), s.genericGetMax()));
        case "y" -> assertEquals(List.of(minY, maxY), List.of(s.genericGetMin(), s.genericGetMax()));
        case "rmse" -> assertEquals(nullRmse, s.getNumNulls());
        case "abundances.list.element" -> {
          assertEquals(0, s.getNumNulls());
          assertEquals(15_000, c.getValueCount());
        }
        default -> throw new AssertionError("unexpected column " + c.getPath());
      }
      assertEquals(AbundanceTable.codec(spark.conf().get("spark.sql.parquet.compression.codec")), c.getCodec(),
          "the session's codec");
    }
    // Spark skips a row group its statistics rule out, so they must be right: a filter on y finds its rows.
    assertEquals(rows.stream().filter(r -> r.getInt(2) == 3).count(),
        read(spark, out).where("y = 3").count());
  }

  @Test
  void rowGroupsPagesEmptyListsAndNullsReadBackThroughParquetAndSpark(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    Path folder = dir.resolve("t").resolve("acquisition_id=v");
    Files.createDirectories(folder);
    MessageType schema = new SparkToParquetSchemaConverter(SQLConf.get()).convert(FILE_SCHEMA);
    Random random = new Random(5);
    List<Row> expected = new ArrayList<>();
    // 1 000 rows, row groups of 300 and pages of 7 rows; lists of 0 to 4 values
    try (AbundanceFile f = new AbundanceFile(new Configuration(), new org.apache.hadoop.fs.Path(
        folder.resolve("part-00000.parquet").toUri()), schema, CompressionCodecName.UNCOMPRESSED, 300, 7, Map.of(
            SeriesStore.SPARK_ROW_METADATA, FILE_SCHEMA.json()))) {
      for (int r = 0; r < 1000; r++) {
        double[] v = new double[random.nextInt(5)];
        for (int i = 0; i < v.length; i++) {
          v[i] = random.nextGaussian();
        }
        boolean has = random.nextInt(4) != 0;
        double rmse = random.nextDouble();
        f.add(r, -r, v, 0, v.length, has, rmse);
        expected.add(RowFactory.create("v", r, -r, v, has ? rmse : null));
      }
    }
    ParquetMetadata footer = footer(folder.resolve("part-00000.parquet"));
    assertEquals(List.of(300L, 300L, 300L, 100L), footer.getBlocks().stream().map(BlockMetaData::getRowCount)
        .toList());
    Dataset<Row> back = read(spark, dir.resolve("t").toString());
    assertEquals(0, differences(back, spark.createDataFrame(expected, PixelSchema.ABUNDANCES)));
    List<Row> ordered = back.collectAsList();
    for (int r = 0; r < 1000; r++) {
      assertEquals(r, ordered.get(r).getInt(1), "rows in the order written");
    }
  }

  @Test
  void levelsDecodeWithParquetsOwnDecoder() throws IOException {
    Random random = new Random(9);
    ByteBuffer out = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    for (int n : new int[] {1, 7, 8, 9, 503, 504, 505, 1000, 4099}) {
      for (int kind = 0; kind < 3; kind++) {
        byte[] level = new byte[n];
        for (int i = 0; i < n; i++) {
          level[i] = (byte) (kind == 0 ? 1 : kind == 1 ? 0 : random.nextInt(2));
        }
        out.clear();
        AbundanceFile.hybrid(level, n, out);
        int length = out.getInt(0);
        assertEquals(out.position() - 4, length);
        RunLengthBitPackingHybridDecoder d = new RunLengthBitPackingHybridDecoder(1,
            ByteBufferInputStream.wrap(ByteBuffer.wrap(out.array(), 4, length)));
        byte[] back = new byte[n];
        for (int i = 0; i < n; i++) {
          back[i] = (byte) d.readInt();
        }
        assertArrayEquals(level, back, "n = " + n + ", kind " + kind);
        if (kind < 2) {
          assertTrue(length <= 6, "equal levels are one repeated run: " + length + " bytes");
        }
      }
    }
  }

  @Test
  void writtenAcquisitionsReplaceTheirFoldersAndLeaveTheOthers(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    String out = dir.resolve("t").toString();
    AbundanceTable.write(spark, spark.createDataFrame(rows(3_000, 3, "a", "b"), PixelSchema.ABUNDANCES), out);
    List<Row> again = rows(1_000, 4, "b");
    AbundanceTable.write(spark, spark.createDataFrame(again, PixelSchema.ABUNDANCES), out);
    Dataset<Row> back = read(spark, out);
    assertEquals(1_500, back.where("acquisition_id = 'a'").count(), "a as first written");
    assertEquals(0, differences(back.where("acquisition_id = 'b'"),
        spark.createDataFrame(again, PixelSchema.ABUNDANCES)), "b replaced by the second write");
  }

  @Test
  void aFailedWriteLeavesTheTableAsItWas(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    String out = dir.resolve("t").toString();
    AbundanceTable.write(spark, spark.createDataFrame(rows(2_000, 6, "a"), PixelSchema.ABUNDANCES), out);
    List<Path> before = dataFiles(dir.resolve("t"));
    StructType nullable = new StructType(new org.apache.spark.sql.types.StructField[] {
        PixelSchema.ABUNDANCES.fields()[0], PixelSchema.ABUNDANCES.fields()[1].copy(
            PixelSchema.X, org.apache.spark.sql.types.DataTypes.IntegerType, true,
            org.apache.spark.sql.types.Metadata.empty()), PixelSchema.ABUNDANCES.fields()[2],
        PixelSchema.ABUNDANCES.fields()[3], PixelSchema.ABUNDANCES.fields()[4]});
    List<Row> broken = new ArrayList<>(rows(100, 7, "a"));
    broken.add(RowFactory.create("a", null, 1, new double[] {1}, 0.0));
    Exception e = assertThrows(Exception.class, () -> AbundanceTable.write(spark,
        spark.createDataFrame(broken, nullable).coalesce(1), out));
    assertTrue(String.valueOf(e.getMessage()).contains("without its x, y or abundances"), e.getMessage());
    assertEquals(before, dataFiles(dir.resolve("t")), "the old files, untouched");
    try (Stream<Path> top = Files.list(dir.resolve("t"))) {
      assertFalse(top.anyMatch(p -> p.getFileName().toString().startsWith(".spark-staging-")),
          "the failed job's staging folder removed");
    }
    assertEquals(2_000, read(spark, out).count());
  }
}
