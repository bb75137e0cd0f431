package org.eelsunmix.spark.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eelsunmix.spark.AcquisitionArchive;

/**
 * Tells when an acquisition file is complete, from successive listings of the watched folder: a file (with its
 * companion data file: a Ripple {@code .rpl} counts the size and latest time of its {@code .raw}) is complete once
 * its size and modification time have been seen unchanged for the settle time. Only what the watcher observes
 * counts, not the file's own time stamp (HDFS shows the creation time of a file still being written), so a file
 * present at start waits one settle time too. A Ripple header without its {@code .raw} is never complete. A file
 * handed over ({@link #handled}) is not offered again until its size or time changes.
 */
final class SettleTracker {
  /** A complete file and the moment it became so ({@link System#nanoTime}: when the settle time ran out). */
  record Ready(AcquisitionArchive.Entry entry, long completeNanos) {}

  /**
   * What one listing showed.
   *
   * @param ready the files complete and not yet handled, in listing order
   * @param settling how many files are still changing or waiting out the settle time
   * @param waiting Ripple headers, settled, whose {@code .raw} is missing
   */
  record Poll(List<Ready> ready, int settling, List<String> waiting) {}

  private record State(long size, long modified, long sinceNanos) {}

  private final long settleNanos;
  private final Map<String, State> seen = new HashMap<>();
  private final Map<String, State> handled = new HashMap<>();

  SettleTracker(long settleNanos) {
    this.settleNanos = settleNanos;
  }

  /** Compares the listing {@code entries} taken at {@code nowNanos} with the earlier ones. */
  Poll update(List<AcquisitionArchive.Entry> entries, long nowNanos) {
    List<Ready> ready = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    int settling = 0;
    Set<String> present = new HashSet<>();
    for (AcquisitionArchive.Entry e : entries) {
      present.add(e.path());
      State done = handled.get(e.path());
      if (done != null && done.size() == e.size() && done.modified() == e.modified()) {
        continue;
      }
      State s = seen.get(e.path());
      if (s == null || s.size() != e.size() || s.modified() != e.modified()) {
        seen.put(e.path(), new State(e.size(), e.modified(), nowNanos));
        settling++;
      } else if (nowNanos - s.sinceNanos() < settleNanos) {
        settling++;
      } else if ("ripple".equals(e.format()) && e.companions().isEmpty()) {
        waiting.add(e.relativePath());
      } else {
        ready.add(new Ready(e, s.sinceNanos() + settleNanos));
      }
    }
    seen.keySet().retainAll(present); // removed files are forgotten
    handled.keySet().retainAll(present);
    return new Poll(ready, settling, waiting);
  }

  /** {@code e} was planned (processed, skipped or up to date): not offered again while it stays as it is. */
  void handled(AcquisitionArchive.Entry e) {
    handled.put(e.path(), new State(e.size(), e.modified(), 0));
    seen.remove(e.path());
  }
}
