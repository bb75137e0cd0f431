package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Smoke test only: the figure itself depends on the machine and is reported, never asserted. */
class FclsThroughputTest {

  @Test
  void measuresSomething() {
    double rate = FclsThroughput.pixelsPerSecond(40, 3, 500, 1L, 0.05);
    assertTrue(rate > 0 && Double.isFinite(rate), "pixels/s " + rate);
    for (FclsThroughput.Mode mode : FclsThroughput.Mode.values()) {
      double r = FclsThroughput.pixelsPerSecond(40, 3, 500, 1L, 0.05, mode);
      assertTrue(r > 0 && Double.isFinite(r), mode + " pixels/s " + r);
    }
  }

  @Test
  void timesASparkTransformOfEveryPixel() {
    org.apache.spark.sql.SparkSession spark = org.eelsunmix.spark.TestSpark.session();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = SyntheticTable.cached(spark, SyntheticTable.coRuPt(16),
        2);
    org.eelsunmix.spark.ml.VcaFclsModel model = new org.eelsunmix.spark.ml.VcaFcls().setNumEndmembers(3)
        .setRestarts(1).fit(df);
    FclsThroughput.SparkFigure f = FclsThroughput.sparkTransform(df, model, df.count(), 2);
    df.unpersist();
    assertTrue(f.pixels() == 256 && f.wallSeconds() > 0 && f.cpuSeconds() > 0 && f.cores() == 2, f.toString());
    assertTrue(Double.isFinite(f.perCore()) && Double.isFinite(f.perCpuSecond()), f.toString());
  }

  /** The read bench takes every spectrum of a real store through the transform's checks: a negative one is named. */
  @Test
  void timesTheSpectraReadOfAStoreAndChecksEverySpectrum(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    org.apache.spark.sql.SparkSession spark = org.eelsunmix.spark.TestSpark.session();
    org.eelsunmix.core.SpectrumImage image = org.eelsunmix.synth.SyntheticGenerator.generate(
        org.eelsunmix.synth.SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16).withBlock(8), 5).image();
    java.util.List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    org.eelsunmix.spark.ImageRows.pixels(image).forEachRemaining(rows::add);
    String good = dir.resolve("good").toString();
    org.eelsunmix.spark.SeriesStore.writePartitioned(spark.createDataFrame(rows,
        org.eelsunmix.spark.PixelSchema.PIXELS).repartition(2), good + "/pixels", spark);
    double[] seconds = FclsThroughput.spectraRead(spark, good, 2);
    assertTrue(seconds.length == 2 && seconds[0] > 0 && seconds[1] > 0, java.util.Arrays.toString(seconds));

    float[] bad = image.data().clone();
    int last = image.pixels() - 1; // y = 15, x = 15
    bad[last * image.channels() + 7] = -3f;
    java.util.List<org.apache.spark.sql.Row> badRows = new java.util.ArrayList<>();
    org.eelsunmix.spark.ImageRows.pixels(new org.eelsunmix.core.SpectrumImage(image.id(), image.height(),
        image.width(), image.axis(), bad)).forEachRemaining(badRows::add);
    String broken = dir.resolve("bad").toString();
    org.eelsunmix.spark.SeriesStore.writePartitioned(spark.createDataFrame(badRows,
        org.eelsunmix.spark.PixelSchema.PIXELS).repartition(2), broken + "/pixels", spark);
    Exception x = assertThrows(Exception.class, () -> FclsThroughput.spectraRead(spark, broken, 1));
    assertTrue(x.getMessage().contains("negative count -3.0 at channel 7"), x.getMessage());
  }

  @Test
  void refusesImpossibleSettings() {
    assertThrows(IllegalArgumentException.class, () -> FclsThroughput.pixelsPerSecond(3, 4, 10, 1L, 0.01));
  }
}
