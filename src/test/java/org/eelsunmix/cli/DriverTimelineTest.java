package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;

/**
 * {@code --timings}' driver timeline accounts for a command's phases: the time inside jobs is the union of the job
 * intervals (checked against hand-made intervals), and on a real session each phase's wall time splits into jobs
 * plus driver time, the phases add up to the span they cover, and a deliberate pause between two jobs shows as the
 * gap named by the jobs around it.
 */
class DriverTimelineTest {
  @Test
  void timeInJobsIsTheUnionOfTheirIntervals() {
    List<DriverTimeline.Span> jobs = List.of(new DriverTimeline.Span("a", 10, 20),
        new DriverTimeline.Span("b", 15, 30), new DriverTimeline.Span("c", 40, 50),
        new DriverTimeline.Span("d", 42, 45));
    assertEquals(30, DriverTimeline.inJobs(jobs, 0, 100)); // [10,30) and [40,50)
    assertEquals(16, DriverTimeline.inJobs(jobs, 17, 43)); // [17,30) and [40,43)
    assertEquals(0, DriverTimeline.inJobs(jobs, 30, 40));
  }

  @Test
  void phasesAddUpAndAPauseShowsAsTheGapBetweenItsJobs() throws Exception {
    SparkSession spark = TestSpark.session();
    SparkContext sc = spark.sparkContext();
    DriverTimeline timeline = new DriverTimeline();
    sc.addSparkListener(timeline);
    try {
      long start = System.currentTimeMillis();
      timeline.phase("first");
      sc.setJobDescription("job one");
      spark.range(100).count();
      Thread.sleep(300); // the driver's own work between two jobs
      timeline.phase("second");
      sc.setJobDescription("job two");
      spark.range(100).count();
      long end = System.currentTimeMillis();
      while (timeline.spans().stream().noneMatch(s -> s.description().equals("job two"))) {
        Thread.sleep(10); // the listener bus delivers the job end a little later
      }
      String report = timeline.report(end);
      double[] first = row(report, "first");
      double[] second = row(report, "second");
      assertEquals(end - start, (first[0] + second[0]) * 1e3, 5, report);
      for (double[] r : new double[][] {first, second}) {
        assertEquals(r[0], r[1] + r[2], 0.0015, report);
      }
      assertTrue(first[2] >= 0.3, "the pause is driver time of the first phase\n" + report);
      double gap = report.lines().filter(l -> l.endsWith("job one → job two"))
          .mapToDouble(l -> Double.parseDouble(l.strip().split("\\s+")[0])).findFirst()
          .orElseThrow(() -> new AssertionError(report));
      assertTrue(gap >= 0.3 && gap <= first[2] + second[2] + 0.001, report);
    } finally {
      sc.removeSparkListener(timeline);
      sc.setJobDescription(null);
    }
  }

  private static double[] row(String report, String phase) {
    String line = report.lines().filter(l -> l.endsWith("  " + phase)).findFirst()
        .orElseThrow(() -> new AssertionError("no phase " + phase + " in\n" + report));
    String[] f = line.strip().split("\\s+");
    return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
  }
}
