package org.eelsunmix.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;

/**
 * Where a command's driver seconds between Spark jobs go, for {@code --timings}: the command marks its named phases
 * ({@link #phase}: reading the store, the fit, the model save, the abundances, ...), a listener records when each
 * job started and ended (the events' own times, not their late delivery on the listener bus), and {@link #report}
 * prints, per phase, its wall time split into time inside jobs (the union of the job intervals) and time on the
 * driver, then every gap between consecutive jobs of at least {@link #SHOWN_GAP_MS} named by the jobs around it
 * (planning and code generation of the next job, Parquet footers, model and file writes, renames).
 *
 * <p>Thread-safe: the listener bus calls it on its own thread while the command marks phases.
 */
final class DriverTimeline extends SparkListener {
  /** Gaps shorter than this are summed into one line instead of listed. */
  static final long SHOWN_GAP_MS = 20;

  /** A finished job: its description and its start and end (epoch milliseconds). */
  record Span(String description, long start, long end) {}

  private record Mark(String name, long at) {}

  private final Map<Integer, long[]> started = new ConcurrentHashMap<>();
  private final Map<Integer, String> descriptions = new ConcurrentHashMap<>();
  private final List<Span> spans = new ArrayList<>();
  private final List<Mark> marks = new ArrayList<>();

  @Override
  public void onJobStart(SparkListenerJobStart start) {
    String d = start.properties() == null ? null : start.properties().getProperty("spark.job.description");
    descriptions.put(start.jobId(), d == null ? "(none)" : d);
    started.put(start.jobId(), new long[] {start.time()});
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd end) {
    long[] s = started.remove(end.jobId());
    if (s != null) {
      synchronized (spans) {
        spans.add(new Span(descriptions.remove(end.jobId()), s[0], end.time()));
      }
    }
  }

  /** Starts the phase {@code name} now (the previous one ends here). */
  synchronized void phase(String name) {
    marks.add(new Mark(name, System.currentTimeMillis()));
  }

  /** The jobs finished so far, by start time. */
  List<Span> spans() {
    synchronized (spans) {
      List<Span> l = new ArrayList<>(spans);
      l.sort((a, b) -> Long.compare(a.start(), b.start()));
      return l;
    }
  }

  /**
   * The phase table and the gap list, from the first mark to {@code endMs} (epoch milliseconds); empty when the
   * command marked no phase.
   */
  synchronized String report(long endMs) {
    if (marks.isEmpty()) {
      return "";
    }
    List<Span> jobs = spans();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %8s %8s %8s  %s%n", "wall s", "in jobs",
        "driver", "phase of the command"));
    Map<String, double[]> byName = new LinkedHashMap<>(); // a phase marked twice (per acquisition) is summed
    for (int i = 0; i < marks.size(); i++) {
      long from = marks.get(i).at();
      long to = i + 1 < marks.size() ? marks.get(i + 1).at() : endMs;
      double[] row = byName.computeIfAbsent(marks.get(i).name(), k -> new double[2]);
      row[0] += (to - from) / 1e3;
      row[1] += inJobs(jobs, from, to) / 1e3;
    }
    byName.forEach((name, r) -> sb.append(String.format(Locale.ROOT, "  %8.3f %8.3f %8.3f  %s%n", r[0], r[1],
        r[0] - r[1], name)));
    sb.append(gaps(jobs, marks.get(0).at(), endMs));
    return sb.toString();
  }

  /** Milliseconds of [from, to) covered by at least one job (jobs may overlap). */
  static long inJobs(List<Span> jobs, long from, long to) {
    long covered = 0;
    long reach = from;
    for (Span s : jobs) { // by start time
      long a = Math.max(s.start(), reach);
      long b = Math.min(s.end(), to);
      if (b > a) {
        covered += b - a;
      }
      reach = Math.max(reach, Math.min(s.end(), to));
    }
    return covered;
  }

  /** The gaps between jobs (and before the first, after the last) from {@code from} to {@code to}. */
  private static String gaps(List<Span> jobs, long from, long to) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %8s  %s%n", "gap s",
        "driver between jobs: after → before"));
    long reach = from;
    String after = "(command start)";
    long small = 0;
    int smallCount = 0;
    List<Object[]> rows = new ArrayList<>();
    for (Span s : jobs) {
      if (s.start() > reach) {
        rows.add(new Object[] {s.start() - reach, after, s.description()});
      }
      if (s.end() >= reach) {
        reach = s.end();
        after = s.description();
      }
    }
    if (to > reach) {
      rows.add(new Object[] {to - reach, after, "(command end)"});
    }
    for (Object[] r : rows) {
      long ms = (Long) r[0];
      if (ms < SHOWN_GAP_MS) {
        small += ms;
        smallCount++;
      } else {
        sb.append(String.format(Locale.ROOT, "  %8.3f  %s → %s%n", ms / 1e3, r[1], r[2]));
      }
    }
    if (smallCount > 0) {
      sb.append(String.format(Locale.ROOT, "  %8.3f  %d shorter gaps%n", small / 1e3, smallCount));
    }
    return sb.toString();
  }
}
