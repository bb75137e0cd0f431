package org.eelsunmix.spark.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eelsunmix.spark.AcquisitionArchive;
import org.junit.jupiter.api.Test;

/** Settle detection on listings made up by hand, on a clock in nanoseconds (settle = 1000). */
class SettleTrackerTest {
  static AcquisitionArchive.Entry dm4(long size, long mtime) {
    return new AcquisitionArchive.Entry("file:/a/x.dm4", "x.dm4", "dm4", List.of(), size, mtime);
  }

  static AcquisitionArchive.Entry rpl(List<String> raw, long size, long mtime) {
    return new AcquisitionArchive.Entry("file:/a/y.rpl", "y.rpl", "ripple", raw, size, mtime);
  }

  @Test
  void aFileIsReadyOnlyAfterStayingUnchangedForTheSettleTime() {
    SettleTracker t = new SettleTracker(1000);
    assertEquals(1, t.update(List.of(dm4(10, 1)), 0).settling());
    // growing: the clock restarts at each change
    assertEquals(1, t.update(List.of(dm4(20, 2)), 900).settling());
    assertEquals(1, t.update(List.of(dm4(20, 2)), 1800).settling());
    SettleTracker.Poll p = t.update(List.of(dm4(20, 2)), 1900);
    assertEquals(1, p.ready().size());
    assertEquals(1900, p.ready().get(0).completeNanos()); // seen at 900, settled 1000 later
    // handed over: not offered again while unchanged; offered again (after settling) once it changes
    t.handled(p.ready().get(0).entry());
    assertTrue(t.update(List.of(dm4(20, 2)), 5000).ready().isEmpty());
    assertEquals(1, t.update(List.of(dm4(30, 9)), 5100).settling());
    assertEquals(1, t.update(List.of(dm4(30, 9)), 6100).ready().size());
  }

  @Test
  void aRippleHeaderWaitsForItsRawWhichMustSettleToo() {
    SettleTracker t = new SettleTracker(1000);
    t.update(List.of(rpl(List.of(), 100, 1)), 0);
    SettleTracker.Poll p = t.update(List.of(rpl(List.of(), 100, 1)), 2000);
    assertTrue(p.ready().isEmpty());
    assertEquals(List.of("y.rpl"), p.waiting());
    // the .raw arrives and grows: size and time of the pair change
    List<String> raw = List.of("file:/a/y.raw");
    assertEquals(1, t.update(List.of(rpl(raw, 500, 3)), 2100).settling());
    assertEquals(1, t.update(List.of(rpl(raw, 900, 4)), 2500).settling());
    assertTrue(t.update(List.of(rpl(raw, 900, 4)), 3400).ready().isEmpty());
    assertEquals(1, t.update(List.of(rpl(raw, 900, 4)), 3500).ready().size());
  }

  @Test
  void aRemovedFileIsForgotten() {
    SettleTracker t = new SettleTracker(1000);
    t.update(List.of(dm4(10, 1)), 0);
    assertEquals(0, t.update(List.of(), 500).settling());
    // back with the same content: its clock starts again
    assertEquals(1, t.update(List.of(dm4(10, 1)), 1500).settling());
    assertTrue(t.update(List.of(dm4(10, 1)), 2400).ready().isEmpty());
  }
}
