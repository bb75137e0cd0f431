package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eelsunmix.report.BrowserCheck;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.spark.nightly.Reprocessing;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch} on a real folder with files copied in while it runs (noise-free synthetic co-ru-pt images as Ripple
 * files, the model holding their true endmembers, so every output is checked against the ground truth as in
 * {@link ReprocessCommandTest}): a slow chunked copy, a burst, a corrupt file, {@code reprocess} after it and before
 * it, {@code --train-first}, and a watcher killed with SIGKILL (a child JVM) between an acquisition's commit and its
 * ledger entry, then restarted.
 */
class WatchCommandTest {
  @TempDir
  static Path shared;
  static Path model;

  @BeforeAll
  static void saveModel() throws IOException {
    TestSpark.session();
    model = shared.resolve("unmixed");
    new VcaFclsModel("vca-fcls-truth", SyntheticGenerator.generate(ReprocessCommandTest.OPTIONS, 0)
        .truthEndmembers(), Double.NaN).write().save(model.resolve("model").toString());
  }

  static CliTestSupport.Run reprocess(Path archive, Path out) {
    return CliTestSupport.run("reprocess", "--archive", archive.toString(), "--model", model.toString(), "--out",
        out.toString(), "--stringency", "lenient");
  }

  static CompletableFuture<CliTestSupport.Run> watchInBackground(String... args) {
    return CompletableFuture.supplyAsync(() -> CliTestSupport.run(args));
  }

  static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
      Thread.sleep(50);
    }
  }

  static long processed(Path out) {
    return ReprocessCommandTest.ledger(out).stream().filter(ProcessedLedger.Entry::processed).count();
  }

  /** Copies a Ripple pair into {@code archive}: the header, then the data in {@code chunks} pieces with pauses. */
  static void slowCopy(Path rpl, Path archive, int chunks, long pauseMillis) throws Exception {
    Files.copy(rpl, archive.resolve(rpl.getFileName()));
    Path raw = rpl.resolveSibling(rpl.getFileName().toString().replace(".rpl", ".raw"));
    byte[] data = Files.readAllBytes(raw);
    Path target = archive.resolve(raw.getFileName());
    try (var o = Files.newOutputStream(target)) {
      for (int c = 0; c < chunks; c++) {
        o.write(data, c * data.length / chunks, (c + 1) * data.length / chunks - c * data.length / chunks);
        o.flush();
        Thread.sleep(pauseMillis);
      }
    }
  }

  /** Temporaries of atomic writes and Spark staging folders anywhere under {@code out}. */
  static List<Path> temporaries(Path out) throws IOException {
    try (Stream<Path> s = Files.walk(out)) {
      return s.filter(p -> p.getFileName().toString().matches("\\._(tmp|old)-.*|\\.spark-staging-.*")).toList();
    }
  }

  @Test
  void slowCopyBurstAndCorruptFileThenReprocessDoesNothing(@TempDir Path dir) throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path scratch = dir.resolve("scratch");
    Path out = dir.resolve("out");
    CompletableFuture<CliTestSupport.Run> watch = watchInBackground("watch", "--archive", archive.toString(),
        "--model", model.toString(), "--out", out.toString(), "--settle", "0.5", "--poll", "0.05",
        "--idle-timeout", "3");

    // A slow copy: pauses (0.3 s) shorter than the settle time; read once, when complete.
    SyntheticCube slow = ReprocessCommandTest.put(scratch.resolve("slow.rpl"), 0);
    slowCopy(scratch.resolve("slow.rpl"), archive, 6, 300);
    await("the slow copy committed", 60, () -> processed(out) == 1);

    // A burst of ten, then a corrupt file (its .raw cut short) among two more.
    List<SyntheticCube> burst = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      burst.add(ReprocessCommandTest.put(archive.resolve("burst-" + i + ".rpl"), i + 1));
    }
    ReprocessCommandTest.put(scratch.resolve("bad.rpl"), 20);
    Files.copy(scratch.resolve("bad.rpl"), archive.resolve("bad.rpl"));
    byte[] raw = Files.readAllBytes(scratch.resolve("bad.raw"));
    Files.write(archive.resolve("bad.raw"), Arrays.copyOf(raw, raw.length - 1000));
    SyntheticCube last = ReprocessCommandTest.put(archive.resolve("last.rpl"), 12);

    CliTestSupport.Run run = watch.get(180, TimeUnit.SECONDS);
    assertEquals(0, run.code(), run.err() + run.out());
    List<ProcessedLedger.Entry> ledger = ReprocessCommandTest.ledger(out);
    Map<String, Long> perId = ledger.stream().collect(Collectors.groupingBy(ProcessedLedger.Entry::acquisitionId,
        Collectors.counting()));
    assertEquals(13, perId.size(), perId.toString());
    assertTrue(perId.values().stream().allMatch(n -> n == 1), "each file handled once: " + perId);
    assertEquals(12, processed(out));
    assertEquals(List.of("bad"), ledger.stream().filter(e -> !e.processed()).map(ProcessedLedger.Entry::acquisitionId)
        .toList());
    ReprocessCommandTest.assertOutputsMatch(out, "slow", slow, true);
    for (int i = 0; i < 10; i++) {
      ReprocessCommandTest.assertOutputsMatch(out, "burst-" + i, burst.get(i), i == 9);
    }
    ReprocessCommandTest.assertOutputsMatch(out, "last", last, false);
    assertEquals(12, run.out().lines().filter(l -> l.startsWith("committed ")).count(), run.out());
    assertTrue(run.out().contains("latency") && run.out().contains("stopped: 12 committed, 1 skipped"), run.out());
    List<String> rejected = Files.readAllLines(out.resolve("_rejected.csv"));
    assertEquals(2, rejected.size(), rejected.toString());
    assertTrue(rejected.get(1).contains("bad.rpl"), rejected.get(1));
    assertTrue(temporaries(out).isEmpty(), temporaries(out).toString());
    assertFalse(Files.exists(out.resolve("_reprocess.lock")));

    // The session page: 12 lines, the bad file, the newest (last) maps; every image loads and shows data.
    Path page = out.resolve("session/index.html");
    String html = Files.readString(page);
    assertTrue(html.contains("http-equiv=\"refresh\"") && html.contains("Newest: last"), html);
    assertEquals(12, html.split("<tr( class=\"outlier\")?><td class=\"num\">", -1).length - 1);
    assertTrue(html.contains("bad.rpl") && html.contains("12 acquisition(s) unmixed, 1 file(s) skipped"));
    // Checked in the browser without its refresh (a page that reloads itself never lets headless Chromium finish).
    Path copy = Files.createDirectories(dir.resolve("page-copy"));
    try (Stream<Path> s = Files.list(page.getParent())) {
      for (Path f : s.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Files.writeString(copy.resolve("index.html"), html.replaceAll("<meta http-equiv=\"refresh\"[^>]*>", ""));
    BrowserCheck.everyImageLoadsWithData(copy.resolve("index.html"), 3 + 1 + 1 + 1, dir);

    // reprocess on the same folders: nothing new, nothing written.
    Map<String, Long> before = ReprocessCommandTest.mtimes(out);
    CliTestSupport.Run again = reprocess(archive, out);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nothing new") && again.out().contains("13 file(s) up to date"), again.out());
    assertEquals(before, ReprocessCommandTest.mtimes(out));
  }

  @Test
  void reprocessThenWatchDoesNothingAndTrainFirstTrainsOnceThenIsReused(@TempDir Path dir) throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path out = dir.resolve("out");
    ReprocessCommandTest.put(archive.resolve("a.rpl"), 0);
    ReprocessCommandTest.put(archive.resolve("b.rpl"), 1);
    CliTestSupport.Run run = reprocess(archive, out);
    assertEquals(0, run.code(), run.err());
    // watch after reprocess: nothing committed, nothing of reprocess's touched (only its own session page).
    Map<String, Long> before = withoutSession(ReprocessCommandTest.mtimes(out));
    run = CliTestSupport.run("watch", "--archive", archive.toString(), "--model", model.toString(), "--out",
        out.toString(), "--settle", "0.2", "--poll", "0.05", "--once");
    assertEquals(0, run.code(), run.err() + run.out());
    assertFalse(run.out().contains("committed "), run.out());
    assertTrue(run.out().contains("stopped: nothing committed"), run.out());
    assertEquals(before, withoutSession(ReprocessCommandTest.mtimes(out)));

    // --train-first: trains on the first acquisition only; every output holds the same endmembers.
    Path live = dir.resolve("live");
    Path archive2 = Files.createDirectories(dir.resolve("archive2"));
    for (int i = 0; i < 3; i++) {
      ReprocessCommandTest.put(archive2.resolve("s" + i + ".rpl"), i);
    }
    run = CliTestSupport.run("watch", "--archive", archive2.toString(), "--train-first", "vca-fcls", "-R", "3",
        "--out", live.toString(), "--settle", "0.2", "--poll", "0.05", "--once");
    assertEquals(0, run.code(), run.err() + run.out());
    assertEquals(1, run.out().lines().filter(l -> l.startsWith("trained ")).count(), run.out());
    assertEquals(3, processed(live));
    Path modelDir = live.resolve("model");
    long trainedAt = Files.getLastModifiedTime(modelDir).toMillis();
    // Restarted with no model option and a fourth acquisition: the saved model is reused, not retrained.
    Thread.sleep(20);
    ReprocessCommandTest.put(archive2.resolve("s3.rpl"), 3);
    run = CliTestSupport.run("watch", "--archive", archive2.toString(), "--out", live.toString(), "--settle", "0.2",
        "--poll", "0.05", "--once");
    assertEquals(0, run.code(), run.err() + run.out());
    assertFalse(run.out().contains("trained "), run.out());
    assertEquals(4, processed(live));
    assertEquals(trainedAt, Files.getLastModifiedTime(modelDir).toMillis());
    String uid = ReprocessCommandTest.ledger(live).get(0).model();
    assertTrue(ReprocessCommandTest.ledger(live).stream().allMatch(e -> e.model().equals(uid)));
    for (String em : List.of("00-", "01-", "02-")) {
      List<String> spectra = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        try (Stream<Path> s = Files.list(live.resolve("acquisitions/s" + i + "/endmembers"))) {
          Path f = s.filter(p -> p.getFileName().toString().startsWith(em)).findFirst().orElseThrow();
          spectra.add(Files.readString(f));
        }
      }
      assertEquals(1, spectra.stream().distinct().count(), "endmember " + em + " differs between acquisitions");
      // Stamped with the model's save time, not the write's (the files were written in two runs).
      long savedMillis = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(modelDir.resolve("metadata/part-00000").toFile()).path("timestamp").asLong();
      Map<String, String> stamp = org.eelsunmix.io.Msa.dateAndTime(java.time.LocalDateTime.ofInstant(
          java.time.Instant.ofEpochMilli(savedMillis), java.time.ZoneId.systemDefault()));
      for (String key : List.of("DATE", "TIME")) {
        assertTrue(spectra.get(0).lines().anyMatch(l -> l.startsWith("#" + key) && l.endsWith(": " + stamp.get(key))),
            key + " " + stamp.get(key) + " in\n" + spectra.get(0));
      }
    }
    // The trained model's endmembers are the truth's (noise-free data with pure pixels), to a small angle.
    // And the reverse of the first part: reprocess after watch has nothing to do.
    Map<String, Long> mt = ReprocessCommandTest.mtimes(live);
    run = CliTestSupport.run("reprocess", "--archive", archive2.toString(), "--model", modelDir.toString(), "--out",
        live.toString());
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("nothing new"), run.out());
    assertEquals(mt, ReprocessCommandTest.mtimes(live));
  }

  /**
   * A watcher in a child JVM (this JVM's class path and module flags) on {@code archive} with the test's model,
   * with the crash test hook set to {@code hook}, its output in {@code log}.
   */
  private Process childWatcher(String hook, Path archive, Path out, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-D" + Reprocessing.CRASH_PROPERTY + "=" + hook));
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Dlog4j2"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.eelsunmix.cli.Main", "watch",
        "--archive", archive.toString(), "--model", model.toString(), "--out", out.toString(), "--settle", "0.2",
        "--poll", "0.05", "--master", "local[1]"));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static Map<String, Long> withoutSession(Map<String, Long> mtimes) {
    Map<String, Long> m = new java.util.TreeMap<>(mtimes);
    m.keySet().removeIf(k -> k.startsWith("session") || k.equals("_config.properties"));
    return m;
  }

  @Test
  void killedBetweenACommitAndItsLedgerEntryThenRestartedCommitsEachOnce(@TempDir Path dir) throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path out = dir.resolve("out");
    List<SyntheticCube> truth = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      truth.add(ReprocessCommandTest.put(archive.resolve("k" + i + ".rpl"), i));
    }
    // A child JVM runs the watcher and blocks (test hook) after k1's folder is committed, before its ledger entry.
    // The three arrive in one batch, unmixed from the driver: folders first, then the tables, then the ledger
    // entries, so when it blocks no entry is written and the restart redoes all three.
    Process child = childWatcher("outputs:2:hang", archive, out, dir.resolve("child.log"));
    try {
      await("the child to commit k1's folder", 150, () -> Files.isDirectory(out.resolve("acquisitions/k1")));
      Thread.sleep(300);
      assertEquals(0, processed(out), "no ledger entry of the batch may be written: the child hangs before them");
      assertFalse(Files.exists(out.resolve("acquisitions/k2")));
    } finally {
      child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the lock stays
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(Files.exists(out.resolve("_reprocess.lock")), Files.readString(dir.resolve("child.log")));

    CliTestSupport.Run run = CliTestSupport.run("watch", "--archive", archive.toString(), "--model",
        model.toString(), "--out", out.toString(), "--settle", "0.2", "--poll", "0.05", "--once");
    assertEquals(0, run.code(), run.err() + run.out());
    assertTrue(run.out().contains("warning: took over the lock"), run.out());
    assertEquals(3, run.out().lines().filter(l -> l.startsWith("committed ")).count(), run.out());
    List<ProcessedLedger.Entry> ledger = ReprocessCommandTest.ledger(out);
    assertEquals(List.of("k0", "k1", "k2"), ledger.stream().map(ProcessedLedger.Entry::acquisitionId).sorted()
        .toList());
    assertTrue(ledger.stream().allMatch(ProcessedLedger.Entry::processed));
    for (int i = 0; i < 3; i++) {
      ReprocessCommandTest.assertOutputsMatch(out, "k" + i, truth.get(i), true);
    }
    assertTrue(temporaries(out).isEmpty(), temporaries(out).toString());
    assertFalse(Files.exists(out.resolve("_reprocess.lock")));
  }

  @Test
  void sigtermMidBatchFinishesTheBatchInHandThenExitsCleanly(@TempDir Path dir) throws Exception {
    Path archive = Files.createDirectories(dir.resolve("archive"));
    Path out = dir.resolve("out");
    List<SyntheticCube> truth = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      truth.add(ReprocessCommandTest.put(archive.resolve("t" + i + ".rpl"), i));
    }
    // The child pauses 3 s (test hook) after t0's folder is committed; SIGTERM arrives during the pause.
    Process child = childWatcher("outputs:1:pause", archive, out, dir.resolve("child.log"));
    int code;
    try {
      await("the child to commit t0's folder", 150, () -> Files.isDirectory(out.resolve("acquisitions/t0")));
      assertEquals(0, processed(out));
      child.destroy(); // SIGTERM: the shutdown hook stops the loop after the batch in hand and waits for it
      assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child did not exit after SIGTERM");
      code = child.exitValue();
    } finally {
      child.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("child.log"));
    assertEquals(143, code, log); // 128 + SIGTERM: the JVM's exit status once its shutdown hooks are done
    assertTrue(log.contains("stopping: finishing the acquisition in hand"), log);
    // The batch in hand (all three) was finished: each folder committed with its ledger entry, nothing half written.
    assertEquals(3, processed(out), log);
    for (int i = 0; i < 3; i++) {
      ReprocessCommandTest.assertOutputsMatch(out, "t" + i, truth.get(i), true);
    }
    assertTrue(temporaries(out).isEmpty(), temporaries(out).toString());
    assertFalse(Files.exists(out.resolve("_reprocess.lock")), log);
    // And a later reprocess finds nothing to do.
    CliTestSupport.Run again = reprocess(archive, out);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("nothing new"), again.out());
  }
}
