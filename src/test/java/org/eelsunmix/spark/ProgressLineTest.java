package org.eelsunmix.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one-line progress display: counts, percentage, elapsed time and an ETA from the rate so far. */
class ProgressLineTest {

  @Test
  void formatGivesDoneTotalAndEta() {
    assertEquals("evaluate  10/40 ( 25%)  0:30  ETA 1:30",
        ProgressLine.format("evaluate", 10, 40, Duration.ofSeconds(30)));
    assertEquals("x  40/40 (100%)  1:02:03", ProgressLine.format("x", 40, 40, Duration.ofSeconds(3723)));
    assertEquals("x  0/7 (  0%)  0:00", ProgressLine.format("x", 0, 7, Duration.ZERO), "no ETA before any is done");
  }

  @Test
  void redrawsOneLineAndEndsIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressLine line = new ProgressLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);
    line.update("job", 1, 4, true);
    line.update("job", 4, 4, true);
    line.finish();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), "a single line, ended once");
    assertTrue(out.startsWith("\rjob  1/4") && out.contains("\rjob  4/4"), out);
  }
}
