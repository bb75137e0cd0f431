package org.eelsunmix.cli;

import static org.eelsunmix.cli.CliErrorsTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.maps.LineProfile;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ElementalMaps;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.unmix.EnergyWindow;
import org.eelsunmix.unmix.PowerLawBackground;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bs and profile through the real command line: a store of noise-free power-law spectra with a step edge whose
 * height is known per pixel, so every map value and every profile point has a closed form.
 */
class BsProfileCommandTest {
  /** 200–499 eV at 1 eV/channel. */
  static final EnergyAxis AXIS = EnergyAxis.ofEv(200, 1, 300);
  /** Background A·E^−3 with 1000 counts at 300 eV. */
  static final double A = 1000 * Math.pow(300, 3);
  /** Signal window 300:350 eV: 51 channels, all above the 300 eV step. */
  static final int SIGNAL_CHANNELS = 51;

  @TempDir
  static Path dir;
  static String store;
  static String bsOut;

  /** Step height of pixel (x, y) of acquisition "a": negative in column 0 (a dip: the method's failure shows). */
  static double step(int x, int y) {
    return 10.0 * x + y - 5;
  }

  static SpectrumImage image(String id, int height, int width, boolean stepEdges) {
    int b = AXIS.channels();
    float[] data = new float[height * width * b];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int i = 0; i < b; i++) {
          double e = AXIS.energy(i);
          data[(y * width + x) * b + i] = (float) (A * Math.pow(e, -3) + (stepEdges && e >= 300 ? step(x, y) : 0));
        }
      }
    }
    return new SpectrumImage(id, height, width, AXIS, data);
  }

  @BeforeAll
  static void store() throws Exception {
    store = dir.resolve("store").toString();
    SpectrumImage a = image("a", 5, 6, true);
    SpectrumImage b = image("b", 3, 4, false);
    int b0 = AXIS.channelOf(250);
    for (int i = b0; i <= AXIS.channelOf(290); i++) {
      b.data()[(2 * 4 + 1) * AXIS.channels() + i] = 0; // pixel (x=1, y=2) of b: no pre-edge counts at all
    }
    List<Row> pixels = new ArrayList<>();
    List<Row> acquisitions = new ArrayList<>();
    for (SpectrumImage image : List.of(a, b)) {
      ImageRows.pixels(image).forEachRemaining(pixels::add);
      acquisitions.add(new Acquisition(image.id(), null, null, image.width(), image.height(), AXIS, null,
          "synthetic").toRow());
    }
    SparkSession spark = TestSpark.session();
    new SeriesStore(spark, store).write(spark.createDataFrame(pixels, PixelSchema.PIXELS),
        spark.createDataFrame(acquisitions, PixelSchema.ACQUISITIONS), null, null);
    bsOut = dir.resolve("bs").toString();
    CliTestSupport.Run bs = CliTestSupport.run("bs", "--store", store, "--pre-edge", "250:290", "--signal",
        "300:350", "--name", "X-K", "--out", bsOut);
    assertEquals(0, bs.code(), bs.err());
    assertTrue(bs.out().contains("wrote " + bsOut), bs.out());
  }

  @Test
  void bsMapsEveryPixelToItsClosedFormSignal() throws Exception {
    SparkSession spark = TestSpark.session();
    List<Row> rows = spark.read().schema(PixelSchema.ELEMENTAL_MAP).parquet(bsOut + "/maps")
        .where("acquisition_id = 'a'").collectAsList();
    assertEquals(30, rows.size());
    double background = 0;
    for (int e = 300; e <= 350; e++) {
      background += A * Math.pow(e, -3);
    }
    for (Row r : rows) {
      int x = r.getInt(r.fieldIndex("x"));
      int y = r.getInt(r.fieldIndex("y"));
      // Float counts (about 1e-7 relative) are the only error.
      assertEquals(SIGNAL_CHANNELS * step(x, y), r.getDouble(r.fieldIndex("signal")), 1e-5 * background);
      assertEquals(background, r.getDouble(r.fieldIndex("background")), 1e-5 * background);
      assertEquals(3.0, r.getDouble(r.fieldIndex("background_r")), 1e-5);
      assertEquals(A, r.getDouble(r.fieldIndex("background_a")), 1e-4 * A);
      assertEquals(1.0, r.getDouble(r.fieldIndex("r_squared")), 1e-9);
      assertEquals(41, r.getInt(r.fieldIndex("fit_channels")));
    }

    // Summary: 5 negative signals in column 0 of a, one pixel of b without a fit; printed and in summary.csv.
    List<String> csv = Files.readAllLines(Path.of(bsOut, "summary.csv"));
    assertEquals("name,acquisition_id,pixels,negative_signal,nan_signal,mean_signal,mean_background_r", csv.get(0));
    assertTrue(csv.get(1).startsWith("X-K,a,30,5,0,"), csv.get(1));
    assertTrue(csv.get(2).startsWith("X-K,b,12,"), csv.get(2));
    assertTrue(csv.get(2).split(",")[4].equals("1"), csv.get(2));
    double meanA = Double.parseDouble(csv.get(1).split(",")[5]);
    assertEquals(SIGNAL_CHANNELS * (10 * 2.5 + 2 - 5), meanA, 1e-5 * background); // mean of step over 6 × 5
    Row nan = spark.read().schema(PixelSchema.ELEMENTAL_MAP).parquet(bsOut + "/maps")
        .where("acquisition_id = 'b' and x = 1 and y = 2").first();
    assertTrue(Double.isNaN(nan.getDouble(nan.fieldIndex("signal"))));
    assertEquals(0, nan.getInt(nan.fieldIndex("fit_channels")));
    assertTrue(Files.readString(Path.of(bsOut, "_config.properties")).contains("pre-edge=250:290"));
  }

  @Test
  void theMapDoesNotDependOnPartitioningAndEqualsTheKernel() {
    SeriesStore series = new SeriesStore(TestSpark.session(), store);
    PowerLawBackground kernel = new PowerLawBackground(series.acquisition("a").axis(),
        EnergyWindow.parse("--pre-edge", "250:290"), EnergyWindow.parse("--signal", "300:350"));
    Dataset<Row> pixels = series.pixels(List.of("a"));
    List<Row> one = ElementalMaps.compute(pixels.coalesce(1), kernel, "store").orderBy("y", "x").collectAsList();
    List<Row> three = ElementalMaps.compute(pixels.repartition(3), kernel, "store").orderBy("y", "x")
        .collectAsList();
    assertEquals(one, three);
    PowerLawBackground.Fit fit = kernel.newFit();
    SpectrumImage image = image("a", 5, 6, true);
    for (Row r : one) {
      int p = r.getInt(2) * 6 + r.getInt(1);
      kernel.fit(image.data(), p * AXIS.channels(), fit);
      assertEquals(fit.signal, r.getDouble(3), 0.0);
      assertEquals(fit.r, r.getDouble(5), 0.0);
    }
  }

  static List<String[]> csv(String folder) throws Exception {
    List<String[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(folder, "profile.csv"))) {
      out.add(line.split(","));
    }
    return out;
  }

  @Test
  void profileOfTheBsMapIsTheClosedForm() throws Exception {
    String out = dir.resolve("profile-x").toString();
    CliTestSupport.Run run = CliTestSupport.run("profile", "--table", bsOut + "/maps", "--acquisition", "a",
        "--along", "x", "--region", "1:6,1:5", "--width", "2", "--pixel-size", "0.5", "--out", out);
    assertEquals(0, run.code(), run.err());
    List<String[]> rows = csv(out);
    assertEquals("line,first,last,position_px,position_nm,sum,mean,pixels,skipped", String.join(",", rows.get(0)));
    assertEquals(4, rows.size()); // columns 1-2, 3-4, 5
    for (int k = 0; k < 3; k++) {
      String[] r = rows.get(k + 1);
      int first = 1 + 2 * k;
      int last = Math.min(5, first + 1);
      int nx = last - first + 1;
      // Σ over columns first..last and rows 1..4 of 51·(10x + y − 5): arithmetic series in x and y.
      double sum = SIGNAL_CHANNELS * (10.0 * 4 * nx * (first + last) / 2 + nx * (1 + 2 + 3 + 4) - 5.0 * 4 * nx);
      assertEquals(first, Integer.parseInt(r[1]));
      assertEquals(last, Integer.parseInt(r[2]));
      assertEquals((first + last) / 2.0 * 0.5, Double.parseDouble(r[4]), 1e-12);
      assertEquals(sum, Double.parseDouble(r[5]), 1e-3 * Math.abs(sum));
      assertEquals(sum / (4 * nx), Double.parseDouble(r[6]), 1e-3 * Math.abs(sum));
      assertEquals(4L * nx, Long.parseLong(r[7]));
    }

    // Along y over b: the pixel without a fit is skipped, not summed.
    out = dir.resolve("profile-y").toString();
    run = CliTestSupport.run("profile", "--table", bsOut + "/maps", "--acquisition", "b", "--along", "y", "--out",
        out);
    assertEquals(0, run.code(), run.err());
    rows = csv(out);
    assertEquals(4, rows.size());
    assertEquals("line,first,last,position_px,sum,mean,pixels,skipped", String.join(",", rows.get(0)));
    assertEquals("3", rows.get(3)[6]);
    assertEquals("1", rows.get(3)[7]);
  }

  @Test
  void profileOfAnAbundanceComponentEqualsTheInMemoryProfile() throws Exception {
    SparkSession spark = TestSpark.session();
    int h = 7;
    int w = 9;
    double[] v = new double[h * w * 2];
    double[] second = new double[h * w];
    for (int p = 0; p < h * w; p++) {
      v[2 * p + 1] = (p % w) / (w - 1.0); // a linear ramp across x: an interface smeared over the map
      v[2 * p] = 1 - v[2 * p + 1];
      second[p] = v[2 * p + 1];
    }
    List<Row> rows = new ArrayList<>();
    ImageRows.abundances("0042", new Abundances(h, w, 2, v)).forEachRemaining(rows::add);
    String table = dir.resolve("unmixed/abundances").toString();
    SeriesStore.writePartitioned(spark.createDataFrame(rows, PixelSchema.ABUNDANCES).repartition(3), table, spark);
    String out = dir.resolve("profile-abundances").toString();
    CliTestSupport.Run run = CliTestSupport.run("profile", "--table", table, "--component", "1", "--width", "3",
        "--out", out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("abundances[1] of 0042"), run.out());
    List<LineProfile.Line> expected = LineProfile.of(second, w, h, LineProfile.Axis.X, LineProfile.Region.whole(w,
        h), 3);
    List<String[]> csv = csv(out);
    assertEquals(expected.size() + 1, csv.size());
    for (LineProfile.Line l : expected) {
      String[] r = csv.get(l.index() + 1);
      assertEquals(l.sum(), Double.parseDouble(r[4]), 1e-12);
      // Closed form: columns 3k..3k+2 of the ramp x/8, 7 rows each.
      assertEquals((3 * l.index() + 1) / 8.0, Double.parseDouble(r[5]), 1e-12);
    }

    assertRefused(CliTestSupport.run("profile", "--table", table, "--out", out + "-2"), "--component");
    assertRefused(CliTestSupport.run("profile", "--table", table, "--component", "2", "--out", out + "-2"),
        "--component", "2 values");
    assertRefused(CliTestSupport.run("profile", "--table", table, "--component", "0", "--region", "0:10,0:7",
        "--out", out + "-2"), "--region", "9 × 7");
    assertRefused(CliTestSupport.run("profile", "--table", table, "--component", "0", "--along", "y", "--width",
        "8", "--out", out + "-2"), "--width", "7 rows");
    assertFalse(Files.exists(Path.of(out + "-2")));
  }

  @Test
  void badOptionsAreRefusedWithOneLine() {
    String out = dir.resolve("refused").toString();
    assertRefused(CliTestSupport.run("bs", "--store", store, "--pre-edge", "150:290", "--signal", "300:350",
        "--out", out), "--pre-edge", "outside", "200–499 eV");
    assertRefused(CliTestSupport.run("bs", "--store", store, "--pre-edge", "250:290", "--signal", "280:350",
        "--out", out), "--signal", "overlaps");
    assertRefused(CliTestSupport.run("bs", "--store", store, "--pre-edge", "250", "--signal", "300:350",
        "--out", out), "--pre-edge", "E1:E2");
    assertRefused(CliTestSupport.run("profile", "--table", bsOut + "/maps", "--out", out), "--acquisition",
        "several");
    assertRefused(CliTestSupport.run("profile", "--table", bsOut + "/maps", "--acquisition", "a", "--region",
        "3:1,0:2", "--out", out), "--region", "inverted");
    assertRefused(CliTestSupport.run("profile", "--table", bsOut + "/maps", "--acquisition", "a", "--column",
        "nope", "--out", out), "--column", "nope");
    assertRefused(CliTestSupport.run("profile", "--table", dir.resolve("missing").toString(), "--out", out),
        "missing", "no such table");
    assertFalse(Files.exists(Path.of(out)));
  }
}
