package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on the local Hadoop file system: append-only files, lookups by path and checksum. */
class ProcessedLedgerTest {
  static ProcessedLedger.Entry entry(String path, long size, long mtime, String sum, String id, String outcome,
      String reason) {
    return new ProcessedLedger.Entry(path, size, mtime, sum, id, outcome, Instant.parse("2026-11-25T02:00:00Z"),
        "file:/out/acquisitions/" + id, "model-1", reason);
  }

  @Test
  void entriesAreAppendedAsOneFileEachAndReadBack(@TempDir Path dir) throws Exception {
    ProcessedLedger ledger = new ProcessedLedger(new Configuration(), dir.toString());
    assertEquals(List.of(), ledger.entries());
    ProcessedLedger.Entry a = entry("file:/arch/a.dm4", 10, 100, "aaaa", "a", ProcessedLedger.PROCESSED, "");
    ProcessedLedger.Entry b = entry("file:/arch/b, \"odd\".rpl", 20, 200, "bbbb", "b", ProcessedLedger.REJECTED,
        "energy axis differs,\nsee \"model\"");
    ledger.append(a);
    ledger.append(b);
    List<ProcessedLedger.Entry> back = ledger.entries();
    assertEquals(a, back.get(0));
    assertEquals(b, back.get(1)); // commas, quotes and a line break survive
    assertEquals(2, back.size());
    try (var s = Files.list(dir.resolve("_ledger"))) {
      assertEquals(2, s.filter(p -> p.getFileName().toString().endsWith(".csv")
          && !p.getFileName().toString().startsWith(".")).count());
    }
  }

  @Test
  void entriesWrittenByEarlierVersionsStillRead(@TempDir Path dir) throws Exception {
    // The hand-written writer of earlier versions: RFC 4180 quoting, one record per line, no temporaries left.
    Path folder = Files.createDirectories(dir.resolve("_ledger"));
    Files.writeString(folder.resolve("20261125T020000.000Z-b-bbbb.csv"), String.join(",", ProcessedLedger.COLUMNS)
        + "\n\"file:/arch/b, \"\"odd\"\".rpl\",20,200,bbbb,b,rejected,2026-11-25T02:00:00Z,,model-1,"
        + "\"energy axis differs, see \"\"model\"\"\"\n");
    Files.writeString(folder.resolve("._tmp-20261125T030000.000Z-c-cccc.csv-0123abcd"), "half an entr");
    List<ProcessedLedger.Entry> back = new ProcessedLedger(new Configuration(), dir.toString()).entries();
    assertEquals(List.of(new ProcessedLedger.Entry("file:/arch/b, \"odd\".rpl", 20, 200, "bbbb", "b",
        ProcessedLedger.REJECTED, Instant.parse("2026-11-25T02:00:00Z"), "", "model-1",
        "energy axis differs, see \"model\"")), back);
  }

  @Test
  void aFileIsKnownBySizeAndTimeOrElseByChecksum() {
    ProcessedLedger.Entry old = entry("p", 10, 100, "sum1", "a", ProcessedLedger.PROCESSED, "");
    ProcessedLedger.Entry touched = entry("q", 10, 100, "sum2", "b", ProcessedLedger.PROCESSED, "");
    List<ProcessedLedger.Entry> entries = List.of(old, touched);
    AtomicInteger computed = new AtomicInteger();
    Supplier<String> sum1 = () -> {
      computed.incrementAndGet();
      return "sum1";
    };
    // Same size and time: found without computing the checksum.
    assertSame(old, ProcessedLedger.find(entries, "p", 10, 100, sum1));
    assertEquals(0, computed.get());
    // Touched (new time), same content: found by checksum.
    assertSame(old, ProcessedLedger.find(entries, "p", 10, 999, sum1));
    assertEquals(1, computed.get());
    // Same path, new content: not found.
    assertNull(ProcessedLedger.find(entries, "p", 11, 999, () -> "sum9"));
    // A path never seen: not found, and no checksum needed.
    assertNull(ProcessedLedger.find(entries, "r", 10, 100, sum1));
    assertEquals(1, computed.get());
  }
}
