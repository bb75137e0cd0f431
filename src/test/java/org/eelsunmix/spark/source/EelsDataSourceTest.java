package org.eelsunmix.spark.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.AcquisitionFiles;
import org.eelsunmix.io.SpectralFile;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code format("eels")} on the real files of ../shared/data gives the rows of the per-format readers (values,
 * shape, axis), the same rows per tile as per file, and refuses or skips bad files by stringency.
 */
class EelsDataSourceTest {
  static final Path DATA = Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data"));

  private static Dataset<Row> load(String... paths) {
    return TestSpark.session().read().format("eels").load(paths);
  }

  /** Every pixel of the load equals the same pixel of the whole-file reader. */
  private static void assertSameAsReaders(Dataset<Row> df, List<Path> files) {
    List<Row> rows = df.collectAsList(); // a handful of pixels: the test compares them all
    int expected = 0;
    for (Path f : files) {
      SpectralFile whole = AcquisitionFiles.read(f);
      int w = whole.image().width();
      int c = whole.image().channels();
      expected += whole.image().pixels();
      for (Row r : rows) {
        if (!r.getString(0).equals(whole.image().id())) {
          continue;
        }
        int p = r.getInt(2) * w + r.getInt(1);
        float[] s = new float[c];
        List<Float> got = r.getList(3);
        for (int i = 0; i < c; i++) {
          s[i] = got.get(i);
        }
        assertArrayEquals(Arrays.copyOfRange(whole.image().data(), p * c, (p + 1) * c), s, f + " pixel " + p);
      }
    }
    assertEquals(expected, rows.size());
    assertEquals(expected, rows.stream().map(r -> r.getString(0) + "/" + r.getInt(1) + "/" + r.getInt(2))
        .distinct().count(), "every pixel once");
  }

  @Test
  void rippleFolderGivesTheReadersRowsWithTheAxisAsColumnMetadata() throws Exception {
    List<Path> files;
    try (var s = Files.list(DATA.resolve("ripple"))) {
      files = s.filter(f -> f.toString().endsWith(".rpl")).sorted().toList();
    }
    Dataset<Row> df = load(DATA.resolve("ripple").toString());
    assertEquals(PixelSchema.PIXELS.simpleString(), df.schema().simpleString());
    // 3: size 4, offset 1.5, scale 300 eV (the README's HyperSpy reading)
    EnergyAxis axis = SpectrumColumn.axisOf(df.schema(), PixelSchema.SPECTRUM);
    assertEquals(new EnergyAxis(1.5, 300, "eV", 4), axis);
    assertEquals(8, df.select(PixelSchema.ACQUISITION_ID).distinct().count());
    assertSameAsReaders(df, files);
    // 2 x 3 pixels each: x < 3, y < 2; values sum to 276 per file.
    Row sums = df.selectExpr("max(x)", "max(y)", "sum(aggregate(spectrum, 0D, (a, v) -> a + v))").first();
    assertEquals(2, sums.getInt(0));
    assertEquals(1, sums.getInt(1));
    assertEquals(8 * 276.0, sums.getDouble(2), 1e-9);
  }

  /** The rows as sorted text (a few pixels): one job per load. */
  private static List<String> rowsOf(Dataset<Row> df) {
    return df.collectAsList().stream().map(r -> r.getString(0) + " " + r.getInt(2) + " " + r.getInt(1) + " "
        + r.getList(3)).sorted().toList();
  }

  @Test
  void tilesGiveTheSameRowsAsWholeFiles() {
    SparkSession spark = TestSpark.session();
    String[] ripple = {DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_int32.rpl").toString(),
        DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_float64_meta.rpl").toString()};
    Dataset<Row> whole = spark.read().format("eels").load(ripple);
    assertEquals(2, whole.rdd().getNumPartitions());
    List<String> expected = rowsOf(whole);
    assertEquals(12, expected.size());
    // Below a row (3 pixels): single pixels; above: rounded down to whole rows (4 -> 3, 7 -> 6 = the whole file).
    for (String[] tile : new String[][] {{"1", "12"}, {"2", "6"}, {"4", "4"}, {"7", "2"}}) {
      Dataset<Row> tiled = spark.read().format("eels").option("tilePixels", tile[0]).load(ripple);
      assertEquals(Integer.parseInt(tile[1]), tiled.rdd().getNumPartitions(), "tilePixels " + tile[0]);
      assertEquals(expected, rowsOf(tiled), "tilePixels " + tile[0]);
    }
    // The band-sequential DM spectrum image, one pixel per partition (8 KiB of float32 spectra).
    String si = DATA.resolve("dm/3D_EELS_SI.dm4").toString();
    Dataset<Row> tiled = spark.read().format("eels").option("maxPartitionBytes", "8192").load(si);
    assertEquals(4, tiled.rdd().getNumPartitions());
    assertSameAsReaders(tiled, List.of(Path.of(si)));
  }

  @Test
  void hspyAndDmSpectrumImagesKeepShapeAndValues() {
    Path line = DATA.resolve("hspy/LSMO_linescan.hspy");
    Dataset<Row> df = load(line.toString());
    assertEquals(new EnergyAxis(428.5, 0.5, "eV", 586), SpectrumColumn.axisOf(df.schema(), "spectrum"));
    assertSameAsReaders(df, List.of(line));
    assertEquals(40, df.where("y = 0").count());
  }

  @Test
  void strictRefusesNamingTheFileLenientSkipsBadFilesAndOtherAxes(@TempDir Path dir) throws Exception {
    // The dm folder: the SI and the 1-D spectrum (two different axes), image stacks and complex data.
    BadInputException e = assertThrows(BadInputException.class, () -> load(DATA.resolve("dm").toString()));
    assertTrue(e.getMessage().contains(".dm"), e.getMessage());
    Dataset<Row> lenient = TestSpark.session().read().format("eels").option("stringency", "lenient")
        .load(DATA.resolve("dm").toString());
    List<String> ids = lenient.select("acquisition_id").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList();
    assertEquals(1, ids.size(), ids.toString()); // one of the two spectra; the other axis is skipped
    // Two files of different axes, strict: the message names the odd file and both axes.
    String si = DATA.resolve("dm/3D_EELS_SI.dm4").toString();
    String hspy = DATA.resolve("hspy/LSMO_linescan.hspy").toString();
    BadInputException axes = assertThrows(BadInputException.class, () -> load(si, hspy));
    assertTrue(axes.getMessage().startsWith(hspy) && axes.getMessage().contains("energy axis"), axes.getMessage());
    // A readable header with a truncated body is found before any row is read.
    byte[] raw = Files.readAllBytes(DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_float32.raw"));
    Files.copy(DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_float32.rpl"), dir.resolve("cut.rpl"));
    Files.write(dir.resolve("cut.raw"), Arrays.copyOf(raw, raw.length - 5));
    Files.copy(DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_uint16.rpl"), dir.resolve("good.rpl"));
    Files.copy(DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_uint16.raw"), dir.resolve("good.raw"));
    BadInputException cut = assertThrows(BadInputException.class, () -> load(dir.toString()));
    assertTrue(cut.getMessage().contains("cut.raw") && cut.getMessage().contains("truncated"), cut.getMessage());
    Dataset<Row> kept = TestSpark.session().read().format("eels").option("stringency", "lenient")
        .load(dir.toString());
    assertEquals(List.of("good"), kept.select("acquisition_id").distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(6, kept.count());
    assertThrows(BadInputException.class, () -> TestSpark.session().read().format("eels")
        .option("stringency", "sloppy").load(si));
  }

  @Test
  void idsGivenByPathWinOverTheNameRule() {
    String a = DATA.resolve("ripple/test_ripple_sdim-1_ndim-2_int32.rpl").toString();
    String b = DATA.resolve("hspy/LSMO_linescan.hspy").toString();
    // Two loads (two axes), as FileSurvey.pixels makes them for files its survey named.
    Dataset<Row> df = TestSpark.session().read().format("eels")
        .option("acquisitionIds", "{\"" + a.replace("\\", "\\\\") + "\": \"day1_si\"}").load(a);
    assertEquals(List.of("day1_si"), df.select(PixelSchema.ACQUISITION_ID).distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(List.of("LSMO_linescan"), load(b).select(PixelSchema.ACQUISITION_ID).distinct().as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertThrows(BadInputException.class, () -> TestSpark.session().read().format("eels")
        .option("acquisitionIds", "[1, 2]").load(a).count());
  }
}
