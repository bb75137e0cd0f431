package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.spark.ml.NmfEstimator;
import org.eelsunmix.spark.ml.NmfModel;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The job counter of {@code --timings} against jobs whose shape is known by construction (a one-stage count, a
 * two-stage shuffle), and the NMF fit's job plan: one Spark job per pass, each labelled with its pass under the
 * caller's description, which is restored afterwards.
 */
class JobTimingsTest {
  private static List<JobTimings.Job> run(SparkContext sc, Runnable work) {
    JobTimings timings = new JobTimings();
    sc.addSparkListener(timings);
    try {
      work.run();
      sc.listenerBus().waitUntilEmpty(60_000);
      return timings.jobs();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the listener bus did not drain", e);
    } finally {
      sc.removeSparkListener(timings);
    }
  }

  @Test
  void countsJobsStagesAndTasksOfKnownShapes() {
    SparkContext sc = TestSpark.session().sparkContext();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
    List<JobTimings.Job> jobs = run(sc, () -> {
      sc.setJobDescription("count");
      assertEquals(30, jsc.parallelize(Arrays.asList(new Integer[30]), 3).count());
      sc.setJobDescription("shuffle");
      List<Tuple2<Integer, Integer>> sums = jsc.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6), 3)
          .mapToPair(v -> new Tuple2<>(v % 2, v)).reduceByKey(Integer::sum, 2).collect();
      assertEquals(2, sums.size());
      sc.setJobDescription(null);
    });
    assertEquals(2, jobs.size());
    JobTimings.Job count = jobs.get(0);
    assertEquals("count", count.description());
    assertEquals(1, count.stages());
    assertEquals(3, count.tasks());
    JobTimings.Job shuffle = jobs.get(1);
    assertEquals("shuffle", shuffle.description());
    assertEquals(2, shuffle.stages()); // the map side and the reduce side
    assertEquals(3 + 2, shuffle.tasks());
    assertTrue(count.wallSeconds() > 0 && shuffle.wallSeconds() > 0);
    assertTrue(count.taskSeconds() >= 0);
  }

  @Test
  void nmfFitRunsOneJobPerPassLabelledByPass() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(16)
        .withBlock(2).withFilter(3), 0).image();
    SparkContext sc = TestSpark.session().sparkContext();
    NmfModel[] model = new NmfModel[1];
    List<JobTimings.Job> jobs = run(sc, () -> {
      sc.setJobDescription("outer");
      model[0] = new NmfEstimator().setNumEndmembers(3).setSeed(0).setTol(0).setMaxIter(5)
          .fit(VcaFclsSparkTest.pixels(image, 3));
      assertEquals("outer", sc.getLocalProperty("spark.job.description"), "the caller's description is restored");
      sc.setJobDescription(null);
    });
    assertEquals(5, model[0].summary().iterations());
    // one job per pass: reading with the moments, part norms, start, 5 iterations, final residual (the test table's
    // repartition adds AQE's shuffle job before them, under the caller's own description)
    List<JobTimings.Job> passJobs = jobs.stream().filter(j -> j.description().startsWith("outer: ")).toList();
    assertTrue(jobs.size() - passJobs.size() <= 1, jobs.toString());
    List<String> passes = passJobs.stream().map(JobTimings.Job::description).collect(Collectors.toList());
    assertEquals(List.of("outer: reading the pixels into blocks and their B x B moments", "outer: start part norms",
        "outer: start", "outer: iteration", "outer: iteration", "outer: iteration", "outer: iteration",
        "outer: iteration", "outer: final residual"), passes);
    for (JobTimings.Job j : passJobs) {
      assertEquals(3, j.tasks(), j.description() + ": one task per partition, no shuffle");
    }
    String table = new JobTimings().table();
    assertTrue(table.contains("all Spark jobs"));
  }
}
