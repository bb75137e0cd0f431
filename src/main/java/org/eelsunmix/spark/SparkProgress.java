package org.eelsunmix.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Replaces Spark's console progress bar (kept off: {@code spark.ui.showConsoleProgress=false}) with one
 * {@link ProgressLine} per job: tasks done / tasks submitted and an ETA, labelled with the job description the
 * command sets ({@code sparkContext().setJobDescription}). Registered once per session by the commands.
 */
public final class SparkProgress extends SparkListener {
  private final ProgressLine line;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private volatile String label = "";
  private volatile long jobStart;
  /** Jobs shorter than this leave no line at all (listing a table should not print progress). */
  private static final long QUIET_NANOS = 1_000_000_000L;

  private SparkProgress(ProgressLine line) {
    this.line = line;
  }

  /** Attaches a progress line on standard error to the session. */
  public static void attach(SparkSession spark) {
    spark.sparkContext().addSparkListener(new SparkProgress(new ProgressLine(System.err)));
  }

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String d = JobTimings.description(start);
    label = d == null ? "job " + start.jobId() : d;
    jobStart = System.nanoTime();
    line.startAt(jobStart);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted s) {
    total.addAndGet(s.stageInfo().numTasks());
    draw(false);
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd t) {
    done.incrementAndGet();
    draw(false);
  }

  private void draw(boolean force) {
    if (System.nanoTime() - jobStart >= QUIET_NANOS) {
      line.update(label, done.get(), total.get(), force);
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    draw(true);
    line.finish();
    done.set(0);
    total.set(0);
  }
}
