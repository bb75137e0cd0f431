package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --per-acquisition} of a DAEU model: the network is broadcast once for the whole series (not once per
 * acquisition), and every acquisition's maps equal those of applying the model to that acquisition alone (a job of
 * its own, outside any series), row for row and bit for bit.
 */
class ApplyPerAcquisitionDaeuTest {
  @TempDir
  Path dir;

  @Test
  void aSeriesShipsTheNetworkOnceAndGivesTheMapsOfEachAlone() {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--replicates", "4", "--size", "8", "--block", "4", "--filter",
        "3", "--seed", "9", "--out", store).code());
    String model = dir.resolve("daeu").toString();
    CliTestSupport.Run train = CliTestSupport.run("train", "--store", store, "--acquisition", "co-ru-pt-r0000",
        "--method", "daeu", "-R", "3", "--seed", "0", "--restarts", "1", "--epochs", "2", "--out", model);
    assertEquals(0, train.code(), train.err());
    String each = dir.resolve("each").toString();
    CliTestSupport.Run run = CliTestSupport.run("apply", "--model", model, "--store", store, "--out", each,
        "--per-acquisition", "--concurrent-jobs", "2");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("4/4 acquisitions applied"), run.out());
    // The schema probe and four jobs share one broadcast: the network's bytes (the kernel rides in the closure).
    assertTrue(run.out().contains("model shipped in 1 broadcast(s) for 5 transforms"), run.out());

    SparkSession spark = TestSpark.session();
    Dataset<Row> series = spark.read().parquet(each + "/abundances");
    assertEquals(4 * 64, series.count());
    for (int r = 0; r < 4; r++) {
      String id = "co-ru-pt-r000" + r;
      String alone = dir.resolve("alone-" + r).toString();
      CliTestSupport.Run one = CliTestSupport.run("apply", "--model", model, "--store", store, "--acquisition", id,
          "--out", alone);
      assertEquals(0, one.code(), one.err());
      Dataset<Row> a = spark.read().parquet(alone + "/abundances").drop("acquisition_id");
      Dataset<Row> b = series.where(functions.col("acquisition_id").equalTo(id)).drop("acquisition_id")
          .select(a.columns()[0], java.util.Arrays.copyOfRange(a.columns(), 1, a.columns().length));
      assertEquals(64, a.count(), id);
      assertEquals(64, b.count(), id);
      assertEquals(0, a.exceptAll(b).count(), id);
      assertEquals(0, b.exceptAll(a).count(), id);
    }
  }
}
