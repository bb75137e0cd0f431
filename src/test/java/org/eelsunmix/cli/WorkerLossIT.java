package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.spark.standalone.LocalStandaloneCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker lost in the middle of a job on a 2-worker standalone cluster ({@link LocalStandaloneCluster}): once the
 * doomed worker's executor has finished a number of tasks of {@code unmix} (vca-fcls, nmf) or {@code reprocess},
 * the worker JVM and its executor are killed (SIGKILL) and a new worker joins. The job must complete and its output
 * must have the same bytes as the same job undisturbed. NMF keeps its state in reliable checkpoints
 * ({@code spark.checkpoint.dir}; a local folder here, as every process runs on this machine; HDFS on a real cluster).
 * Two acquisitions are unmixed together so that both executors hold blocks (one Parquet file, one partition each;
 * with two partial sums the merge order cannot change a bit).
 */
class WorkerLossIT {
  static LocalStandaloneCluster cluster;
  static Path work;
  static String store;
  static int doomed = 1;

  @BeforeAll
  static void start() throws Exception {
    cluster = ClusterForTests.start(2);
    work = cluster.work();
    store = work.resolve("series").toString();
    run("generate", List.of(), "generate", "--set", "co-ru-pt", "--replicates", "2", "--size", "32", "--block",
        "8", "--seed", "3", "--out", store);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Submits one command and waits for it; returns its output. */
  static String run(String name, List<String> conf, String... args) throws Exception {
    Path log = work.resolve(name + ".log");
    Process p = cluster.submit(log, conf, args);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + " did not finish");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), name + " failed:\n" + out);
    return out;
  }

  /**
   * Submits one command, kills the doomed worker once its executor has finished {@code tasks} tasks, adds a new
   * worker, and waits for the command; returns its output.
   */
  static String runLosingAWorker(String name, int tasks, List<String> conf, String... args) throws Exception {
    Path log = work.resolve(name + ".log");
    java.util.Set<String> before = cluster.applications(doomed);
    Process p = cluster.submit(log, conf, args);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (cluster.executorLogLines(doomed, before, "Finished task") < tasks) {
      assertTrue(p.isAlive(), name + " ended before the worker was killed (" + cluster.executorLogLines(doomed,
          before, "Finished task") + " tasks there):\n" + Files.readString(log));
      assertTrue(System.nanoTime() < end, name + ": the doomed worker's executor never ran " + tasks + " tasks");
      Thread.sleep(100);
    }
    cluster.killWorker(doomed);
    doomed = cluster.addWorker(); // the replacement is the next one to lose
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + " did not finish");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), name + " failed after the worker was lost:\n" + out);
    String masterLog = Files.readString(work.resolve("master.log"));
    assertTrue(masterLog.contains("Telling app of lost executor"), "the master saw no executor lost:\n" + masterLog);
    return out;
  }

  static void assertSameExport(String undisturbed, String disturbed, String acquisition) throws Exception {
    for (String results : List.of(undisturbed, disturbed)) {
      run("export-" + results, List.of(), "export", "--results", work.resolve(results).toString(), "--store", store,
          "--acquisition", acquisition, "--to", work.resolve(results + "-npy").toString());
    }
    for (String file : List.of("abundances.npy", "endmembers.npy")) {
      assertArrayEquals(Files.readAllBytes(work.resolve(undisturbed + "-npy").resolve(file)),
          Files.readAllBytes(work.resolve(disturbed + "-npy").resolve(file)), disturbed + " " + file);
    }
  }

  static String[] unmix(String method, String out, String... more) {
    List<String> a = new java.util.ArrayList<>(List.of("unmix", "--store", store, "--acquisition",
        "co-ru-pt-r0000", "--acquisition", "co-ru-pt-r0001", "--method", method, "-R", "3", "--seed", "2", "--out",
        work.resolve(out).toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void vcaFclsSurvivesALostWorker() throws Exception {
    run("vca", List.of(), unmix("vca-fcls", "vca"));
    runLosingAWorker("vca-lost", 4, List.of(), unmix("vca-fcls", "vca-lost"));
    assertSameExport("vca", "vca-lost", "co-ru-pt-r0001");
  }

  @Test
  void nmfSurvivesALostWorker() throws Exception {
    List<String> conf = List.of("spark.checkpoint.dir=" + work.resolve("checkpoints").toUri(),
        "spark.eelsunmix.checkpointInterval=5");
    String[] nmf = unmix("nmf", "nmf", "--tol", "0", "--max-iter", "40");
    run("nmf", conf, nmf);
    runLosingAWorker("nmf-lost", 24, conf, unmix("nmf", "nmf-lost", "--tol", "0", "--max-iter", "40"));
    assertSameExport("nmf", "nmf-lost", "co-ru-pt-r0000");
  }

  @Test
  void reprocessSurvivesALostWorker() throws Exception {
    Path archive = Files.createDirectories(work.resolve("archive"));
    SyntheticGenerator.Options o = new SyntheticGenerator.Options("co-ru-pt", EndmemberSet.builtin("co-ru-pt"), 32,
        8, 3, 1e5, 5L);
    for (int i = 0; i < 6; i++) {
      RippleWriter.write(archive.resolve("si-" + i + ".rpl"), SyntheticGenerator.generate(o, i).image(), "float32");
    }
    String model = work.resolve("model").toString();
    run("model", List.of(), "unmix", "--store", store, "--acquisition", "co-ru-pt-r0000", "-R", "3", "--seed", "1",
        "--out", model);
    run("nightly", List.of(), "reprocess", "--archive", archive.toString(), "--model", model, "--out",
        work.resolve("nightly").toString());
    runLosingAWorker("nightly-lost", 6, List.of(), "reprocess", "--archive", archive.toString(), "--model", model,
        "--out", work.resolve("nightly-lost").toString());
    Map<String, byte[]> a = outputs(work.resolve("nightly"));
    Map<String, byte[]> b = outputs(work.resolve("nightly-lost"));
    assertEquals(a.keySet(), b.keySet());
    assertTrue(a.keySet().stream().filter(k -> k.endsWith(".tif")).count() >= 6 * 3, a.keySet().toString());
    for (String k : a.keySet()) {
      assertArrayEquals(a.get(k), b.get(k), k);
    }
  }

  /** The per-acquisition files of a reprocess output folder (maps, spectra, profiles), by relative path. */
  static Map<String, byte[]> outputs(Path out) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    Path dir = out.resolve("acquisitions");
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".tif") || name.endsWith(".csv")) {
          files.put(dir.relativize(f).toString(), Files.readAllBytes(f));
        } else if (name.endsWith(".msa")) { // all but the writing time (#DATE, #TIME)
          files.put(dir.relativize(f).toString(), Files.readAllLines(f).stream()
              .filter(l -> !l.startsWith("#DATE") && !l.startsWith("#TIME")).collect(
                  java.util.stream.Collectors.joining("\n")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    return files;
  }
}
