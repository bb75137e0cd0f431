package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet layout of the tables we write, read back from the files' footers: result doubles written without a
 * dictionary, and large acquisitions cut into row groups a reader can split.
 */
class ResultFilesParquetTest {
  private static List<BlockMetaData> rowGroups(Path table) throws IOException {
    List<BlockMetaData> groups = new ArrayList<>();
    try (Stream<Path> files = Files.walk(table)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))) {
          groups.addAll(r.getFooter().getBlocks());
        }
      }
    }
    return groups;
  }

  @Test
  void abundancesAndRmseAreWrittenWithoutADictionaryAndReadBackUnchanged(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>();
    for (int p = 0; p < 5000; p++) {
      double a = random.nextDouble();
      rows.add(RowFactory.create("acq", p % 100, p / 100, new double[] {a, 1 - a}, random.nextDouble()));
    }
    Dataset<Row> table = spark.createDataFrame(rows, PixelSchema.ABUNDANCES);
    String out = dir.resolve("abundances").toString();
    ResultFiles.writeAbundances(spark, table, out);

    List<BlockMetaData> groups = rowGroups(dir.resolve("abundances"));
    assertTrue(!groups.isEmpty());
    int checked = 0;
    for (BlockMetaData g : groups) {
      for (ColumnChunkMetaData c : g.getColumns()) {
        String column = c.getPath().toDotString();
        if (column.startsWith(PixelSchema.ABUNDANCES_COL) || column.equals(PixelSchema.RMSE)) {
          checked++;
          assertTrue(c.getEncodings().stream().noneMatch(Encoding::usesDictionary),
              column + " written with " + c.getEncodings());
        }
      }
    }
    assertTrue(checked >= 2 * groups.size(), "both result columns found in every row group");
    Dataset<Row> back = spark.read().parquet(out).selectExpr(table.columns());
    assertEquals(table.count(), back.count());
    assertEquals(0, back.exceptAll(table).count() + table.exceptAll(back).count(),
        "the values read back are the values written");
  }

  @Test
  void aLargeAcquisitionIsCutIntoRowGroupsOfAtMostTheStatedSize(@TempDir Path dir) throws IOException {
    SparkSession spark = TestSpark.session();
    int channels = 200;
    int pixels = 40_000; // 32 MB of noise-like floats: at least two row groups
    Dataset<Row> table = spark.range(0, pixels, 1, 1).map(
        (org.apache.spark.api.java.function.MapFunction<Long, Row>) i -> {
          Random r = new Random(i);
          float[] s = new float[channels];
          for (int c = 0; c < channels; c++) {
            s[c] = r.nextFloat() * 1e4f;
          }
          return RowFactory.create("big", (int) (i % 200), (int) (i / 200), s);
        }, org.apache.spark.sql.Encoders.row(PixelSchema.PIXELS));
    SeriesStore.writePartitioned(table, dir.resolve("pixels").toString(), spark);

    List<BlockMetaData> groups = rowGroups(dir.resolve("pixels"));
    assertTrue(groups.size() >= 2, "row groups: " + groups.size());
    assertEquals(pixels, groups.stream().mapToLong(BlockMetaData::getRowCount).sum());
    for (BlockMetaData g : groups) {
      // the writer checks its size between records, so a group may overshoot by a little
      assertTrue(g.getTotalByteSize() <= SeriesStore.ROW_GROUP_BYTES * 1.25, "row group of " + g.getTotalByteSize());
    }
  }
}
