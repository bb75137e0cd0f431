package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CNNAEU's abundances on Spark (pixel rows assembled into tiles with a halo) against the in-memory maps of each
 * acquisition, over a Parquet series store holding two acquisitions of different sizes.
 */
class CnnaeuTilesSparkTest {
  private static final int R = 3;
  @TempDir
  static Path dir;
  static SpectrumImage a;
  static SpectrumImage b;
  static SeriesStore store;
  static MultiLayerNetwork net;
  static Broadcast<byte[]> network;
  static double[][] endmembers;

  /** The top-left {@code width}×{@code height} pixels of an image, under another id. */
  static SpectrumImage crop(SpectrumImage image, String id, int width, int height) {
    int ch = image.channels();
    float[] data = new float[width * height * ch];
    for (int y = 0; y < height; y++) {
      System.arraycopy(image.data(), y * image.width() * ch, data, y * width * ch, width * ch);
    }
    return new SpectrumImage(id, height, width, image.axis(), data);
  }

  @BeforeAll
  static void setUp() {
    SyntheticCube large = SyntheticGenerator.generate(
        SyntheticGenerator.Options.builtin("co-ru-pt").withSize(72).withBlock(8), 1);
    SyntheticCube small = SyntheticGenerator.generate(
        SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16).withBlock(8), 2);
    // Sides that are not multiples of a tile: a crosses the 64-pixel tile edges both ways.
    a = crop(large.image(), "a", 70, 67);
    b = crop(small.image(), "b", 13, 9);
    SparkSession spark = TestSpark.session();
    List<Row> pixels = new ArrayList<>();
    List<Row> acquisitions = new ArrayList<>();
    float max = 0;
    for (SpectrumImage image : List.of(a, b)) {
      ImageRows.pixels(image).forEachRemaining(pixels::add);
      acquisitions.add(new Acquisition(image.id(), null, null, image.width(), image.height(), image.axis(), null,
          "synthetic").toRow());
      for (float v : image.data()) {
        max = Math.max(max, v);
      }
    }
    store = new SeriesStore(spark, dir.resolve("store").toString());
    store.write(spark.createDataFrame(pixels, PixelSchema.PIXELS),
        spark.createDataFrame(acquisitions, PixelSchema.ACQUISITIONS), null, null);
    // Untrained (seeded, 8 filters, 3×3 decoder), first convolution divided by the counts' scale as training leaves
    // it: abundances well inside the simplex.
    net = Cnnaeu.network(a.channels(), new CnnaeuOptions(R, 4, 1, 2, 2, 2, 1e-3, 8, 3));
    net.getLayer(0).getParam(ConvolutionParamInitializer.WEIGHT_KEY).divi(max);
    network = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(AutoencoderTraining.toBytes(net));
    endmembers = large.truthEndmembers().matrix();
  }

  private static Dataset<Row> transform(Dataset<Row> pixels, int tile) {
    return CnnaeuTiles.transform(pixels, network, endmembers, tile, "spectrum", "abundances", "rmse", "test model");
  }

  @Test
  void tilesOnSparkEqualTheInMemoryMapsForAnyPartitioning() {
    Map<String, SpectrumImage> images = Map.of("a", a, "b", b);
    Map<String, Abundances> expected = Map.of("a", Cnnaeu.abundances(net, a), "b", Cnnaeu.abundances(net, b));
    Dataset<Row> stored = store.pixels(List.of());
    List<String> firstRun = null;
    for (int partitions : new int[] {1, 3}) {
      Dataset<Row> out = CnnaeuTiles.transform(stored.repartition(partitions), network, endmembers, "spectrum",
          "abundances", "rmse", "test model");
      assertEquals(List.of("acquisition_id", "x", "y", "spectrum", "abundances", "rmse"),
          List.of(out.schema().fieldNames()));
      List<Row> rows = out.collectAsList();
      assertEquals(a.pixels() + b.pixels(), rows.size());
      Set<String> seen = new HashSet<>();
      double worst = 0;
      for (Row row : rows) {
        String id = row.getString(0);
        int x = row.getInt(1);
        int y = row.getInt(2);
        assertTrue(seen.add(id + "/" + x + "/" + y), "pixel twice: " + id + " " + x + " " + y);
        SpectrumImage image = images.get(id);
        List<Float> spectrum = row.getList(3);
        double[] values = doubles(row.getList(4));
        // The spectrum comes back untouched.
        int ch = image.channels();
        for (int c = 0; c < ch; c++) {
          assertEquals(image.data()[(y * image.width() + x) * ch + c], spectrum.get(c));
        }
        for (int k = 0; k < R; k++) {
          worst = Math.max(worst, Math.abs(values[k] - expected.get(id).get(y, x, k)));
        }
        // RMSE of the linear mixture with the given endmembers, computed here from the row.
        double ss = 0;
        for (int c = 0; c < ch; c++) {
          double fit = 0;
          for (int k = 0; k < R; k++) {
            fit += values[k] * endmembers[k][c];
          }
          ss += (spectrum.get(c) - fit) * (spectrum.get(c) - fit);
        }
        assertEquals(Math.sqrt(ss / ch), row.getDouble(5), 1e-9 * Math.sqrt(ss / ch));
      }
      // Same kernel, same blocks as in memory: equal to float rounding at most.
      assertTrue(worst < 1e-6, partitions + " partitions: abundances differ by " + worst);
      List<String> sorted = rows.stream().sorted(java.util.Comparator.comparing((Row row) -> row.getString(0))
          .thenComparing(row -> row.getInt(2)).thenComparing(row -> row.getInt(1)))
          .map(row -> row.get(4) + " " + row.get(5)).toList();
      if (firstRun == null) {
        firstRun = sorted;
      } else {
        assertEquals(firstRun, sorted, "1 and " + partitions + " partitions");
      }
    }
  }

  @Test
  void smallTilesCrossManyEdgesAndGiveTheSameMaps() {
    // 16-pixel tiles: 5 × 5 tiles over a, the last column 6 pixels wide and the last row 3 pixels high.
    Abundances expected = Cnnaeu.abundances(net, a);
    List<Row> rows = transform(store.pixels(List.of("a")).repartition(3), 16).select("x", "y", "abundances")
        .collectAsList();
    assertEquals(a.pixels(), rows.size());
    double worst = 0;
    for (Row row : rows) {
      double[] values = doubles(row.getList(2));
      for (int k = 0; k < R; k++) {
        worst = Math.max(worst, Math.abs(values[k] - expected.get(row.getInt(1), row.getInt(0), k)));
      }
    }
    assertTrue(worst < 1e-5, "abundances differ by " + worst);
  }

  @Test
  void wrongChannelCountsAndDuplicatePixelsAreRefused() {
    SparkSession spark = TestSpark.session();
    // Spectra whose energy axis has another channel count: refused on the driver, naming the model.
    Dataset<Row> shortRaw = spark.createDataFrame(List.of(RowFactory.create("c", 0, 0, new float[100])),
        PixelSchema.PIXELS);
    Dataset<Row> shortAxis = shortRaw.select(shortRaw.col("acquisition_id"), shortRaw.col("x"), shortRaw.col("y"),
        SpectrumColumn.withAxis(shortRaw, "spectrum", EnergyAxis.ofEv(100, 1, 100)));
    BadInputException e = assertThrows(BadInputException.class, () -> transform(shortAxis, 8));
    assertTrue(e.getMessage().contains("input dataset") && e.getMessage().contains("100 channels")
        && e.getMessage().contains("test model"), e.getMessage());
    // Without an axis: the task refuses the pixel, naming the table and the pixel.
    Exception ex = assertThrows(Exception.class, () -> transform(shortRaw, 8).count());
    BadInputException bad = badInput(ex);
    assertNotNull(bad, String.valueOf(ex));
    assertTrue(bad.getMessage().contains("input dataset") && bad.getMessage().contains("(c, y=0, x=0)")
        && bad.getMessage().contains("100 channels, expected " + a.channels()), bad.getMessage());
    // One pixel of b twice.
    Dataset<Row> pixels = store.pixels(List.of("b"));
    Dataset<Row> twice = pixels.union(pixels.where("x = 12 and y = 4"));
    ex = assertThrows(Exception.class, () -> transform(twice, 8).count());
    bad = badInput(ex);
    assertNotNull(bad, String.valueOf(ex));
    assertTrue(bad.getMessage().contains("input dataset") && bad.getMessage().contains("(b, y=4, x=12)")
        && bad.getMessage().contains("more than once"), bad.getMessage());
  }

  private static double[] doubles(List<Double> list) {
    double[] v = new double[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }

  private static BadInputException badInput(Throwable t) {
    for (; t != null; t = t.getCause()) {
      if (t instanceof BadInputException bad) {
        return bad;
      }
    }
    return null;
  }
}
