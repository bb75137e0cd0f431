package org.eelsunmix.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.synth.SyntheticCube;

/**
 * {@code bench --all}: every row of issue 15's speed table in one run, each from the bench class that measures it
 * on its own ({@link DaeuSpeed}, {@link AutoencoderSpeed}, {@link AveragingTiming}, {@link SparkFclsTiming}) or, for
 * the "whole command" rows, from a fresh JVM running the command as a user would ({@link ChildCommand}, with
 * {@code --timings} so the child states its own CPU seconds and phases). With a {@link PeerHarness}, the Python
 * tool's figure on the same cube is printed beside ours.
 *
 * <p>Each row is printed as soon as it is measured: {@code work | ours | the Python tool}. Wall seconds are
 * disturbed by other users of a shared machine; CPU seconds far less, so both are printed with the load.
 */
public final class BenchAll {
  private BenchAll() {}

  /** The table's rows, in the order they run (cheapest first). */
  public enum Row {
    /** DAEU: the whole {@code unmix --method daeu --restarts 1} on 64×64 co-ru-pt, and its training in memory. */
    DAEU("daeu"),
    /** A 64×64 command's start-up breakdown ({@code --timings} of {@code unmix --method vca-fcls}). */
    STARTUP("startup"),
    /** NMF and VCA-FCLS whole commands on the {@link Plan#commandSides()} cubes. */
    COMMANDS("commands"),
    /** The Spark FCLS transform on a cached {@link Plan#sparkSide()} cube. */
    SPARK_FCLS("spark-fcls"),
    /** MTAEU's reference schedule on 64×64 k-edges (estimated from {@link Plan#mtaeuEpochs()} epochs). */
    MTAEU("mtaeu"),
    /** CNNAEU's reference schedule, estimated from one epoch of {@link Plan#cnnaeuPatches()} patches. */
    CNNAEU("cnnaeu"),
    /** DAEU's parameter averaging against one core ({@link AveragingTiming}) on {@link Plan#averaging()}. */
    AVERAGING("averaging");

    private final String label;

    Row(String label) {
      this.label = label;
    }

    /** The name used on the command line. */
    public String label() {
      return label;
    }

    /** The row called {@code label}, or null. */
    public static Row of(String label) {
      for (Row r : values()) {
        if (r.label.equals(label)) {
          return r;
        }
      }
      return null;
    }
  }

  /**
   * What to measure (validated by the command that builds it).
   *
   * @param rows the rows to run
   * @param commandSides sides of the NMF / VCA-FCLS whole-command cubes (multiples of 8; the 640, 2048)
   * @param sparkSide side of the cached cube of the Spark FCLS transform (the 512)
   * @param averaging sample sizes of the averaging row (the 2000, 20000, 100000)
   * @param cnnaeuSets built-in sets of the CNNAEU row (the co-ru-pt and k-edges)
   * @param cnnaeuPatches patches of the timed CNNAEU epoch (scaled to the reference's 250)
   * @param mtaeuEpochs epochs timed for the MTAEU estimate
   */
  public record Plan(Set<Row> rows, List<Integer> commandSides, int sparkSide, int[] averaging,
      List<String> cnnaeuSets, int cnnaeuPatches, int mtaeuEpochs) {
    public Plan {
      rows = rows.isEmpty() ? EnumSet.noneOf(Row.class) : EnumSet.copyOf(rows);
      commandSides = List.copyOf(commandSides);
      averaging = averaging.clone();
      cnnaeuSets = List.copyOf(cnnaeuSets);
    }
  }

  /** Runs {@code plan}'s rows, printing to {@code out}; child commands' files go under {@code work}. */
  public static void print(SparkSession spark, Plan plan, ChildCommand command, PeerHarness peers, Path work,
      PrintStream out) {
    out.printf(Locale.ROOT, "bench --all: load %s on %d cores at the start; peers: %s%n", load(),
        Runtime.getRuntime().availableProcessors(), peers == null ? "not asked (--with-peers)"
            : peers.installed() ? peers.script().toString() : "not installed (" + peers.script() + ")");
    out.printf(Locale.ROOT, "%-48s | %-52s | %s%n", "work", "eels-unmix", "Python tool, same cube");
    Path store64 = null;
    if (plan.rows().contains(Row.DAEU) || plan.rows().contains(Row.STARTUP)) {
      store64 = generate(command, work, 64, "parquet");
    }
    if (plan.rows().contains(Row.DAEU)) {
      daeu(command, store64, work, peers, out);
    }
    if (plan.rows().contains(Row.STARTUP)) {
      ChildCommand.Result r = command.run("--timings", "unmix", "--store", store64.toString(), "--method",
          "vca-fcls", "--out", work.resolve("startup-vca-fcls").toString(), "--overwrite");
      row(out, "any command on 64x64: unmix vca-fcls, whole", whole(r), "numpy: 0.1 s (README of the harness)");
      for (String l : r.breakdown()) {
        out.println("    " + l);
      }
    }
    if (plan.rows().contains(Row.COMMANDS)) {
      for (int side : plan.commandSides()) {
        commands(command, side, work, peers, out);
      }
    }
    if (plan.rows().contains(Row.SPARK_FCLS)) {
      SparkFclsTiming.Figure f = SparkFclsTiming.measure(spark, plan.sparkSide());
      row(out, "Spark FCLS transform, cached " + plan.sparkSide() + "x" + plan.sparkSide(), String.format(
          Locale.ROOT, "%.3g M px/s per core (%.3g M per CPU s, %d cores)", f.transform().perCore() / 1e6,
          f.transform().perCpuSecond() / 1e6, f.cores()), "FCLS kernel alone: bench (FCLS B=200 R=3)");
    }
    if (plan.rows().contains(Row.MTAEU)) {
      SyntheticCube cube = DaeuSpeed.cube("k-edges");
      AutoencoderSpeed.Training t = AutoencoderSpeed.mtaeu(cube.image(), new MtaeuOptions(
          cube.truthEndmembers().count(), 1), plan.mtaeuEpochs());
      row(out, "MTAEU reference schedule, k-edges 64x64", schedule(t), "seed: 612 s (no peer in the harness)");
    }
    if (plan.rows().contains(Row.CNNAEU)) {
      for (String set : plan.cnnaeuSets()) {
        SyntheticCube cube = DaeuSpeed.cube(set);
        AutoencoderSpeed.Training t = AutoencoderSpeed.cnnaeu(cube.image(), new CnnaeuOptions(
            cube.truthEndmembers().count(), 1), plan.cnnaeuPatches());
        row(out, "CNNAEU reference schedule, " + set + " 64x64 (est.)", schedule(t),
            "PyTorch: cnnaeu_timing.py (README of the harness)");
      }
    }
    if (plan.rows().contains(Row.AVERAGING)) {
      out.println("DAEU parameter averaging (bench --averaging):");
      AveragingTiming.print(spark, plan.averaging());
    }
    out.printf(Locale.ROOT, "load at the end: %s%n", load());
  }

  private static void daeu(ChildCommand command, Path store, Path work, PeerHarness peers, PrintStream out) {
    ChildCommand.Result r = command.run("--timings", "unmix", "--store", store.toString(), "--method", "daeu",
        "--restarts", "1", "--out", work.resolve("daeu").toString(), "--overwrite");
    String peer = "";
    if (peers != null) {
      peer = "PyTorch DAEU training " + peers.run("daeu", generate(command, work, 64, "npy"), work).describe();
    }
    row(out, "DAEU unmix --restarts 1, 64x64, whole", whole(r), peer);
    SyntheticCube cube = DaeuSpeed.cube("co-ru-pt");
    DaeuSpeed.Training t = DaeuSpeed.training(cube.image(), new DaeuOptions(cube.truthEndmembers().count(), 1));
    row(out, "DAEU training in memory, 64x64 (one thread)", String.format(Locale.ROOT, "%.2f s (%.2f CPU s), "
        + "%.0f updates/s", t.wallSeconds(), t.cpuSeconds(), t.stepsPerSecond()), "");
  }

  private static void commands(ChildCommand command, int side, Path work, PeerHarness peers, PrintStream out) {
    Path store = generate(command, work, side, "parquet");
    Path npy = peers == null ? null : generate(command, work, side, "npy");
    String[][] methods = {{"nmf", "nmf", "HyperSpy NMF"}, {"vca-fcls", "vcafcls", "numpy VCA + FCLS"}};
    for (String[] m : methods) {
      ChildCommand.Result r = command.run("--timings", "unmix", "--store", store.toString(), "--method", m[0],
          "--out", work.resolve(m[0] + "-" + side).toString(), "--overwrite");
      String peer = npy == null ? "" : m[2] + " " + peers.run(m[1], npy, work).describe();
      row(out, m[0] + " " + side + "x" + side + "x200, whole command", whole(r), peer);
    }
  }

  /**
   * Writes a {@code side × side} co-ru-pt cube (seed 1, blocks of side / 8) as a series store or an npy folder,
   * once per side and format, and returns its path (for npy: the acquisition's folder).
   */
  static Path generate(ChildCommand command, Path work, int side, String format) {
    Path dir = work.resolve("cube-" + side + "-" + format);
    Path result = format.equals("npy") ? dir.resolve("co-ru-pt-r0000") : dir;
    if (!java.nio.file.Files.exists(result)) {
      command.run("generate", "--set", "co-ru-pt", "--size", Integer.toString(side), "--block",
          Integer.toString(side / 8), "--replicates", "1", "--seed", "1", "--format", format, "--out",
          dir.toString());
    }
    return result;
  }

  /** "12.7 s wall (9.1 CPU s), fit 6.1 s". */
  static String whole(ChildCommand.Result r) {
    return String.format(Locale.ROOT, "%.2f s wall (%.2f CPU s)%s", r.wallSeconds(), r.cpuSeconds().orElse(
        Double.NaN), r.fitSeconds().map(f -> String.format(Locale.ROOT, ", fit %.1f s", f)).orElse(""));
  }

  private static String schedule(AutoencoderSpeed.Training t) {
    return String.format(Locale.ROOT, "%.0f s (%.0f CPU s); %.2f s an epoch (slowest %.2f) x %d", t.wallSchedule(),
        t.cpuSchedule(), t.wallPerEpoch(), t.slowest(), t.epochs());
  }

  private static void row(PrintStream out, String work, String ours, String peer) {
    out.printf(Locale.ROOT, "%-48s | %-52s | %s%n", work, ours, peer);
  }

  private static String load() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return String.format(Locale.ROOT, "%.2f", os.getSystemLoadAverage());
    }
    return "?";
  }
}
