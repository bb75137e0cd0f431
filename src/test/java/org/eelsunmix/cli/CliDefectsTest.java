package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.NpyAcquisition;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.spark.Acquisition;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defects found by bad-input probes of the command line (issue 10), each with real files, the real command line and
 * the test SparkSession: one {@code error:} line naming the option or file, the documented exit code, before any
 * long work, nothing written and nothing lost.
 */
class CliDefectsTest {
  private static final String HINT = "(run again with --stacktrace for details)";

  /** Exactly one error line (holding every mention) and the --stacktrace hint, with exit code {@code code}. */
  static void assertOneLine(CliTestSupport.Run run, int code, String... mentions) {
    assertEquals(code, run.code(), "exit code; stderr: " + run.err());
    List<String> lines = run.err().lines().toList();
    assertEquals(2, lines.size(), "expected one error line and the hint, got:\n" + run.err());
    assertTrue(lines.get(0).startsWith("error: "), run.err());
    assertEquals(HINT, lines.get(1));
    for (String m : mentions) {
      assertTrue(lines.get(0).contains(m), "'" + m + "' not in: " + lines.get(0));
    }
  }

  /** Every file under {@code dir} with its bytes and modification time, to show that nothing changed. */
  static Map<String, String> snapshot(Path dir) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), java.util.Arrays.toString(Files.readAllBytes(p)) + "@"
            + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }

  /** A series store of {@code replicates} generated co-ru-pt images of {@code size}×{@code size} pixels. */
  static String generate(Path dir, String name, int size, int replicates) {
    String store = dir.resolve(name).toString();
    CliTestSupport.Run run = CliTestSupport.run("generate", "--size", Integer.toString(size), "--block", "4",
        "--filter", "3", "--seed", "3", "--replicates", Integer.toString(replicates), "--out", store);
    assertEquals(0, run.code(), run.err());
    return store;
  }

  static Path npyFolder(Path dir, String name) throws Exception {
    Path f = dir.resolve(name);
    float[] values = new float[2 * 3 * 4];
    java.util.Arrays.fill(values, 5f);
    NpyAcquisition.write(f, new SpectrumImage("x", 2, 3, EnergyAxis.ofEv(100, 1, 4), values), null, null);
    return f;
  }

  @Test
  void theIdRuleAcceptsWhatFileNamesGiveAndRefusesWhatAPartitionCannotHold() {
    for (String ok : new String[] {"si-042", "2026-11-24_si-001", "SI [700eV] #3", "co-ru-pt-r0000", "x.y",
        "Probe ü", "a".repeat(PixelSchema.MAX_ID_LENGTH)}) {
      assertNull(PixelSchema.idProblem(ok), ok);
    }
    for (String bad : new String[] {"", " ", "\t", "a/b", "a\\b", "a=b", ".hidden", "_hidden", "..", "a\nb",
        "a\u0000b", " lead", "trail ", "__HIVE_DEFAULT_PARTITION__", "a:b", "a|b",
        "a".repeat(PixelSchema.MAX_ID_LENGTH + 1)}) {
      assertTrue(PixelSchema.idProblem(bad) != null, "accepted: '" + bad + "'");
    }
  }

  @Test
  void importNpyRefusesUnusableIdsBeforeWriting(@TempDir Path dir) throws Exception {
    Path folder = npyFolder(dir, "si");
    Path store = dir.resolve("store");
    for (String id : new String[] {"", "   ", "a/b", "a=b", ".x", "_x", "line\nbreak", "__HIVE_DEFAULT_PARTITION__",
        "a".repeat(200)}) {
      CliTestSupport.Run run = CliTestSupport.run("import-npy", "--input", folder.toString(), "--id", id, "--store",
          store.toString());
      assertOneLine(run, 2, "--id", "acquisition id");
      assertFalse(Files.exists(store), "written for --id '" + id + "'");
    }
    // A folder name that gives no usable id: the folder is named, with the remedy.
    Path hidden = npyFolder(dir, "_hidden");
    assertOneLine(CliTestSupport.run("import-npy", "--input", hidden.toString(), "--store", store.toString()), 2,
        hidden.toString(), "'_hidden'", "--id");
    assertFalse(Files.exists(store));
    // The same cube under a usable id imports, and unmix reads it back.
    assertEquals(0, CliTestSupport.run("import-npy", "--input", hidden.toString(), "--id", "hidden", "--store",
        store.toString()).code());
    assertEquals(List.of("hidden"), new SeriesStore(TestSpark.session(), store.toString()).listAcquisitions()
        .stream().map(Acquisition::id).toList());
  }

  @Test
  void ingestRefusesFilesWhoseNamesGiveNoUsableId(@TempDir Path dir) throws Exception {
    SpectrumImage image = new SpectrumImage("x", 2, 2, EnergyAxis.ofEv(200, 1, 8), filled(2 * 2 * 8, 3f));
    Path good = dir.resolve("si.rpl");
    Path hidden = dir.resolve("_si.rpl");
    RippleWriter.write(good, image, "float32");
    RippleWriter.write(hidden, image, "float32");
    String store = dir.resolve("store").toString();

    CliTestSupport.Run strict = CliTestSupport.run("ingest", "--input", good.toString(), "--input",
        hidden.toString(), "--store", store);
    assertOneLine(strict, 2, hidden.toString(), "'_si'", "rename the file");
    assertFalse(Files.exists(Path.of(store)));

    CliTestSupport.Run lenient = CliTestSupport.run("ingest", "--input", good.toString(), "--input",
        hidden.toString(), "--store", store, "--stringency", "lenient");
    assertEquals(0, lenient.code(), lenient.err());
    assertEquals(List.of("si"), new SeriesStore(TestSpark.session(), store).listAcquisitions().stream()
        .map(Acquisition::id).toList());
    String rejected = Files.readString(Path.of(store, "_rejected.csv"));
    assertTrue(rejected.contains(hidden.toString()) && rejected.contains("acquisition id '_si'"), rejected);
    assertTrue(lenient.out().contains("1 ingested, 1 skipped"), lenient.out());
  }

  @Test
  void generateRefusesASetNameThatGivesNoUsableIdAndAddsToAnExistingStore(@TempDir Path dir) throws Exception {
    Path endmembers = dir.resolve("_mine");
    Files.createDirectories(endmembers);
    try (Stream<Path> s = Files.list(Path.of("data-samples/endmembers/co-ru-pt"))) {
      for (Path msa : s.toList()) {
        Files.copy(msa, endmembers.resolve(msa.getFileName()));
      }
    }
    Path out = dir.resolve("series");
    assertOneLine(CliTestSupport.run("generate", "--endmembers-dir", endmembers.toString(), "--size", "16",
        "--block", "4", "--filter", "3", "--out", out.toString()), 2, "--endmembers-dir", "'_mine-r0000'");
    assertFalse(Files.exists(out));

    // generate's --out is a series store that accumulates (it has no --overwrite): never refused for existing.
    generate(dir, "series", 16, 1);
    CliTestSupport.Run more = CliTestSupport.run("generate", "--set", "k-edges", "--size", "16", "--block", "4",
        "--filter", "3", "--out", out.toString());
    assertEquals(0, more.code(), more.err());
    assertEquals(List.of("co-ru-pt-r0000", "k-edges-r0000"), new SeriesStore(TestSpark.session(), out.toString())
        .listAcquisitions().stream().map(Acquisition::id).toList());
  }

  @Test
  void aStoreHoldingHivesNullPartitionIsRefusedInOneLine(@TempDir Path dir) throws Exception {
    String store = generate(dir, "store", 16, 2);
    // What an older version wrote for import-npy --id '': the partition folders Hive uses for a null value.
    for (String table : new String[] {SeriesStore.PIXELS, SeriesStore.ACQUISITIONS, SeriesStore.TRUTH_ENDMEMBERS,
        SeriesStore.TRUTH_ABUNDANCES}) {
      Path t = Path.of(store, table);
      Files.move(t.resolve("acquisition_id=co-ru-pt-r0001"), t.resolve("acquisition_id=__HIVE_DEFAULT_PARTITION__"));
    }
    Path out = dir.resolve("unmixed");
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "--acquisition", "co-ru-pt-r0000", "-R",
        "3", "--out", out.toString());
    assertOneLine(run, 2, store, "__HIVE_DEFAULT_PARTITION__", "empty id");
    assertFalse(run.err().contains("NullPointerException"), run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void trainCapsDaeuAndMtaeuSamplesAndRefusesPatchesThatCannotFit(@TempDir Path dir) throws Exception {
    String store = generate(dir, "store", 64, 1); // 4 096 pixels
    for (String method : new String[] {"daeu", "mtaeu"}) {
      Path out = dir.resolve(method);
      CliTestSupport.Run run = CliTestSupport.run("train", "--store", store, "--acquisition", "co-ru-pt-r0000",
          "--method", method, "--samples", "1000000000", "--epochs", "1", "--restarts", "1", "--out",
          out.toString());
      assertEquals(0, run.code(), run.err());
      assertTrue(run.out().contains("note: ") && run.out().contains("training on 4096")
          && run.out().contains("not the 1000000000 asked for (--samples)"), run.out());
      assertTrue(run.out().contains("training on 4096 "), run.out());
      assertTrue(Files.isDirectory(out.resolve("model")));
    }
    Path out = dir.resolve("cnnaeu");
    long t0 = System.nanoTime();
    CliTestSupport.Run run = CliTestSupport.run("train", "--store", store, "--acquisition", "co-ru-pt-r0000",
        "--method", "cnnaeu", "--samples", "1000000000", "--patch-size", "8", "--out", out.toString());
    assertOneLine(run, 2, "--samples", "1000000000", "heap");
    assertTrue((System.nanoTime() - t0) / 1e9 < 30, "refused only after " + (System.nanoTime() - t0) / 1e9 + " s");
    assertFalse(Files.exists(out));
  }

  @Test
  void anExistingOutIsRefusedBeforeAnySparkWork(@TempDir Path dir) throws Exception {
    String store = generate(dir, "store", 16, 1);
    Path out = dir.resolve("precious");
    Files.createDirectories(out.resolve("model"));
    Files.writeString(out.resolve("model/notes.txt"), "a week of training");
    Map<String, String> before = snapshot(out);
    String a = "co-ru-pt-r0000";
    List<String[]> commands = new ArrayList<>();
    // The default schedule: 4 restarts of 40 epochs, many seconds; the refusal must not wait for it.
    commands.add(new String[] {"train", "--store", store, "--acquisition", a, "--out", out.toString()});
    commands.add(new String[] {"unmix", "--store", store, "--acquisition", a, "-R", "3", "--out", out.toString()});
    // The model does not exist: --out is checked first, before the model is even read.
    commands.add(new String[] {"apply", "--model", dir.resolve("no-model").toString(), "--store", store,
        "--acquisition", a, "--out", out.toString()});
    commands.add(new String[] {"evaluate", "--set", "co-ru-pt", "--replicates", "2", "--size", "16", "--block",
        "4", "--filter", "3", "--out", out.toString()});
    commands.add(new String[] {"estimate-endmembers", "--store", store, "--out", out.resolve("model/notes.txt")
        .toString()});
    TestSpark.session();
    for (String[] command : commands) {
      long t0 = System.nanoTime();
      CliTestSupport.Run run = CliTestSupport.run(command);
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertOneLine(run, 2, "--out", "already exists", "--overwrite");
      assertTrue(seconds < 5, command[0] + " refused after " + seconds + " s");
      assertEquals(before, snapshot(out), command[0] + " changed the folder");
      assertEquals("", run.out(), command[0] + " printed: " + run.out());
    }
    // --overwrite still replaces it.
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "--acquisition", a, "-R", "3", "--out",
        out.toString(), "--overwrite");
    assertEquals(0, run.code(), run.err());
    assertTrue(Files.isDirectory(out.resolve("abundances")));
    assertFalse(Files.exists(out.resolve("model/notes.txt")));
  }

  @Test
  void aFailingTaskPrintsOneLine(@TempDir Path dir) throws Exception {
    // A NaN count read in a task: the BadInputException's one line, exit code 2.
    SparkSession spark = TestSpark.session();
    String store = dir.resolve("nan-store").toString();
    EnergyAxis axis = EnergyAxis.ofEv(100, 1, 4);
    List<Row> pixels = new ArrayList<>();
    for (int p = 0; p < 16; p++) {
      float[] y = filled(4, 10f + p);
      if (p == 9) {
        y[2] = Float.NaN;
      }
      pixels.add(RowFactory.create("nan", p % 4, p / 4, y));
    }
    new SeriesStore(spark, store).write(spark.createDataFrame(pixels, PixelSchema.PIXELS),
        spark.createDataFrame(List.of(new Acquisition("nan", "test", null, 4, 4, axis, null, "npy").toRow()),
            PixelSchema.ACQUISITIONS), null, null);
    Path out = dir.resolve("out");
    CliTestSupport.Run run = CliTestSupport.run("unmix", "--store", store, "--acquisition", "nan", "-R", "2",
        "--out", out.toString());
    assertOneLine(run, 2, "pixel (nan, y=2, x=1)", "NaN", "channel 2");
    assertFalse(Files.exists(out));

    // A corrupt Parquet part file: Spark's stage failure as the root cause's class and first line, exit code 1.
    String good = generate(dir, "store", 16, 1);
    Path partition = Path.of(good, SeriesStore.PIXELS, "acquisition_id=co-ru-pt-r0000");
    try (Stream<Path> s = Files.list(partition)) {
      for (Path part : s.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        Files.writeString(part, "not parquet any more");
        Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
      }
    }
    run = CliTestSupport.run("unmix", "--store", good, "--acquisition", "co-ru-pt-r0000", "-R", "3", "--out",
        out.toString());
    assertOneLine(run, 1, "part-");
    assertFalse(run.err().contains("\tat "), run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void aStageFailureThatCameBackAsTextIsReportedByTheExceptionItNames() {
    // What the driver holds when a task's exception could not be sent back: its class and trace as text only.
    String lost = "Job aborted due to stage failure: Task 1 in stage 4.0 failed 4 times, most recent failure: Lost "
        + "task 1.3 in stage 4.0 (TID 17) (10.0.0.5 executor 2): ";
    String trace = "\n\tat org.example.Reader.next(Reader.java:42)\n\tat org.apache.spark.rdd.RDD.iterator(RDD"
        + ".scala:329)\n\nDriver stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler.abortStage(DAGScheduler"
        + ".scala:2790)";
    Main.Failure io = Main.Failure.of(new SparkException(lost + "java.io.EOFException: Reached the end of stream "
        + "with 12 bytes left to read" + trace));
    assertEquals(new Main.Failure("EOFException: Reached the end of stream with 12 bytes left to read", false), io);
    Main.Failure bad = Main.Failure.of(new SparkException(lost + "org.eelsunmix.core.BadInputException: "
        + "/data/si.dm4: truncated: 1024 bytes of 4096" + trace));
    assertEquals(new Main.Failure("/data/si.dm4: truncated: 1024 bytes of 4096", true), bad);
    // A root cause whose message runs over several lines: its first line only.
    Main.Failure multi = Main.Failure.of(new IllegalStateException("outer", new java.io.IOException(
        "\nfooter of part-0001.parquet unreadable\n\tat somewhere")));
    assertEquals(new Main.Failure("IOException: footer of part-0001.parquet unreadable", false), multi);
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
