package org.eelsunmix.spark.pages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page decoder against Spark's own read of the same files: every float bit-identical, in the same row order, for
 * a generated store written as the store is (zstd, dictionary), with small pages and row groups (lists across pages,
 * a partial last row group), plain and uncompressed, and data pages V2; files it cannot read are refused by name.
 */
class SpectrumPagesTest {
  private static SpectrumImage image;
  private static List<Row> rows;

  @TempDir
  static java.nio.file.Path dir;

  @BeforeAll
  static void image() {
    image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(24).withBlock(8), 5)
        .image();
    rows = new ArrayList<>();
    ImageRows.pixels(image).forEachRemaining(rows::add);
  }

  /** The store's pixel table written with extra Parquet options, as {@code generate} writes it otherwise. */
  private static List<Path> store(String name, Map<String, String> options) throws IOException {
    SparkSession spark = TestSpark.session();
    String table = dir.resolve(name).resolve("pixels").toString();
    SeriesStore.writePartitioned(spark.createDataFrame(rows, PixelSchema.PIXELS).repartition(2), table, spark,
        options);
    return files(table);
  }

  private static List<Path> files(String table) throws IOException {
    Path root = new Path(table);
    List<Path> files = new ArrayList<>();
    var it = root.getFileSystem(new Configuration()).listFiles(root, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      if (f.getPath().getName().endsWith(".parquet")) {
        files.add(f.getPath());
      }
    }
    assertTrue(!files.isEmpty(), table);
    return files;
  }

  /** Spark's read of one file's spectra, in its row order, as one pixel-major array. */
  private static float[] sparkSpectra(Path file) {
    List<Row> spectra = TestSpark.session().read().parquet(file.toString()).select(PixelSchema.SPECTRUM)
        .collectAsList();
    int b = image.channels();
    float[] all = new float[spectra.size() * b];
    for (int p = 0; p < spectra.size(); p++) {
      List<Float> s = spectra.get(p).getList(0);
      assertEquals(b, s.size());
      for (int c = 0; c < b; c++) {
        all[p * b + c] = s.get(c);
      }
    }
    return all;
  }

  /** The decoder's read of one file, in blocks of {@code blockPixels} (odd sizes split pages and id groups). */
  private static float[] pageSpectra(Path file, int blockPixels) throws IOException {
    int b = image.channels();
    try (SpectrumPages pages = SpectrumPages.open(new Configuration(), file, PixelSchema.SPECTRUM, b)) {
      float[] all = new float[(int) pages.rows() * b];
      float[] block = new float[blockPixels * b];
      int at = 0;
      int n;
      float[] bounds = new float[2];
      while ((n = pages.read(block)) > 0) {
        if (pages.dictionaryBounds(bounds)) { // every value decoded lies within its dictionaries' entries
          boundedReads++;
          for (int i = 0; i < n * b; i++) {
            assertTrue(block[i] >= bounds[0] && block[i] <= bounds[1], block[i] + " within " + bounds[0] + ".."
                + bounds[1]);
          }
        } else {
          plainReads++;
        }
        System.arraycopy(block, 0, all, at, n * b);
        at += n * b;
      }
      assertEquals(all.length, at);
      assertEquals(0, pages.read(block));
      return all;
    }
  }

  /** Reads of {@link #pageSpectra} whose values came from dictionary pages only (bounds given), and the others. */
  private static int boundedReads;
  private static int plainReads;

  private static void sameAsSpark(List<Path> files) throws IOException {
    boundedReads = 0;
    plainReads = 0;
    long pixels = 0;
    for (Path file : files) {
      float[] expected = sparkSpectra(file);
      for (int blockPixels : new int[] {1, 3, 256}) {
        float[] actual = pageSpectra(file, blockPixels);
        assertEquals(expected.length, actual.length, file.toString());
        for (int i = 0; i < expected.length; i++) {
          if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
            throw new AssertionError(file + " value " + i + ": Spark " + expected[i] + ", pages " + actual[i]);
          }
        }
      }
      pixels += expected.length / image.channels();
    }
    assertEquals(rows.size(), pixels);
  }

  private static List<BlockMetaData> rowGroups(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, new Configuration()))) {
      return r.getRowGroups();
    }
  }

  private static ColumnChunkMetaData spectrumChunk(BlockMetaData group) {
    return group.getColumns().stream().filter(c -> c.getPath().toArray()[0].equals(PixelSchema.SPECTRUM))
        .findFirst().orElseThrow();
  }

  @Test
  void storeAsGeneratedReadsAsSparkDoes() throws IOException {
    List<Path> files = store("as-generated", Map.of("compression", "zstd")); // conf/spark-defaults.conf's codec
    sameAsSpark(files);
    assertTrue(boundedReads > 0 && plainReads == 0, "dictionary pages give bounds: " + boundedReads + "/" + plainReads);
    ColumnChunkMetaData chunk = spectrumChunk(rowGroups(files.get(0)).get(0));
    assertTrue(chunk.getEncodings().contains(Encoding.PLAIN_DICTIONARY), chunk.getEncodings().toString());
    assertEquals("ZSTD", chunk.getCodec().name());
  }

  @Test
  void smallPagesAndRowGroupsWithAPartialLastGroup() throws IOException {
    Map<String, String> options = new HashMap<>();
    options.put("parquet.block.size", "20000");
    options.put("parquet.block.size.row.check.min", "5");
    options.put("parquet.block.size.row.check.max", "5");
    options.put("parquet.page.size", "700");
    options.put("parquet.page.size.row.check.min", "1");
    options.put("parquet.page.size.row.check.max", "1");
    List<Path> files = store("small-groups", options);
    sameAsSpark(files);
    List<BlockMetaData> groups = rowGroups(files.get(0));
    assertTrue(groups.size() >= 3, "row groups: " + groups.size());
    assertTrue(groups.get(groups.size() - 1).getRowCount() < groups.get(0).getRowCount(), "a partial last group");
  }

  @Test
  void plainUncompressedValues() throws IOException {
    List<Path> files = store("plain", Map.of("compression", "uncompressed", "parquet.enable.dictionary", "false"));
    sameAsSpark(files);
    assertTrue(boundedReads == 0 && plainReads > 0, "plain pages give no bounds");
    ColumnChunkMetaData chunk = spectrumChunk(rowGroups(files.get(0)).get(0));
    assertTrue(!chunk.getEncodings().contains(Encoding.PLAIN_DICTIONARY)
        && !chunk.getEncodings().contains(Encoding.RLE_DICTIONARY), chunk.getEncodings().toString());
    assertEquals("UNCOMPRESSED", chunk.getCodec().name());
  }

  @Test
  void dataPagesV2() throws IOException {
    List<Path> files = store("v2", Map.of("parquet.writer.version", "v2", "parquet.page.size", "2000",
        "parquet.page.size.row.check.min", "1", "parquet.page.size.row.check.max", "1"));
    sameAsSpark(files);
    ColumnChunkMetaData chunk = spectrumChunk(rowGroups(files.get(0)).get(0));
    assertTrue(chunk.getEncodings().contains(Encoding.RLE_DICTIONARY), chunk.getEncodings().toString());
  }

  /** Writes one file of the given spectra and schema; returns it. */
  private static Path table(String name, StructType schema, List<Row> rows) throws IOException {
    String path = dir.resolve(name).toString();
    TestSpark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(path);
    return files(path).get(0);
  }

  @Test
  void refusesWhatItCannotRead() throws IOException {
    StructType floats = new StructType().add(PixelSchema.SPECTRUM,
        DataTypes.createArrayType(DataTypes.FloatType, true), true);
    // a spectrum one value short
    Path shortOne = table("short", floats, List.of(RowFactory.create(List.of(1f, 2f, 3f)),
        RowFactory.create(List.of(1f, 2f)), RowFactory.create(List.of(1f, 2f, 3f))));
    assertTrue(refusedMessage(shortOne, 3).contains("not a list of 3"));
    // the same file read for other lengths
    assertTrue(refusedMessage(shortOne, 2).contains("not a list of 2"));
    // a null spectrum, a null value
    Path nulls = table("nulls", floats, java.util.Arrays.asList(RowFactory.create(List.of(1f, 2f)),
        RowFactory.create((Object) null)));
    assertTrue(refusedMessage(nulls, 2).contains("null"));
    Path nullValue = table("null-value", floats, List.of(RowFactory.create(java.util.Arrays.asList(1f, null))));
    assertTrue(refusedMessage(nullValue, 2).contains("null"));
    // doubles, and a column that is not a list
    Path doubles = table("doubles", new StructType().add(PixelSchema.SPECTRUM,
        DataTypes.createArrayType(DataTypes.DoubleType, false), false), List.of(RowFactory.create(List.of(1.0, 2.0))));
    assertTrue(refusedMessage(doubles, 2).contains("DOUBLE"));
    Path scalar = table("scalar", new StructType().add(PixelSchema.SPECTRUM, DataTypes.FloatType, false),
        List.of(RowFactory.create(1f)));
    assertTrue(refusedMessage(scalar, 1).contains("not a list"));
    // a file of the right shape still reads
    Path good = table("good", floats, List.of(RowFactory.create(List.of(1f, 2f)), RowFactory.create(List.of(3f, 4f))));
    try (SpectrumPages pages = SpectrumPages.open(new Configuration(), good, PixelSchema.SPECTRUM, 2)) {
      float[] block = new float[8];
      assertEquals(2, pages.read(block));
      assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 0f, 0f, 0f, 0f}, block);
    }
  }

  private static String refusedMessage(Path file, int channels) {
    SpectrumPages.Unsupported e = assertThrows(SpectrumPages.Unsupported.class, () -> {
      try (SpectrumPages pages = SpectrumPages.open(new Configuration(), file, PixelSchema.SPECTRUM, channels)) {
        float[] block = new float[16 * channels];
        while (pages.read(block) > 0) {
          // read to the end: some faults show only in the pages
        }
      }
    });
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    return e.getMessage();
  }
}
