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

  @Test
  void refusesImpossibleSettings() {
    assertThrows(IllegalArgumentException.class, () -> FclsThroughput.pixelsPerSecond(3, 4, 10, 1L, 0.01));
  }
}
