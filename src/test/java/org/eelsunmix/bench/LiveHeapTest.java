package org.eelsunmix.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The live heap counts what survives a full collection, not the garbage a young one leaves. */
class LiveHeapTest {
  @Test
  void aFullCollectionLeavesWhatIsHeldAndNotTheGarbage() {
    try (LiveHeap live = new LiveHeap(() -> 8L << 20)) {
      // The test JVM is shared with earlier tests whose objects (Spark sessions, caches) may still be released while
      // this runs, so the heap is settled first and the held amount is large against what they could release.
      live.settled(500);
      long before = live.sample();
      // Small arrays: G1 gives an array of half a region or more whole regions of its own (humongous).
      byte[][] held = new byte[12_288][];
      for (int i = 0; i < held.length; i++) {
        held[i] = new byte[16 << 10]; // 192 MiB kept
      }
      for (int i = 0; i < 25_600; i++) {
        byte[] garbage = new byte[16 << 10]; // 400 MiB dropped
        garbage[i % garbage.length] = 1;
      }
      long after = live.sample();
      // Lower bound half the held amount: in the shared test JVM, soft-referenced caches of earlier tests are
      // cleared under this test's allocation pressure (measured: up to about 60 MiB). The upper bound is the point:
      // a figure that counted the 400 MiB of garbage would be far above it.
      assertTrue(after - before >= 96L << 20 && after - before < 260L << 20,
          "held 192 MiB (400 MiB dropped): " + (before >> 20) + " -> " + (after >> 20) + " MiB");
      // The class histogram names what is held: the 192 MiB of byte[] first.
      String largest = LiveHeap.largestClasses(2);
      assertTrue(largest.startsWith("[B ") && Double.parseDouble(largest.split(" ")[1]) >= 192, largest);
      assertEquals(16 << 10, held[12_287].length); // the arrays stay reachable until here
      assertTrue(live.maxOwn() >= after && live.max() >= after + (8L << 20) - (1L << 20), live.max() + " " + after);
      held = null;
      assertTrue(live.settled(10) < after - (150L << 20), "settled after the arrays are dropped");
    }
  }
}
