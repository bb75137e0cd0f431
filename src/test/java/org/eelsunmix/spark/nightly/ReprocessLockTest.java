package org.eelsunmix.spark.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder's lock on the local file system: one holder, owners judged gone or not, release. */
class ReprocessLockTest {
  static String owner(String host, long pid, Instant started) {
    return "host=" + host + "\npid=" + pid + "\nstarted=" + started + "\n";
  }

  @Test
  void oneHolderAtATimeAndTheFolderItMadeGoesWithIt(@TempDir Path dir) throws Exception {
    Configuration conf = new Configuration();
    Path out = dir.resolve("out");
    try (ReprocessLock lock = ReprocessLock.acquire(conf, out.toString())) {
      assertTrue(Files.readString(out.resolve(ReprocessLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
      assertTrue(lock.takeOverWarning().isEmpty());
      ReprocessLock.BusyException busy = assertThrows(ReprocessLock.BusyException.class,
          () -> ReprocessLock.acquire(conf, out.toString()));
      assertTrue(busy.getMessage().contains("is being reprocessed by another run"), busy.getMessage());
    }
    assertFalse(Files.exists(out));
    // An existing folder stays, and so does what else it holds.
    Files.createDirectories(out.resolve("acquisitions"));
    ReprocessLock.acquire(conf, out.toString()).close();
    assertEquals(java.util.List.of("acquisitions"), Files.list(out).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void anOwnerIsGoneWhenItsProcessEndedOrItsLockIsTooOld() throws Exception {
    Instant now = Instant.now();
    String here = ReprocessLock.host();
    long me = ProcessHandle.current().pid();
    assertNull(ReprocessLock.staleness(owner(here, me, now.minusSeconds(5)), 0, now), "this JVM runs");
    assertNull(ReprocessLock.staleness(owner("elsewhere", 1, now.minusSeconds(5)), 0, now),
        "another host's run cannot be checked: it holds until the age limit");
    assertNotNull(ReprocessLock.staleness(owner("elsewhere", 1,
        now.minus(ReprocessLock.STALE_AFTER).minusSeconds(1)), 0, now));
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    assertEquals("process " + ended.pid() + " no longer runs",
        ReprocessLock.staleness(owner(here, ended.pid(), now), 0, now));
    // This JVM's pid in a lock written before it started: the pid was reused.
    assertTrue(ReprocessLock.staleness(owner(here, me, now.minus(Duration.ofDays(1)).plusSeconds(60)), 0, now)
        .startsWith("pid " + me + " now belongs to a process started at"));
    // Half-written (a run killed between creating and writing it): held for a minute, then stale.
    assertNull(ReprocessLock.staleness("", now.toEpochMilli() - 10_000, now));
    assertNotNull(ReprocessLock.staleness("", now.toEpochMilli() - 120_000, now));
  }
}
