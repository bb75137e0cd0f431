package org.eelsunmix.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.bench.BenchAll;
import org.eelsunmix.bench.ChildCommand;
import org.eelsunmix.bench.PeerHarness;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.synth.SyntheticGenerator;
import picocli.CommandLine.Option;

/**
 * {@code bench --all} and its sizes ({@link BenchAll}): every row of issue 15's table in one command. The defaults
 * finish in a few minutes on two cores; the sizes are {@code --all-sides 640,2048 --all-spark-side 512
 * --all-averaging 2000,20000,100000 --all-cnnaeu-sets co-ru-pt,k-edges --all-cnnaeu-patches 250}. Every value is
 * checked before anything runs. The whole-command rows run {@code eels-unmix} in child JVMs launched as this one
 * was ({@link #childPrefix}).
 */
final class BenchAllOptions {
  @Option(names = "--all", description = "instead: every row of the speed table (issue 15) in one run; sizes "
      + "below")
  boolean all;

  @Option(names = "--all-rows", split = ",", paramLabel = "ROW", description = "rows to run (default all): daeu, "
      + "startup, commands, spark-fcls, mtaeu, cnnaeu, averaging")
  List<String> rows;

  @Option(names = "--all-sides", split = ",", defaultValue = "256", paramLabel = "N", description = "sides of the "
      + "NMF and VCA-FCLS whole-command cubes, multiples of 8 from 64 (default 256; the issue's: 640,2048)")
  List<Integer> sides;

  @Option(names = "--all-spark-side", defaultValue = "128", description = "side of the cached cube of the Spark "
      + "FCLS transform (default 128; the issue's: 512)")
  int sparkSide;

  @Option(names = "--all-averaging", split = ",", defaultValue = "2000", paramLabel = "N", description = "sample "
      + "sizes of the parameter-averaging row, from 600 (default 2000; the issue's: 2000,20000,100000)")
  int[] averaging;

  @Option(names = "--all-cnnaeu-sets", split = ",", defaultValue = "co-ru-pt", paramLabel = "SET",
      description = "built-in sets of the CNNAEU row (default co-ru-pt; the issue's: co-ru-pt,k-edges)")
  List<String> cnnaeuSets;

  @Option(names = "--all-cnnaeu-patches", defaultValue = "30", description = "patches of the timed CNNAEU epoch, "
      + "scaled to the reference's 250 (default 30)")
  int cnnaeuPatches;

  @Option(names = "--all-mtaeu-epochs", defaultValue = "2", description = "epochs timed for the MTAEU estimate "
      + "(default 2)")
  int mtaeuEpochs;

  @Option(names = "--all-dir", description = "folder for the cubes and outputs of --all (default: a temporary "
      + "folder, deleted)")
  Path dir;

  @Option(names = "--with-peers", description = "with --all: run the Python peer harness on the same cubes and print "
      + "its figure beside ours")
  boolean withPeers;

  @Option(names = "--peers-script", defaultValue = "../shared/peers/run_peers.py", description = "the peer "
      + "harness (default ../shared/peers/run_peers.py)")
  Path peersScript;

  @Option(names = "--peers-python", defaultValue = "/usr/bin/python3", description = "its interpreter (default "
      + "/usr/bin/python3)")
  Path peersPython;

  /**
   * The validated plan.
   *
   * @throws BadInputException naming the first bad option
   */
  BenchAll.Plan plan() {
    Set<BenchAll.Row> chosen = EnumSet.noneOf(BenchAll.Row.class);
    if (rows == null || rows.isEmpty()) {
      chosen = EnumSet.allOf(BenchAll.Row.class);
    } else {
      for (String r : rows) {
        BenchAll.Row row = BenchAll.Row.of(r.strip());
        if (row == null) {
          throw new BadInputException("--all-rows", "unknown row '" + r + "'; rows: daeu, startup, commands, "
              + "spark-fcls, mtaeu, cnnaeu, averaging");
        }
        chosen.add(row);
      }
    }
    for (int side : sides) {
      if (side < 64 || side % 8 != 0) {
        throw new BadInputException("--all-sides", "sides must be multiples of 8 from 64, got " + side);
      }
    }
    if (sparkSide < 8) {
      throw new BadInputException("--all-spark-side", "must be at least 8, got " + sparkSide);
    }
    for (int n : averaging) {
      if (n < 600) {
        throw new BadInputException("--all-averaging", "sample sizes must be at least 600 (the warm-up's), got " + n);
      }
    }
    for (String set : cnnaeuSets) {
      try {
        SyntheticGenerator.Options.builtin(set);
      } catch (RuntimeException e) {
        throw new BadInputException("--all-cnnaeu-sets", "unknown built-in set '" + set + "'");
      }
    }
    if (cnnaeuPatches < 2) {
      throw new BadInputException("--all-cnnaeu-patches", "must be at least 2, got " + cnnaeuPatches);
    }
    if (mtaeuEpochs < 1) {
      throw new BadInputException("--all-mtaeu-epochs", "must be at least 1, got " + mtaeuEpochs);
    }
    if (withPeers && !all) {
      throw new BadInputException("--with-peers", "goes with --all");
    }
    return new BenchAll.Plan(chosen, sides, sparkSide, averaging, cnnaeuSets, cnnaeuPatches, mtaeuEpochs);
  }

  /** Runs the plan on {@code spark} (already validated by {@link #plan()}). */
  int run(SparkSession spark, BenchAll.Plan plan) throws IOException {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("eels-bench-all-");
    try {
      PeerHarness peers = withPeers ? new PeerHarness(peersPython, peersScript.toAbsolutePath(), 2) : null;
      BenchAll.print(spark, plan, new ChildCommand(childPrefix(), work.resolve("logs")), peers, work, System.out);
    } finally {
      if (dir == null) {
        try (Stream<Path> s = Files.walk(work)) {
          s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
        }
      }
    }
    return 0;
  }

  /**
   * This JVM's own launch, up to the command's arguments: the same java, its JVM options (the launcher's JIT and
   * class-data-sharing flags, or the test's module flags) less recording and debugging agents and an archive
   * being written, then {@code -jar} the jar it was started from, or the class path and {@link Main}.
   */
  static List<String> childPrefix() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-XX:ArchiveClassesAtExit") && !a.startsWith("-XX:StartFlightRecording")
          && !a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Xrunjdwp")) {
        cmd.add(a);
      }
    }
    String launched = System.getProperty("sun.java.command", "").split(" ")[0];
    if (launched.endsWith(".jar") && Main.class.getName().equals(mainClass(launched))) {
      cmd.addAll(List.of("-jar", launched)); // the jar's manifest opens the JDK packages Spark needs
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    }
    return cmd;
  }

  /** The Main-Class of {@code jar}'s manifest, or null (e.g. a test runner's booter jar). */
  private static String mainClass(String jar) {
    try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar)) {
      return f.getManifest() == null ? null : f.getManifest().getMainAttributes().getValue("Main-Class");
    } catch (IOException e) {
      return null;
    }
  }
}
