package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.EnergyAxis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store's acquisitions table read on the driver ({@link DriverParquetRows}) gives the acquisitions Spark's own
 * reader gives (the reference): ids that need escaping in folder names, a null and a set timestamp (written as
 * INT96 or as INT64 microseconds), metadata maps, null optional strings. A layout it does not handle (a file
 * outside a partition folder) is left to Spark (null).
 */
class DriverParquetRowsTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "timestamps as {0}")
  @ValueSource(strings = {"INT96", "TIMESTAMP_MICROS", "TIMESTAMP_MILLIS"})
  void acquisitionsEqualSparksReading(String timestampType) {
    SparkSession spark = TestSpark.session();
    Timestamp t = Timestamp.valueOf("2024-03-05 14:07:09.123");
    EnergyAxis axis = new EnergyAxis(280.5, 0.25, "eV", 200);
    List<Acquisition> written = List.of(
        new Acquisition("a b/c:1=%", "/data/x.dm4", "abc", 64, 32, axis, t, "dm4", "float32",
            Map.of("microscope", "Nion", "kV", "60")),
        new Acquisition("r0001", null, null, 8, 8, axis, null, "synthetic"),
        new Acquisition("ü-2", "y.npy", "d", 4, 4, new EnergyAxis(0, 1, "channel", 200),
            Timestamp.valueOf("1999-12-31 23:59:59.999999"), "npy", null, Map.of()));
    String table = dir.resolve("acquisitions").toString();
    String key = "spark.sql.parquet.outputTimestampType";
    String before = spark.conf().get(key);
    spark.conf().set(key, timestampType);
    try {
      spark.createDataFrame(written.stream().map(Acquisition::toRow).toList(), PixelSchema.ACQUISITIONS).write()
          .partitionBy(PixelSchema.ACQUISITION_ID).parquet(table);
    } finally {
      spark.conf().set(key, before);
    }
    List<Row> ours = DriverParquetRows.read(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(table), PixelSchema.ACQUISITIONS, PixelSchema.ACQUISITION_ID);
    assertNotNull(ours, "the plain layout is read on the driver");
    List<Row> spark_ = spark.read().schema(PixelSchema.ACQUISITIONS).parquet(table).collectAsList();
    assertEquals(sorted(spark_), sorted(ours));
    if (!timestampType.equals("TIMESTAMP_MILLIS")) { // milliseconds drop the written microseconds, in Spark too
      assertEquals(written.stream().sorted(Comparator.comparing(Acquisition::id)).toList(), sorted(ours));
    }
  }

  @Test
  void aTableOutsidePartitionFoldersIsLeftToSpark() {
    SparkSession spark = TestSpark.session();
    Acquisition a = new Acquisition("r0", null, null, 8, 8, new EnergyAxis(0, 1, "eV", 4), null, "synthetic");
    String table = dir.resolve("flat").toString();
    spark.createDataFrame(List.of(a.toRow()), PixelSchema.ACQUISITIONS).write().parquet(table);
    assertNull(DriverParquetRows.read(spark.sparkContext().hadoopConfiguration(), new org.apache.hadoop.fs.Path(table),
        PixelSchema.ACQUISITIONS, PixelSchema.ACQUISITION_ID));
  }

  /** An archive's thousands of acquisition files are read by Spark's parallel tasks, not one by one here. */
  @Test
  void moreFilesThanTheLimitAreLeftToSpark() {
    SparkSession spark = TestSpark.session();
    EnergyAxis axis = new EnergyAxis(0, 1, "eV", 4);
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i <= DriverParquetRows.MAX_FILES; i++) {
      rows.add(new Acquisition(String.format("m%03d", i), null, null, 8, 8, axis, null, "synthetic").toRow());
    }
    String many = dir.resolve("many").toString();
    String few = dir.resolve("few").toString();
    spark.createDataFrame(rows, PixelSchema.ACQUISITIONS).write().partitionBy(PixelSchema.ACQUISITION_ID)
        .parquet(many);
    spark.createDataFrame(rows.subList(0, DriverParquetRows.MAX_FILES), PixelSchema.ACQUISITIONS).write()
        .partitionBy(PixelSchema.ACQUISITION_ID).parquet(few);
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    assertNull(DriverParquetRows.read(conf, new org.apache.hadoop.fs.Path(many), PixelSchema.ACQUISITIONS,
        PixelSchema.ACQUISITION_ID));
    assertEquals(DriverParquetRows.MAX_FILES, DriverParquetRows.read(conf, new org.apache.hadoop.fs.Path(few),
        PixelSchema.ACQUISITIONS, PixelSchema.ACQUISITION_ID).size());
  }

  private static List<Acquisition> sorted(List<Row> rows) {
    return rows.stream().map(Acquisition::fromRow).sorted(Comparator.comparing(Acquisition::id)).toList();
  }
}
