package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eelsunmix.core.Endmembers;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;

/**
 * The latency benchmark of {@code watch} (off unless {@code -Deelsunmix.watch.bench=true}): a watcher with
 * {@code --train-first vca-fcls} on co-ru-pt images of 64×64×200 (dose 1e5): the first trains the model, then
 * {@code eelsunmix.watch.bench.n} (20) arrive one at a time, then a burst of as many at once; with
 * {@code -Deelsunmix.watch.bench.large=true} one 256×256×1024 image last (the co-ru-pt endmembers interpolated onto
 * 1024 channels). Prints the watcher's lines (with {@code --timings}) and the median and worst latency of the
 * one-at-a-time ones, the JVM's CPU time per acquisition meanwhile, and the burst's acquisitions per minute. Another
 * method: {@code -Deelsunmix.watch.bench.method=daeu -Deelsunmix.watch.bench.train="--epochs 10"}.
 *
 * <pre>mvn -B -q test -Dtest=WatchLatencyBench -Deelsunmix.watch.bench=true [-Deelsunmix.watch.bench.large=true]</pre>
 */
class WatchLatencyBench {
  @Test
  void latencies() throws Exception {
    assumeTrue(Boolean.getBoolean("eelsunmix.watch.bench"), "benchmark: -Deelsunmix.watch.bench=true runs it");
    int n = Integer.getInteger("eelsunmix.watch.bench.n", 20);
    Path dir = Path.of("target/watch-bench");
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Path scratch = Files.createDirectories(dir.resolve("scratch"));
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path out = dir.resolve("out");
    SyntheticGenerator.Options small = new SyntheticGenerator.Options("co-ru-pt", EndmemberSet.builtin("co-ru-pt"),
        64, 8, 9, 1e5, 1L);
    for (int i = 0; i <= 2 * n; i++) {
      RippleWriter.write(scratch.resolve(String.format("si-%03d.rpl", i)), SyntheticGenerator.generate(small, i)
          .image(), "float32");
    }
    if (Boolean.getBoolean("eelsunmix.watch.bench.large")) {
      large(dir, scratch);
      return;
    }
    List<String> args = new ArrayList<>(List.of("watch", "--archive", archive.toString(), "--out", out.toString(),
        "--train-first", METHOD, "-R", "3", "--settle", "0.5", "--poll", "0.05", "--idle-timeout", "15",
        "--refresh", "0", "--timings"));
    args.addAll(TRAIN_OPTIONS);
    CompletableFuture<CliTestSupport.Run> watch = CompletableFuture.supplyAsync(() -> CliTestSupport.run(
        args.toArray(String[]::new)));
    copy(scratch, archive, "si-000");
    await(out, 1, 600);
    Thread.sleep(1000);
    long cpu0 = cpuNanos();
    for (int i = 1; i <= n; i++) {
      copy(scratch, archive, String.format("si-%03d", i));
      await(out, i + 1, 120);
      Thread.sleep(200);
    }
    double cpuPerAcquisition = (cpuNanos() - cpu0) / 1e9 / n;
    long t0 = System.nanoTime();
    for (int i = n + 1; i <= 2 * n; i++) {
      copy(scratch, archive, String.format("si-%03d", i));
    }
    await(out, 2 * n + 1, 600);
    double burstSeconds = (System.nanoTime() - t0) / 1e9;
    CliTestSupport.Run run = watch.get(30, TimeUnit.MINUTES);
    assertEquals(0, run.code(), run.err());
    System.out.println(run.out());
    List<Double> one = new ArrayList<>();
    Matcher m = Pattern.compile("committed si-(\\d+) .*latency ([0-9.]+) s").matcher(run.out());
    while (m.find()) {
      int i = Integer.parseInt(m.group(1));
      if (i >= 1 && i <= n) {
        one.add(Double.parseDouble(m.group(2)));
      }
    }
    one.sort(null);
    System.out.printf(Locale.ROOT, "%s, one at a time (%d of 64x64x200): median %.2f s, worst %.2f s, CPU time of "
        + "this JVM %.2f s per acquisition (settle wait and 0.2 s pauses included); burst of %d: %.1f s from the "
        + "first copy's start to the last ledger entry = %.1f acquisitions per minute%n", METHOD, one.size(),
        0.5 * (one.get((one.size() - 1) / 2) + one.get(one.size() / 2)), one.get(one.size() - 1), cpuPerAcquisition,
        n, burstSeconds, n * 60 / burstSeconds);
  }

  /** The method trained on the first acquisition ({@code -Deelsunmix.watch.bench.method}, default vca-fcls). */
  static final String METHOD = System.getProperty("eelsunmix.watch.bench.method", "vca-fcls");
  /** Its training options ({@code -Deelsunmix.watch.bench.train="--epochs 10"}), split at spaces. */
  static final List<String> TRAIN_OPTIONS = System.getProperty("eelsunmix.watch.bench.train", "").isBlank()
      ? List.of() : List.of(System.getProperty("eelsunmix.watch.bench.train").trim().split("\\s+"));

  /** CPU time of this JVM, all threads (the watcher runs in it). */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Two 256×256×1024 acquisitions in their own session: the first trains the model, the second is timed. */
  static void large(Path dir, Path scratch) throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive-large"));
    Path out = dir.resolve("out-large");
    for (int i = 0; i < 2; i++) {
      RippleWriter.write(scratch.resolve("large-" + i + ".rpl"), SyntheticGenerator.generate(
          new SyntheticGenerator.Options("co-ru-pt-1024", onto1024(EndmemberSet.builtin("co-ru-pt")), 256, 32, 9,
          1e5, 1L), i).image(), "float32");
    }
    CompletableFuture<CliTestSupport.Run> watch = CompletableFuture.supplyAsync(() -> CliTestSupport.run("watch",
        "--archive", archive.toString(), "--out", out.toString(), "--train-first", "vca-fcls", "-R", "3",
        "--settle", "0.5", "--poll", "0.05", "--max-acquisitions", "2", "--refresh", "0", "--timings"));
    copy(scratch, archive, "large-0");
    await(out, 1, 1200);
    copy(scratch, archive, "large-1");
    CliTestSupport.Run run = watch.get(30, TimeUnit.MINUTES);
    assertEquals(0, run.code(), run.err());
    System.out.println(run.out());
  }

  /** Copies the .raw then the .rpl of {@code stem} into the archive (as an acquisition PC would write them). */
  static void copy(Path scratch, Path archive, String stem) throws Exception {
    Files.copy(scratch.resolve(stem + ".raw"), archive.resolve(stem + ".raw"));
    Files.copy(scratch.resolve(stem + ".rpl"), archive.resolve(stem + ".rpl"));
  }

  static void await(Path out, long processed, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (WatchCommandTest.processed(out) < processed) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + processed + " acquisitions");
      }
      Thread.sleep(20);
    }
  }

  /** The endmembers linearly interpolated onto 1024 channels over the same energy range. */
  static Endmembers onto1024(Endmembers e) {
    EnergyAxis a = e.axis();
    int b = 1024;
    double scale = a.scale() * (a.channels() - 1) / (b - 1);
    double[][] s = new double[e.count()][b];
    for (int r = 0; r < e.count(); r++) {
      double[] src = e.spectrum(r);
      for (int c = 0; c < b; c++) {
        double x = c * scale / a.scale();
        int i = Math.min((int) x, a.channels() - 2);
        double f = x - i;
        s[r][c] = (1 - f) * src[i] + f * src[i + 1];
      }
    }
    return new Endmembers(s, e.names(), EnergyAxis.ofEv(a.offset(), scale, b));
  }
}
