package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.eelsunmix.eval.MetricRecord;
import org.eelsunmix.eval.ReplicateRun;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.spark.ml.UnmixingMethods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replicate study as Spark tasks: long-form rows, the summary, and agreement with the in-memory run. */
class EvaluateCommandTest {

  @Test
  void studyWritesLongRowsAndSummary(@TempDir Path dir) throws Exception {
    String out = dir.resolve("eval").toString();
    CliTestSupport.Run run = CliTestSupport.run("evaluate", "--set", "co-ru-pt,k-edges", "--replicates", "3",
        "--size", "16", "--block", "4", "--filter", "3", "--seed", "2", "--out", out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("mean SAD (rad)"), run.out());
    assertTrue(run.out().contains("co-ru-pt") && run.out().contains("k-edges"), run.out());

    Dataset<Row> metrics = TestSpark.session().read().parquet(out + "/metrics");
    // Per replicate: SAD and NMSE per endmember, plus mean_sad, mean_nmse and rmse.
    assertEquals(3 * (2 * 3 + 3) + 3 * (2 * 4 + 3), metrics.count());
    assertEquals(0, metrics.where("error is not null").count());

    // Replicate 1 of k-edges equals the in-memory kernel run on its own.
    SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin("k-edges").withFilter(3).withBlock(4)
        .withSize(16).withSeed(2);
    List<MetricRecord> expected = ReplicateRun.run("synthetic", o, 1, UnmixingMethods.byName("vca-fcls"));
    for (MetricRecord m : expected) {
      String where = "endmember_set = 'k-edges' and replicate = 1 and metric = '" + m.metric() + "' and "
          + (m.endmember() == null ? "endmember is null" : "endmember = '" + m.endmember() + "'");
      List<Row> rows = metrics.where(where).collectAsList();
      assertEquals(1, rows.size(), where);
      assertEquals(m.value(), rows.get(0).getDouble(rows.get(0).fieldIndex("value")), 0.0, where);
      assertEquals(m.seed(), rows.get(0).getLong(rows.get(0).fieldIndex("seed")));
    }

    List<String> csv = Files.readAllLines(Path.of(out, "metrics.csv"));
    assertEquals(metrics.count() + 1, csv.size());
    assertTrue(csv.get(0).startsWith("study,endmember_set,dose,replicate,seed,method,endmember,metric,value"));

    // Summary: the mean over replicates of mean_sad equals the mean of the long rows.
    Row s = TestSpark.session().read().parquet(out + "/summary")
        .where("endmember_set = 'co-ru-pt' and metric = 'mean_sad' and endmember is null").first();
    double mean = metrics.where("endmember_set = 'co-ru-pt' and metric = 'mean_sad'").agg(
        org.apache.spark.sql.functions.avg("value"), org.apache.spark.sql.functions.stddev_samp("value")).first()
        .getDouble(0);
    assertEquals(3L, s.getLong(s.fieldIndex("count")));
    assertEquals(mean, s.getDouble(s.fieldIndex("mean")), 1e-12);
    assertTrue(Files.readString(Path.of(out, "summary.csv")).contains("mean_nmse"));
  }

  @Test
  void optionsComeFromAConfigFileAndTheCommandLineWins(@TempDir Path dir) throws Exception {
    String out = dir.resolve("eval").toString();
    Path config = dir.resolve("study.properties");
    Files.writeString(config, String.join("\n", "evaluate.set=co-ru-pt", "evaluate.replicates=5",
        "evaluate.out=" + out, "size=16", "block=4", "filter=3", "generate.size=99"));
    CliTestSupport.Run run = CliTestSupport.run("evaluate", "--config", config.toString(), "--replicates", "1");
    assertEquals(0, run.code(), run.err());
    // One replicate (command line) of co-ru-pt (file), on 16 x 16 maps (plain keys), written where the file says.
    assertEquals(2 * 3 + 3, TestSpark.session().read().parquet(out + "/metrics").count());
    String resolved = Files.readString(Path.of(out, "_config.properties"));
    assertTrue(resolved.contains("replicates=1") && resolved.contains("size=16"), resolved);

    CliTestSupport.Run missing = CliTestSupport.run("evaluate", "--config", dir.resolve("nope").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("--config") && missing.err().contains("nope"), missing.err());
  }
}
