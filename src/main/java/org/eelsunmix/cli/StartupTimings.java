package org.eelsunmix.cli;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.JobTimings;

/**
 * Where a command's seconds go, printed on standard error by {@code --timings} (or {@code -Deelsunmix.timings=true}):
 * the JVM's start up to {@code main} (from the runtime's start time), the command line and option checks up to the
 * session, building the SparkSession, the first Hadoop file system call, the command's own work split into its
 * Spark jobs ({@link JobTimings}: jobs, stages, tasks, wall and task seconds per job description) and the driver's
 * work between them (planning, Parquet footers, commits and renames; per named phase of the command and per gap
 * between two jobs, {@link DriverTimeline}), ND4J's native load where an autoencoder
 * command started it in the background ({@link org.eelsunmix.autoencoder.NativeWarmUp}), and stopping the session;
 * then the process CPU time, the GC time and the number of classes loaded. Wall-clock marks only: nothing here changes a result.
 */
final class StartupTimings {
  private StartupTimings() {}

  static final String PROPERTY = "eelsunmix.timings";
  private static volatile boolean enabled = Boolean.getBoolean(PROPERTY);
  private static long mainNanos;
  private static long mainEpochMillis;
  private static long sessionStart;
  private static long sessionReady;
  private static long fileSystemNanos;
  private static long commandEnd;
  private static long commandEndMillis;
  private static JobTimings jobs;
  private static DriverTimeline timeline;

  static boolean enabled() {
    return enabled;
  }

  static void enable() {
    enabled = true;
  }

  /** At the entry of {@code main}. */
  static void main() {
    mainNanos = System.nanoTime();
    mainEpochMillis = System.currentTimeMillis();
  }

  /** Around the session's creation; attaches the job counter to a new session. */
  static void sessionStarting() {
    sessionStart = System.nanoTime();
  }

  static void sessionReady(SparkSession spark) {
    sessionReady = System.nanoTime();
    if (enabled && jobs == null) {
      jobs = new JobTimings();
      spark.sparkContext().addSparkListener(jobs);
      timeline = new DriverTimeline();
      spark.sparkContext().addSparkListener(timeline);
      timeline.phase("after the session, before the command's first named phase");
    }
  }

  /** Time spent in the first Hadoop file system call (the {@code --out} check). */
  static void fileSystem(long nanos) {
    fileSystemNanos += nanos;
  }

  static void commandEnded() {
    commandEnd = System.nanoTime();
    commandEndMillis = System.currentTimeMillis();
  }

  /**
   * Starts the command's driver phase {@code name} (the previous one ends here), for the phase table and the gap
   * list of {@link DriverTimeline}; nothing without {@code --timings}.
   */
  static void phase(String name) {
    DriverTimeline t = timeline;
    if (t != null) {
      t.phase(name);
    }
  }

  /** The breakdown, once the session is stopped ({@code stopped}: when that happened). */
  static String report(long stopped) {
    double jvm = (mainEpochMillis - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
    StringBuilder sb = new StringBuilder("timings (wall seconds)\n");
    row(sb, jvm, "JVM start to main");
    boolean spark = sessionStart != 0;
    long commandStart = spark ? sessionReady : mainNanos;
    if (spark) {
      row(sb, (sessionStart - mainNanos) / 1e9, "command line, option checks, up to the Spark session");
      row(sb, (sessionReady - sessionStart) / 1e9, "SparkSession created (SparkContext, block manager, SQL)");
      row(sb, fileSystemNanos / 1e9, "first Hadoop file system call (--out check), inside the next line");
    }
    long end = commandEnd == 0 ? stopped : commandEnd;
    double command = (end - commandStart) / 1e9;
    row(sb, command, spark ? "the command after the session" : "the command (no Spark)");
    if (jobs != null) {
      double inJobs = jobs.jobs().stream().mapToDouble(JobTimings.Job::wallSeconds).sum();
      row(sb, inJobs, "  of which in Spark jobs (table below)");
      row(sb, command - inJobs, "  of which on the driver between jobs (planning, footers, commits)");
    }
    double kernels = org.eelsunmix.unmix.KernelWarmUp.seconds();
    if (!Double.isNaN(kernels)) {
      row(sb, kernels, "kernels' JIT warm-up on a background thread, overlapping the lines above (not added)");
    }
    double nd4j = org.eelsunmix.autoencoder.NativeWarmUp.seconds();
    if (!Double.isNaN(nd4j)) {
      row(sb, nd4j, "ND4J native load on a background thread, overlapping the lines above (not added)");
    }
    if (spark) {
      row(sb, (stopped - end) / 1e9, "SparkSession stopped");
    }
    row(sb, jvm + (stopped - mainNanos) / 1e9, "total (JVM start to stop)");
    double gc = 0;
    for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
      gc += Math.max(0, b.getCollectionTime()) / 1e3;
    }
    double jit = ManagementFactory.getCompilationMXBean() == null ? Double.NaN
        : ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
    sb.append(String.format(Locale.ROOT, "process CPU %.2f s (main thread %.2f s), JIT compilers %.2f s, GC %.2f s, "
        + "%d classes loaded%n", cpuSeconds(), ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9, jit,
        gc, ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount()));
    if (jobs != null) {
      sb.append(jobs.table());
    }
    if (timeline != null) {
      sb.append(timeline.report(commandEndMillis == 0 ? System.currentTimeMillis() : commandEndMillis));
    }
    return sb.toString();
  }

  private static double cpuSeconds() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  private static void row(StringBuilder sb, double seconds, String what) {
    sb.append(String.format(Locale.ROOT, "%8.3f  %s%n", seconds, what));
  }
}
