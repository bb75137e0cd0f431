package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --per-acquisition}: one job and one commit per acquisition gives the same abundance table as the
 * single-job {@code apply}, laid out the same way (one {@code acquisition_id=} folder each, nothing else left), with
 * progress counted in acquisitions.
 */
class ApplyPerAcquisitionTest {
  @TempDir
  Path dir;

  @Test
  void perAcquisitionCommitsEqualTheSingleJob() throws Exception {
    String store = dir.resolve("series").toString();
    assertEquals(0, CliTestSupport.run("generate", "--replicates", "5", "--size", "8", "--block", "4", "--filter",
        "3", "--seed", "9", "--out", store).code());
    String model = dir.resolve("model").toString();
    assertEquals(0, CliTestSupport.run("unmix", "--store", store, "--acquisition", "co-ru-pt-r0000", "--out", model)
        .code());
    String one = dir.resolve("one-job").toString();
    assertEquals(0, CliTestSupport.run("apply", "--model", model, "--store", store, "--out", one).code());
    String each = dir.resolve("each").toString();
    CliTestSupport.Run run = CliTestSupport.run("apply", "--model", model, "--store", store, "--out", each,
        "--per-acquisition", "--concurrent-jobs", "3");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("5/5 acquisitions applied"), run.out());
    assertTrue(run.out().contains("to 5 acquisitions in"), run.out());
    // One broadcast of the FCLS kernel for the schema probe and the five jobs.
    assertTrue(run.out().contains("model shipped in 1 broadcast(s) for 6 transforms"), run.out());

    SparkSession spark = TestSpark.session();
    Dataset<Row> a = spark.read().parquet(one + "/abundances");
    Dataset<Row> b = spark.read().parquet(each + "/abundances").select(a.columns()[0],
        java.util.Arrays.copyOfRange(a.columns(), 1, a.columns().length));
    assertEquals(5 * 64, a.count());
    assertEquals(a.count(), b.count());
    assertEquals(0, a.exceptAll(b).count());
    assertEquals(0, b.exceptAll(a).count());
    try (Stream<Path> s = Files.list(Path.of(each, "abundances"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("acquisition_id=co-ru-pt-r0000", "acquisition_id=co-ru-pt-r0001",
          "acquisition_id=co-ru-pt-r0002", "acquisition_id=co-ru-pt-r0003", "acquisition_id=co-ru-pt-r0004"), names);
    }
    assertTrue(Files.isDirectory(Path.of(each, "model")) && Files.isDirectory(Path.of(each, "endmembers")));
    assertEquals(1, CliTestSupport.run("apply", "--model", model, "--store", store, "--out", dir.resolve("x")
        .toString(), "--per-acquisition", "--concurrent-jobs", "0").code() > 0 ? 1 : 0);
  }
}
