package org.eelsunmix.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NMF fit with reliable checkpoints ({@code spark.checkpoint.dir}, {@link FitCheckpoints}): the same bits as with
 * the default local checkpoints, the state really written every few iterations, and no checkpoint file left after
 * the fit. (That a lost executor is then survived is shown on a real cluster, {@code WorkerLossIT}.)
 */
class NmfCheckpointTest {
  @TempDir
  Path dir;

  @Test
  void reliableCheckpointsGiveTheSameFitAndCleanUp() throws Exception {
    SparkContext sc = TestSpark.session().sparkContext();
    SpectrumImage cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(2).withFilter(3), 0).image();
    // Three Parquet files, read back: three partitions.
    List<Row> rows = new ArrayList<>();
    ImageRows.pixels(cube).forEachRemaining(rows::add);
    Dataset<Row> df = TestSpark.session().createDataFrame(rows, PixelSchema.PIXELS);
    String table = dir.resolve("pixels").toString();
    df.select(df.col(PixelSchema.ACQUISITION_ID), df.col(PixelSchema.X), df.col(PixelSchema.Y),
        SpectrumColumn.withAxis(df, PixelSchema.SPECTRUM, cube.axis())).repartition(3).write().parquet(table);
    Dataset<Row> pixels = TestSpark.session().read().parquet(table);
    Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
    NmfEstimator nmf = new NmfEstimator().setNumEndmembers(3).setSeed(2).setTol(0).setMaxIter(25);
    AtomicInteger jobs = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        jobs.incrementAndGet();
      }
    };
    sc.addSparkListener(listener);
    NmfModel local;
    NmfModel reliable;
    int localJobs;
    try {
      local = nmf.fit(pixels);
      sc.listenerBus().waitUntilEmpty();
      localJobs = jobs.getAndSet(0);
      sc.conf().set(FitCheckpoints.INTERVAL, "4");
      sc.setCheckpointDir(checkpoints.toString());
      reliable = nmf.fit(pixels);
      sc.listenerBus().waitUntilEmpty();
    } finally {
      sc.removeSparkListener(listener);
      sc.setCheckpointDir(null); // back to local checkpoints for the other tests in this JVM
      sc.conf().remove(FitCheckpoints.INTERVAL);
    }
    assertEquals(local.summary().iterations(), reliable.summary().iterations());
    assertArrayEquals(local.summary().objectiveHistory(), reliable.summary().objectiveHistory());
    double[][] a = local.endmembers().matrix();
    double[][] b = reliable.endmembers().matrix();
    for (int t = 0; t < a.length; t++) {
      assertArrayEquals(a[t], b[t], "endmember " + t + " bit for bit");
    }
    // The checkpoint folder (one random sub-folder per setCheckpointDir) was written to and is empty again.
    try (Stream<Path> all = Files.walk(checkpoints)) {
      List<Path> left = all.filter(Files::isRegularFile).toList();
      assertTrue(left.isEmpty(), "checkpoint files left behind: " + left);
    }
    try (Stream<Path> top = Files.list(checkpoints)) {
      assertEquals(1, top.count(), "one checkpoint folder made");
    }
    // Spark writes each checkpointed RDD with one job of its own: the spectra once, then W at every 4th of its 26
    // states (the start and 25 iterations).
    assertEquals(localJobs + 1 + 26 / 4, jobs.get(), "jobs with and without reliable checkpoints");
  }
}
