package org.eelsunmix.spark.nightly;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Wall time per named step of a batch (survey, ingest, unmix, maps, ledger, ...), summed when a step repeats, in the
 * order the steps first ran: the breakdown {@code watch --timings} prints after each batch, to show where an
 * acquisition's latency goes. Not thread-safe: one batch, one thread.
 */
public final class StepTimes {
  private final Map<String, long[]> nanos = new LinkedHashMap<>();
  private long mark = System.nanoTime();

  /** Starts timing from now (the next {@link #lap} counts from here). */
  public void start() {
    mark = System.nanoTime();
  }

  /** Adds the time since the previous lap (or {@link #start}) to {@code step}. */
  public void lap(String step) {
    long now = System.nanoTime();
    nanos.computeIfAbsent(step, k -> new long[1])[0] += now - mark;
    mark = now;
  }

  /** Seconds spent in {@code step} so far (0 when it never ran). */
  public double seconds(String step) {
    long[] n = nanos.get(step);
    return n == null ? 0 : n[0] / 1e9;
  }

  /** Forgets every step. */
  public void clear() {
    nanos.clear();
    mark = System.nanoTime();
  }

  /** "step 0.123 s, step 0.045 s, ...", in the order the steps first ran. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ");
    nanos.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s %.3f s", k, v[0] / 1e9)));
    return j.toString();
  }
}
