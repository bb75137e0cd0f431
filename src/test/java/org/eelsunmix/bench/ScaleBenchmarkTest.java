package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One small size of the scale benchmark end to end: every phase writes its whole output; figures are reported. */
class ScaleBenchmarkTest {

  @Test
  void aSmallSizeWritesEveryOutputAndReportsItsHeap(@TempDir java.nio.file.Path dir) {
    SparkSession spark = TestSpark.session();
    ScaleBenchmark.Figures f = ScaleBenchmark.run(spark, 2 * 64 * 64, 1, ScaleBenchmark.trainDaeu(spark),
        dir.toUri().toString());
    assertEquals(8192, f.pixels());
    for (String out : new String[] {"store", "vca-fcls", "nmf", "daeu"}) {
      assertEquals(8192, spark.read().parquet(dir.resolve(out).toString()).count(), out);
    }
    assertTrue(f.generateSeconds() > 0 && f.vcaFclsSeconds() > 0 && f.nmfSeconds() > 0 && f.daeuApplySeconds() > 0,
        f.toString());
    assertTrue(f.driverKeptWithTablesBytes() > 0 && f.driverRetainedHeapBytes() > 0
        && f.driverLiveHeapBytes() >= f.driverOwnHeapBytes(), f.toString());
  }
}
