package org.eelsunmix.spark;

import java.io.PrintStream;
import java.time.Duration;

/**
 * One updating console line: {@code label  done/total (pct)  elapsed  ETA}, redrawn with a carriage return at most a
 * few times a second, finished with a newline. The ETA assumes the remaining units cost what the finished ones did.
 * Thread-safe.
 */
public final class ProgressLine {
  private final PrintStream out;
  private final long minIntervalNanos;
  private long lastDraw;
  private long start = -1;
  private int lastLength;

  public ProgressLine(PrintStream out) {
    this(out, 250);
  }

  public ProgressLine(PrintStream out, long minIntervalMillis) {
    this.out = out;
    this.minIntervalNanos = minIntervalMillis * 1_000_000L;
  }

  /** Starts the clock at {@code nanoTime} (a {@link System#nanoTime} value), e.g. when the work began. */
  public synchronized void startAt(long nanoTime) {
    start = nanoTime;
  }

  /** Redraws the line (throttled unless {@code force}). */
  public synchronized void update(String label, long done, long total, boolean force) {
    long now = System.nanoTime();
    if (start < 0) {
      start = now;
    }
    if (!force && now - lastDraw < minIntervalNanos) {
      return;
    }
    lastDraw = now;
    String line = format(label, done, total, Duration.ofNanos(now - start));
    StringBuilder sb = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < lastLength; i++) {
      sb.append(' ');
    }
    lastLength = line.length();
    out.print(sb);
    out.flush();
  }

  /** Ends the line (the next output starts on a fresh one) and restarts the clock. */
  public synchronized void finish() {
    if (lastLength > 0) {
      out.println();
    }
    lastLength = 0;
    start = -1;
  }

  /** The text of one progress line; visible for tests. */
  public static String format(String label, long done, long total, Duration elapsed) {
    StringBuilder sb = new StringBuilder(label).append("  ").append(done).append('/').append(total);
    if (total > 0) {
      sb.append(String.format(" (%3d%%)", Math.min(100, done * 100 / total)));
    }
    sb.append("  ").append(clock(elapsed));
    if (done > 0 && total > done) {
      Duration eta = elapsed.multipliedBy(total - done).dividedBy(done);
      sb.append("  ETA ").append(clock(eta));
    }
    return sb.toString();
  }

  /** {@code m:ss}, or {@code h:mm:ss} from an hour: how durations read on progress lines. */
  public static String clock(Duration d) {
    long s = d.getSeconds();
    return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format("%d:%02d", s / 60, s % 60);
  }
}
