package org.eelsunmix.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Counts a session's Spark jobs, stages and tasks and the wall time of each job, grouped by the job description a
 * command sets ({@code setJobDescription}; "(none)" otherwise), so that a command's seconds can be split between
 * the jobs and the driver's own work (the start-up breakdown of {@code --timings}). Task time is the executors'
 * summed run time ({@code executorRunTime}) and deserialisation time: with {@code local[2]} a job whose wall time
 * is far above half its task time is dominated by scheduling, not by the kernels.
 *
 * <p>Thread-safe: the listener bus calls it on its own thread while the driver reads {@link #jobs}.
 */
public final class JobTimings extends SparkListener {
  /** One finished job. */
  public record Job(int id, String description, int stages, int tasks, double wallSeconds, double taskSeconds) {}

  private final Map<Integer, long[]> started = new ConcurrentHashMap<>(); // id → {start nanos, stages}
  private final Map<Integer, String> descriptions = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
  private final Map<Integer, long[]> taskTimes = new ConcurrentHashMap<>(); // job → {tasks, run+deserialise ms}
  private final List<Job> finished = new ArrayList<>();

  /**
   * The job's description as a person reads it, or null: the one the command set, or Spark's own for its listing
   * jobs cut at its first HTML line break ("Listing leaf files and directories for 2048 paths:&lt;br/&gt;file:...",
   * written for the web UI).
   */
  static String description(SparkListenerJobStart start) {
    String d = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
    if (d == null) {
      return null;
    }
    int br = d.indexOf("<br/>");
    return br < 0 ? d : d.substring(0, br).replaceAll(":$", "");
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String d = description(start);
    descriptions.put(start.jobId(), d == null ? "(none)" : d);
    started.put(start.jobId(), new long[] {System.nanoTime(), start.stageIds().size()});
    taskTimes.put(start.jobId(), new long[2]);
    scala.collection.Iterator<Object> it = start.stageIds().iterator();
    while (it.hasNext()) {
      stageToJob.put((Integer) it.next(), start.jobId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd t) {
    Integer job = stageToJob.get(t.stageId());
    long[] times = job == null ? null : taskTimes.get(job);
    if (times != null && t.taskMetrics() != null) {
      synchronized (times) {
        times[0]++;
        times[1] += t.taskMetrics().executorRunTime() + t.taskMetrics().executorDeserializeTime();
      }
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    long[] s = started.remove(end.jobId());
    long[] times = taskTimes.remove(end.jobId());
    if (s == null) {
      return;
    }
    Job job = new Job(end.jobId(), descriptions.remove(end.jobId()), (int) s[1], times == null ? 0 : (int) times[0],
        (System.nanoTime() - s[0]) / 1e9, times == null ? 0 : times[1] / 1e3);
    synchronized (finished) {
      finished.add(job);
    }
  }

  /** The jobs finished so far, in the order they ended. */
  public List<Job> jobs() {
    synchronized (finished) {
      return List.copyOf(finished);
    }
  }

  /**
   * The table printed by {@code --timings}: one line per job description (jobs, stages, tasks, wall seconds, task
   * seconds) and a total line.
   */
  public String table() {
    Map<String, double[]> byDescription = new LinkedHashMap<>();
    double[] total = new double[5];
    for (Job j : jobs()) {
      double[] row = byDescription.computeIfAbsent(j.description(), k -> new double[5]);
      for (double[] r : new double[][] {row, total}) {
        r[0]++;
        r[1] += j.stages();
        r[2] += j.tasks();
        r[3] += j.wallSeconds();
        r[4] += j.taskSeconds();
      }
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %5s %6s %6s %8s %8s  %s%n", "jobs", "stages",
        "tasks", "wall s", "task s", "job description"));
    byDescription.forEach((d, r) -> sb.append(line(r, d)));
    sb.append(line(total, "all Spark jobs"));
    return sb.toString();
  }

  private static String line(double[] r, String what) {
    return String.format(Locale.ROOT, "  %5d %6d %6d %8.3f %8.3f  %s%n", (long) r[0], (long) r[1], (long) r[2], r[3],
        r[4], what);
  }
}
