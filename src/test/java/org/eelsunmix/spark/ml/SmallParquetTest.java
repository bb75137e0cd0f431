package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model's endmember table written on the driver ({@link SmallParquet}) reads back through Spark's own Parquet
 * reader with the declared columns (names, types; Spark reads every file as nullable) and every value bit for bit,
 * and it holds the same schema and rows as a table Spark's writer makes from the same rows.
 */
class SmallParquetTest {
  @TempDir
  Path dir;

  @Test
  void endmemberTableReadsBackThroughSparkBitForBit() throws Exception {
    SparkSession spark = TestSpark.session();
    double[][] m = {{0.1, -2.5e-300, Double.MAX_VALUE, 3}, {Math.PI, 0, -0.0, 1e-17}, {5, 6, 7, 8}};
    Endmembers e = new Endmembers(m, List.of("Pt", "Ru ö", "c"), new EnergyAxis(280.25, 0.125, "eV", 4));
    String ours = dir.resolve("ours").toString();
    SmallParquet.write(spark.sparkContext().hadoopConfiguration(), ours, PixelSchema.ENDMEMBERS,
        StageWriter.rows(e));
    assertTrue(Files.exists(dir.resolve("ours/_SUCCESS")));

    var read = spark.read().parquet(ours);
    // Spark reads any Parquet file as nullable; names, types and order are the declared ones
    assertEquals(PixelSchema.ENDMEMBERS.asNullable(), read.schema());
    Endmembers back = StageWriter.fromRows(read.collectAsList());
    assertEquals(e.names(), back.names());
    assertEquals(e.axis().offset(), back.axis().offset(), 0);
    assertEquals(e.axis().scale(), back.axis().scale(), 0);
    assertEquals(e.axis().units(), back.axis().units());
    for (int r = 0; r < m.length; r++) {
      assertArrayEquals(m[r], back.spectrum(r), 0, "row " + r); // 0 tolerance; -0.0 == 0.0 checked next
      assertEquals(Double.doubleToRawLongBits(m[r][2]), Double.doubleToRawLongBits(back.spectrum(r)[2]));
    }

    // Spark's writer, same rows: the same table
    String theirs = dir.resolve("theirs").toString();
    spark.createDataFrame(StageWriter.rows(e), PixelSchema.ENDMEMBERS).coalesce(1).write().parquet(theirs);
    List<Row> a = read.orderBy("endmember").collectAsList();
    var sparkWritten = spark.read().parquet(theirs);
    assertEquals(sparkWritten.schema(), read.schema());
    List<Row> b = sparkWritten.orderBy("endmember").collectAsList();
    assertEquals(b.size(), a.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(b.get(i), a.get(i), "row " + i);
    }
  }
}
