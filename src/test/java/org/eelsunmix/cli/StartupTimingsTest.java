package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code --timings} is accepted by any command and taken out of its arguments, and the breakdown it prints accounts
 * for the command: the phases add up to the total it states.
 */
class StartupTimingsTest {
  @Test
  void timingsFlagIsAcceptedAndTheBreakdownAddsUp() {
    StartupTimings.main();
    CliTestSupport.Run run = CliTestSupport.run("methods", "--timings");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("nmf"), "the command ran as without the flag");
    assertTrue(StartupTimings.enabled());
    StartupTimings.commandEnded();
    String report = StartupTimings.report(System.nanoTime());
    double jvm = seconds(report, "JVM start to main");
    double command = seconds(report, "the command (no Spark)");
    double total = seconds(report, "total (JVM start to stop)");
    assertTrue(jvm >= 0 && command >= 0);
    assertEquals(total, jvm + command, 0.002, report); // nothing between the command's end and the report
    assertTrue(report.contains("classes loaded"), report);
  }

  private static double seconds(String report, String label) {
    return report.lines().filter(l -> l.endsWith(label)).map(l -> Double.parseDouble(l.strip().split("\\s+")[0]))
        .findFirst().orElseThrow(() -> new AssertionError("no line '" + label + "' in\n" + report));
  }
}
