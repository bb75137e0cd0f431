package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eelsunmix.bench.BenchAll;
import org.eelsunmix.bench.PeerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench --all}: its options parse into the plan they state and bad ones are refused by name before any work;
 * a tiny run prints the start-up row (a real child JVM running {@code unmix}, whose own {@code --timings} total
 * cannot exceed the wall time the parent measured around it) and the Spark FCLS row; the Python harness, where it
 * is installed, gives VCA + FCLS's figure on a cube the project wrote.
 */
class BenchAllTest {
  @Test
  void optionsParseIntoThePlan() {
    BenchCommand cmd = new BenchCommand();
    new CommandLine(cmd).parseArgs("--all", "--all-rows", "startup,spark-fcls", "--all-sides", "640,2048",
        "--all-spark-side", "512", "--all-averaging", "2000,20000,100000", "--all-cnnaeu-sets", "co-ru-pt,k-edges",
        "--all-cnnaeu-patches", "250", "--all-mtaeu-epochs", "3");
    BenchAll.Plan p = cmd.all.plan();
    assertTrue(cmd.all.all);
    assertEquals(EnumSet.of(BenchAll.Row.STARTUP, BenchAll.Row.SPARK_FCLS), p.rows());
    assertEquals(List.of(640, 2048), p.commandSides());
    assertEquals(512, p.sparkSide());
    assertEquals(List.of(2000, 20000, 100000), java.util.Arrays.stream(p.averaging()).boxed().toList());
    assertEquals(List.of("co-ru-pt", "k-edges"), p.cnnaeuSets());
    assertEquals(250, p.cnnaeuPatches());
    assertEquals(3, p.mtaeuEpochs());

    BenchCommand defaults = new BenchCommand();
    new CommandLine(defaults).parseArgs("--all");
    BenchAll.Plan d = defaults.all.plan();
    assertEquals(EnumSet.allOf(BenchAll.Row.class), d.rows());
    assertEquals(List.of(256), d.commandSides());
  }

  @Test
  void badOptionsAreNamedBeforeAnyWork() {
    String[][] cases = {
        {"--all-sides", "100", "--all-sides"},
        {"--all-rows", "daeu,nope", "--all-rows"},
        {"--all-averaging", "100", "--all-averaging"},
        {"--all-cnnaeu-sets", "no-such-set", "--all-cnnaeu-sets"},
        {"--all-mtaeu-epochs", "0", "--all-mtaeu-epochs"},
    };
    for (String[] c : cases) {
      CliTestSupport.Run run = CliTestSupport.run("bench", "--all", c[0], c[1]);
      assertEquals(2, run.code(), c[0] + ": " + run.out() + run.err());
      assertTrue(run.err().contains(c[2]), run.err());
    }
    CliTestSupport.Run peersAlone = CliTestSupport.run("bench", "--with-peers");
    assertEquals(2, peersAlone.code());
    assertTrue(peersAlone.err().contains("--with-peers"), peersAlone.err());
  }

  @Test
  void tinyRunPrintsTheStartUpAndSparkRows(@TempDir Path dir) {
    CliTestSupport.Run run = CliTestSupport.run("bench", "--all", "--all-rows", "startup,spark-fcls",
        "--all-spark-side", "16", "--all-dir", dir.toString(), "--with-peers", "--peers-script",
        dir.resolve("absent.py").toString());
    assertEquals(0, run.code(), run.out() + run.err());
    String out = run.out();
    assertTrue(out.contains("peers: not installed"), out);
    Matcher whole = Pattern.compile("unmix vca-fcls, whole\\s+\\| ([0-9.]+) s wall \\(([0-9.]+) CPU s\\)")
        .matcher(out);
    assertTrue(whole.find(), out);
    double wall = Double.parseDouble(whole.group(1));
    double cpu = Double.parseDouble(whole.group(2));
    assertTrue(cpu > 0 && wall > 0, out);
    double total = breakdown(out, "total (JVM start to stop)");
    assertTrue(total > 0 && total <= wall + 0.05, "the child's own total " + total + " s within the wall " + wall
        + " s measured around it\n" + out);
    assertTrue(breakdown(out, "SparkSession created (SparkContext, block manager, SQL)") > 0, out);
    Matcher spark = Pattern.compile("Spark FCLS transform, cached 16x16\\s+\\| ([0-9.eE+-]+) M px/s per core")
        .matcher(out);
    assertTrue(spark.find(), out);
    assertTrue(Double.parseDouble(spark.group(1)) > 0, out);
    assertTrue(Files.isDirectory(dir.resolve("cube-64-parquet")), "the 64x64 store the rows share");
    assertFalse(out.contains("MTAEU"), "rows not asked for do not run");
  }

  @Test
  void peerHarnessTimesVcaFclsOnTheProjectsCube(@TempDir Path dir) {
    PeerHarness peers = new PeerHarness(Path.of("/usr/bin/python3"),
        Path.of("../shared/peers/run_peers.py").toAbsolutePath(), 1);
    assumeTrue(peers.installed(), "the peer harness is not installed here");
    CliTestSupport.Run gen = CliTestSupport.run("generate", "--format", "npy", "--size", "32", "--block", "4",
        "--replicates", "1", "--out", dir.resolve("npy").toString());
    assertEquals(0, gen.code(), gen.err());
    PeerHarness.Figure f = peers.run("vcafcls", dir.resolve("npy/co-ru-pt-r0000"), dir);
    assumeTrue(f.failure().isEmpty(), "numpy/scipy missing for the harness: " + f.failure());
    assertTrue(f.seconds() > 0 && f.cpuSeconds() > 0, f.describe());
    assertTrue(f.sad() < 0.2, "VCA + FCLS finds the co-ru-pt endmembers: " + f.describe());
  }

  private static double breakdown(String out, String label) {
    return out.lines().filter(l -> l.endsWith("  " + label)).map(l -> Double.parseDouble(l.strip().split("\\s+")[0]))
        .findFirst().orElseThrow(() -> new AssertionError("no line '" + label + "' in\n" + out));
  }
}
