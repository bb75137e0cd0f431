package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SessionDefaults}: what the user sets wins; the bounds act on a real session. */
class SessionDefaultsTest {

  @Test
  void theUsersSettingsWinAndTheRestAreAdded() {
    Properties file = new Properties();
    file.setProperty("spark.ui.retainedJobs", "5000");
    Map<String, String> extra = Map.of("spark.sql.hive.filesourcePartitionFileCacheSize", "1000000");
    Map<String, String> add = SessionDefaults.missingFrom(Map.of("spark.ui.retainedTasks", "7"), file, extra);
    assertEquals(List.of("spark.sql.sources.parallelPartitionDiscovery.parallelism", "spark.ui.retainedStages",
        "spark.sql.ui.retainedExecutions"), List.copyOf(add.keySet()));
    assertEquals("16", add.get("spark.sql.sources.parallelPartitionDiscovery.parallelism"));
    assertEquals(SessionDefaults.SETTINGS, SessionDefaults.missingFrom());
  }

  /**
   * A table of 40 partition folders is listed by a Spark job (more than Spark's threshold of 32 folders): with
   * Spark's default that job has one task per folder; here at most 16.
   */
  @Test
  void aTableOfManyFoldersIsListedInAtMostSixteenTasks(@TempDir Path dir) throws Exception {
    SparkSession spark = TestSpark.session();
    String table = dir.resolve("t").toString();
    spark.range(0, 400).withColumn("part", functions.col("id").mod(40)).write().partitionBy("part").parquet(table);
    JobTimings timings = new JobTimings();
    spark.sparkContext().addSparkListener(timings);
    try {
      assertEquals(400, spark.read().parquet(table).count());
      waitFor(() -> timings.jobs().stream().anyMatch(j -> j.description().startsWith("Listing leaf files")));
    } finally {
      spark.sparkContext().removeSparkListener(timings);
    }
    JobTimings.Job listing = timings.jobs().stream().filter(j -> j.description().startsWith("Listing leaf files"))
        .findFirst().orElseThrow();
    // Spark's own description, cut at its HTML line break for the progress line and --timings.
    assertEquals("Listing leaf files and directories for 40 paths", listing.description());
    assertTrue(listing.tasks() >= 1 && listing.tasks() <= 16, listing.tasks() + " tasks listed 40 folders");
  }

  /** The status store forgets jobs beyond 100 (Spark keeps 1 000), so a long session's driver does not grow. */
  @Test
  void theStatusStoreKeepsAtMostAHundredJobs() throws Exception {
    SparkSession spark = TestSpark.session();
    org.apache.spark.api.java.JavaSparkContext jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(
        spark.sparkContext());
    for (int i = 0; i < 130; i++) {
      jsc.parallelize(List.of(1, 2), 1).count(); // an RDD job: no SQL planning
    }
    waitFor(() -> spark.sparkContext().statusTracker().getJobIdsForGroup(null).length <= 100);
    int kept = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    assertTrue(kept <= 100 && kept >= 50, kept + " jobs kept");
  }

  /** Waits up to 20 s for the listener bus to deliver what {@code done} looks for. */
  private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + 20_000_000_000L;
    while (!done.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }
}
