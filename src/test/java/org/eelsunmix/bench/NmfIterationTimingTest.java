package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;

/** The cube the NMF benchmark times, and a smoke run: the figure depends on the machine and is never asserted. */
class NmfIterationTimingTest {

  @Test
  void cachedCubeHoldsEveryPixelWithItsAxis() {
    SparkSession spark = TestSpark.session();
    Dataset<Row> df = SyntheticTable.cached(spark, SyntheticTable.coRuPt(12), 3);
    assertEquals(144, df.count());
    assertEquals(3, df.rdd().getNumPartitions());
    assertEquals(200, SpectrumColumn.axisOf(df.schema(), PixelSchema.SPECTRUM).channels());
    assertEquals(144, df.select("x", "y").distinct().count());
    df.unpersist();
  }

  @Test
  void measuresSomething() {
    NmfIterationTiming.Figure f = NmfIterationTiming.measure(TestSpark.session(), 8, 2, 1);
    assertEquals(64, f.pixels());
    assertEquals(2, f.partitions());
    assertTrue(f.secondsPerIteration() >= 0 && Double.isFinite(f.secondsPerIteration()), f.toString());
    assertThrows(IllegalArgumentException.class, () -> NmfIterationTiming.measure(TestSpark.session(), 8, 2, 0));
  }
}
