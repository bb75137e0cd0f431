package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.EnergyAxis;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.report.MapImages;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.spark.nightly.ReprocessLock;
import org.eelsunmix.spark.nightly.Reprocessing;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reprocess} on an archive of real files: noise-free synthetic co-ru-pt images written as Ripple files, a
 * model holding their true endmembers (so FCLS must return the true maps), and a real DM4 file on another axis.
 * Checks the ledger, the outputs against the ground truth, and by file modification times what each run touched.
 */
class ReprocessCommandTest {
  static final Path DATA = Path.of(System.getProperty("eelsunmix.shared.data", "../shared/data"));
  static final SyntheticGenerator.Options OPTIONS = new SyntheticGenerator.Options("co-ru-pt",
      org.eelsunmix.synth.EndmemberSet.builtin("co-ru-pt"), 8, 4, 3, SyntheticGenerator.NOISE_FREE, 1L);

  @TempDir
  static Path shared;
  static Path model;

  @BeforeAll
  static void saveModel() throws IOException {
    TestSpark.session();
    model = shared.resolve("unmixed");
    // A saved unmix output folder: its model/ holds the true endmembers of the synthetic images.
    new VcaFclsModel("vca-fcls-truth", SyntheticGenerator.generate(OPTIONS, 0).truthEndmembers(), Double.NaN)
        .write().save(model.resolve("model").toString());
  }

  /** Writes replicate {@code replicate} as {@code file} (a .rpl and its .raw) and returns its truth. */
  static SyntheticCube put(Path file, int replicate) throws IOException {
    SyntheticCube cube = SyntheticGenerator.generate(OPTIONS, replicate);
    Files.createDirectories(file.getParent());
    RippleWriter.write(file, cube.image(), "float32");
    return cube;
  }

  static CliTestSupport.Run reprocess(Path archive, Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("reprocess", "--archive", archive.toString(), "--model",
        model.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    return CliTestSupport.run(args.toArray(String[]::new));
  }

  /**
   * Every file and folder below {@code dir} with its modification time (ms); not {@code dir} itself, where each run's
   * lock file comes and goes.
   */
  static Map<String, Long> mtimes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> !p.equals(dir)).collect(Collectors.toMap(p -> dir.relativize(p).toString(),
          p -> p.toFile().lastModified(), (a, b) -> a, TreeMap::new));
    }
  }

  static List<ProcessedLedger.Entry> ledger(Path out) {
    return new ProcessedLedger(TestSpark.session().sparkContext().hadoopConfiguration(), out.toString()).entries();
  }

  /** The abundances table's maps of one acquisition. */
  static Abundances abundances(Path out, String id, int size, int r) {
    SparkSession spark = TestSpark.session();
    double[] v = new double[size * size * r];
    List<Row> rows = spark.read().schema(PixelSchema.ABUNDANCES).parquet(out.resolve("abundances").toString())
        .where(functions.col("acquisition_id").equalTo(id)).select("x", "y", "abundances").collectAsList();
    assertEquals(size * size, rows.size(), id);
    for (Row row : rows) {
      List<Double> a = row.getList(2);
      for (int k = 0; k < r; k++) {
        v[(row.getInt(1) * size + row.getInt(0)) * r + k] = a.get(k);
      }
    }
    return new Abundances(size, size, r, v);
  }

  /**
   * The files of one acquisition: 16-bit TIFF maps of the true abundances (to one step), profiles, spectra. With
   * {@code table}, also the Parquet abundances: equal to the truth, and the TIFF holds round(65535 a) of them exactly.
   */
  static void assertOutputsMatch(Path out, String id, SyntheticCube truth, boolean table) throws IOException {
    Abundances want = truth.truthAbundances();
    Abundances got = table ? abundances(out, id, 8, 3) : null;
    for (int i = 0; table && i < got.values().length; i++) {
      assertEquals(want.values()[i], got.values()[i], 1e-5, id + " abundance " + i);
    }
    Path maps = out.resolve("acquisitions").resolve(id).resolve("maps");
    String[] stems = {"00-Co", "01-Ru", "02-Pt"};
    for (int r = 0; r < 3; r++) {
      BufferedImage tif = ImageIO.read(maps.resolve(stems[r] + ".tif").toFile());
      assertEquals(BufferedImage.TYPE_USHORT_GRAY, tif.getType());
      Raster raster = tif.getRaster();
      assertEquals(8, raster.getWidth());
      assertEquals(8, raster.getHeight());
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          if (table) {
            assertEquals(MapImages.toUnsigned16(got.get(y, x, r)), raster.getSample(x, y, 0), id + " tif " + r);
          }
          assertEquals(Math.round(65535 * want.get(y, x, r)), raster.getSample(x, y, 0), 1.0);
        }
      }
      assertTrue(Files.size(maps.resolve(stems[r] + ".png")) > 0);
    }
    Path folder = out.resolve("acquisitions").resolve(id);
    for (String f : List.of("maps/rmse.png", "spectra.png", "profiles.csv", "summary.properties",
        "endmembers/00-Co.msa", "endmembers/02-Pt.msa")) {
      assertTrue(Files.isRegularFile(folder.resolve(f)), id + ": " + f);
    }
    // Column profile: mean abundance of each column, from the truth maps.
    List<String> profile = Files.readAllLines(folder.resolve("profiles.csv"));
    assertEquals("direction,index,position,units,Co,Ru,Pt", profile.get(0));
    assertEquals(1 + 8 + 8, profile.size());
    double col3 = 0;
    for (int y = 0; y < 8; y++) {
      col3 += want.get(y, 3, 1);
    }
    assertEquals(col3 / 8, Double.parseDouble(profile.get(4).split(",")[5]), 1e-5);
  }

  /** Adds a real DM4 spectrum image (2048 channels) and replicate 8 with its axis shifted by 50 eV. */
  static void putFilesOnOtherAxes(Path archive) throws IOException {
    Files.createDirectories(archive);
    Files.copy(DATA.resolve("dm/3D_EELS_SI.dm4"), archive.resolve("real-si.dm4"));
    SpectrumImage img = SyntheticGenerator.generate(OPTIONS, 8).image();
    RippleWriter.write(archive.resolve("shifted.rpl"), new SpectrumImage("shifted", img.height(), img.width(),
        EnergyAxis.ofEv(img.axis().offset() + 50, img.axis().scale(), img.channels()), img.data()), "float32");
  }

  @Test
  void processesOnlyNewFilesSkipsOthersLenientlyAndTouchesNothingElse(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("archive");
    Path out = dir.resolve("out");
    SyntheticCube a = put(archive.resolve("a.rpl"), 0);
    SyntheticCube b = put(archive.resolve("b.rpl"), 1);
    putFilesOnOtherAxes(archive);

    CliTestSupport.Run run = reprocess(archive, out, "--stringency", "lenient");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("2 processed, 2 skipped"), run.out());
    assertEquals(List.of("a", "b"), ledger(out).stream().filter(ProcessedLedger.Entry::processed)
        .map(ProcessedLedger.Entry::acquisitionId).toList());
    assertOutputsMatch(out, "a", a, true);
    assertOutputsMatch(out, "b", b, false);
    assertEquals(2, TestSpark.session().read().parquet(out.resolve("store/acquisitions").toString()).count());
    List<String> rejected = Files.readAllLines(out.resolve("_rejected.csv"));
    assertEquals(3, rejected.size(), String.join("\n", rejected));
    assertTrue(rejected.get(1).contains("real-si.dm4") && rejected.get(1).contains("2048 channels"), rejected.get(1));
    assertTrue(rejected.get(2).contains("shifted.rpl") && rejected.get(2).contains("250"), rejected.get(2));
    String html = Files.readString(out.resolve("report/index.html"));
    assertTrue(html.contains("../acquisitions/a/maps/00-Co.png") && html.contains("8 × 8 × 200"), html);
    assertTrue(html.contains("real-si.dm4") && html.contains("2 acquisition(s) processed, 2 file(s) skipped"), html);
    assertTrue(Files.isRegularFile(out.resolve("report/endmembers.png")));

    // Nothing new (rejected files are not retried until they change): nothing written, not even a report.
    Map<String, Long> before = mtimes(out);
    run = reprocess(archive, out, "--stringency", "lenient");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("nothing new") && run.out().contains("4 file(s) up to date"), run.out());
    assertEquals(before, mtimes(out));

    // A new file in a sub-folder: only it is processed; a's and b's files are left alone.
    Thread.sleep(20); // so that a rewritten file would show a new modification time
    SyntheticCube c = put(archive.resolve("day2/c.rpl"), 2);
    run = reprocess(archive, out, "--dry-run");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("would process day2/c.rpl as day2_c (new)"), run.out());
    assertTrue(run.out().contains("1 to process, 0 to skip, 4 up to date"), run.out());
    assertEquals(before, mtimes(out));
    run = reprocess(archive, out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("1 processed, 0 skipped, 4 up to date"), run.out());
    assertOutputsMatch(out, "day2_c", c, false);
    Map<String, Long> after = mtimes(out);
    for (String f : List.of("acquisitions/a/maps/00-Co.tif", "acquisitions/b/summary.properties",
        "abundances/acquisition_id=a", "store/pixels/acquisition_id=b")) {
      assertEquals(before.get(f), after.get(f), f);
    }
    assertEquals(5, ledger(out).size());
  }

  @Test
  void killedRunsThenAChangedFileEachProcessedExactlyOnce(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("archive");
    Path out = dir.resolve("out");
    put(archive.resolve("s1.rpl"), 4);
    SyntheticCube[] cubes = {null, put(archive.resolve("s2.rpl"), 5), put(archive.resolve("s3.rpl"), 6)};
    try {
      // Killed after s2's files were committed but before its ledger entry.
      System.setProperty(Reprocessing.CRASH_PROPERTY, "outputs:2");
      CliTestSupport.Run run = reprocess(archive, out);
      assertEquals(1, run.code(), run.out());
      assertTrue(run.err().contains("simulated crash"), run.err());
      assertEquals(List.of("s1"), ledger(out).stream().map(ProcessedLedger.Entry::acquisitionId).toList());
    } finally {
      System.clearProperty(Reprocessing.CRASH_PROPERTY);
    }
    // Meanwhile s1 changed (same path, new content): processed again with the two left over.
    cubes[0] = put(archive.resolve("s1.rpl"), 9);
    List<String> args = new java.util.ArrayList<>(List.of("reprocess", "--archive", archive.toUri().toString(),
        "--model", model.resolve("model").toString(), "--out", out.toString()));
    CliTestSupport.Run run = CliTestSupport.run(args.toArray(String[]::new));
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("processed s1.rpl as s1 (changed)"), run.out());
    assertTrue(run.out().contains("3 processed, 0 skipped, 0 up to date"), run.out());
    List<ProcessedLedger.Entry> entries = ledger(out);
    assertEquals(List.of("s1", "s1", "s2", "s3"),
        entries.stream().map(ProcessedLedger.Entry::acquisitionId).sorted().toList());
    List<ProcessedLedger.Entry> s1 = entries.stream().filter(e -> e.acquisitionId().equals("s1")).toList();
    assertNotEquals(s1.get(0).checksum(), s1.get(1).checksum());
    for (int i = 0; i < 3; i++) {
      assertOutputsMatch(out, "s" + (i + 1), cubes[i], i == 0);
    }
    assertEquals(3 * 64, TestSpark.session().read().parquet(out.resolve("abundances").toString()).count());
    try (Stream<Path> s = Files.walk(out)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("._tmp") || n.startsWith("._old")).toList());
    }
    Map<String, Long> before = mtimes(out);
    assertTrue(reprocess(archive, out).out().contains("nothing new"));
    assertEquals(before, mtimes(out));
  }

  @Test
  void strictModeRefusesFilesOnAnotherAxisBeforeWriting(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("archive");
    Path out = dir.resolve("out");
    put(archive.resolve("good.rpl"), 7);
    putFilesOnOtherAxes(archive);
    CliErrorsTest.assertRefused(reprocess(archive, out), "real-si.dm4", "2048 channels",
        "vca-fcls model vca-fcls-truth");
    assertFalse(Files.exists(out), "strict mode writes nothing");
    CliErrorsTest.assertRefused(reprocess(archive, out, "--dry-run"), "real-si.dm4", "2048 channels");
    CliErrorsTest.assertRefused(reprocess(archive, out, "--stringency", "sloppy"), "--stringency");
    CliErrorsTest.assertRefused(CliTestSupport.run("reprocess", "--archive", archive.toString(), "--model",
        archive.toString(), "--out", out.toString()), archive.toString(), "not a saved model");
    CliErrorsTest.assertRefused(reprocess(dir.resolve("missing"), out), "missing", "no such archive");
    assertFalse(Files.exists(out));
  }

  /** The names in a folder, sorted (Hadoop's {@code .crc} sidecars left out). */
  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }

  @Test
  void aSecondRunOnTheSameOutputIsRefusedAndAStaleLockIsTakenOver(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("archive");
    Path out = dir.resolve("out");
    SyntheticCube a = put(archive.resolve("a.rpl"), 0);
    // Another run holds the lock (as ReprocessLock.acquire in another JVM would: this JVM runs, on this host).
    try (ReprocessLock other = ReprocessLock.acquire(
        TestSpark.session().sparkContext().hadoopConfiguration(), out.toString())) {
      String owner = Files.readString(out.resolve(ReprocessLock.FILE));
      CliTestSupport.Run run = reprocess(archive, out);
      assertEquals(3, run.code(), run.out() + run.err());
      assertEquals(1, run.err().lines().count(), run.err());
      assertTrue(run.err().startsWith("error: " + out + " is being reprocessed by another run (host ")
          && run.err().contains("pid " + ProcessHandle.current().pid()), run.err());
      assertEquals(List.of(ReprocessLock.FILE), names(out), "a refused run writes nothing");
      assertEquals(owner, Files.readString(out.resolve(ReprocessLock.FILE)), "and leaves the lock to its owner");
    }
    assertFalse(Files.exists(out), "the lock's folder goes with it when nothing else was written");

    // A lock left by a run that was killed on this host: its process no longer runs.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.createDirectories(out);
    Files.writeString(out.resolve(ReprocessLock.FILE), "host=" + java.net.InetAddress.getLocalHost().getHostName()
        + "\npid=" + gone.pid() + "\nstarted=" + java.time.Instant.now().minusSeconds(60) + "\n");
    CliTestSupport.Run run = reprocess(archive, out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("warning: took over the lock ") && run.out().contains(ReprocessLock.FILE
        + " of a run that is gone (") && run.out().contains("process " + gone.pid() + " no longer runs"), run.out());
    assertTrue(run.out().contains("1 processed, 0 skipped"), run.out());
    assertOutputsMatch(out, "a", a, true);
    assertFalse(Files.exists(out.resolve(ReprocessLock.FILE)), "released at the end");
  }

  @Test
  void aSymbolicLinkLoopIsReportedAndEachFileProcessedOnce(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("archive");
    Path out = dir.resolve("out");
    SyntheticCube a = put(archive.resolve("day1/a.rpl"), 0);
    Files.createSymbolicLink(archive.resolve("day1/loop"), Path.of("."));
    Files.createSymbolicLink(archive.resolve("latest"), Path.of("day1")); // the same files again, no loop
    CliTestSupport.Run run = reprocess(archive, out, "--dry-run");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("1 to process, 0 to skip"), run.out());
    run = reprocess(archive, out);
    assertEquals(0, run.code(), run.err());
    List<String> warnings = run.out().lines().filter(l -> l.startsWith("warning:")).toList();
    assertEquals(2, warnings.size(), run.out()); // the loop, reached directly and through latest/
    assertTrue(warnings.stream().allMatch(w -> w.contains("symbolic link") && w.contains("/loop loops back")),
        run.out());
    assertTrue(run.out().contains("processed day1/a.rpl as day1_a (new)"), run.out());
    assertTrue(run.out().contains("1 processed, 0 skipped, 0 up to date"), run.out());
    assertEquals(List.of("day1_a"), ledger(out).stream().map(ProcessedLedger.Entry::acquisitionId).toList());
    assertOutputsMatch(out, "day1_a", a, true);
    assertTrue(reprocess(archive, out).out().contains("nothing new"));
  }

  @Test
  void temporariesOfKilledRunsAreRemovedAndNothingElse(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("archive");
    Path out = dir.resolve("out");
    put(archive.resolve("a.rpl"), 0);
    assertEquals(0, reprocess(archive, out).code());
    // What runs killed at various points leave: young temporaries too (the lock says no run is writing).
    List<Path> leftovers = List.of(out.resolve("acquisitions/._tmp-b-0123abcd/maps"),
        out.resolve("._old-report-89abcdef"), out.resolve("abundances/.spark-staging-5d1c/_temporary"),
        out.resolve("store/pixels/.spark-staging-77aa"), out.resolve("_ledger/._tmp-x.csv-0a0b0c0d"));
    for (Path p : leftovers) {
      Files.createDirectories(p);
    }
    List<Path> kept = List.of(out.resolve("notes"), out.resolve("acquisitions/.keep"),
        out.resolve("abundances/acquisition_id=a"));
    for (Path p : kept) {
      Files.createDirectories(p);
    }
    CliTestSupport.Run run = reprocess(archive, out);
    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("removed 5 temporary folder(s) of a killed run") && run.out().contains(
        "nothing new"), run.out());
    for (Path p : leftovers) {
      assertFalse(Files.exists(p), p.toString());
    }
    for (Path p : kept) {
      assertTrue(Files.exists(p), p.toString());
    }
  }

  /**
   * A BLU model's per-pixel posterior standard deviations reach the nightly outputs: a std map per endmember beside
   * its abundance map, holding the abundances table's {@code abundances_std} (16-bit, to one step).
   */
  @Test
  void aBluModelsStandardDeviationMapsAreDrawn(@TempDir Path dir) throws Exception {
    String store = dir.resolve("store").toString();
    assertEquals(0, CliTestSupport.run("generate", "--set", "co-ru-pt", "--size", "8", "--block", "4", "--filter", "3",
        "--out", store).code());
    Path blu = dir.resolve("blu");
    CliTestSupport.Run unmix = CliTestSupport.run("unmix", "--store", store, "--method", "blu", "-R", "3",
        "--sweeps", "12", "--burn-in", "4", "--out", blu.toString());
    assertEquals(0, unmix.code(), unmix.err());
    Path archive = dir.resolve("archive");
    put(archive.resolve("a.rpl"), 1);
    Path out = dir.resolve("out");
    CliTestSupport.Run run = CliTestSupport.run("reprocess", "--archive", archive.toString(), "--model",
        blu.toString(), "--out", out.toString());
    assertEquals(0, run.code(), run.err());
    List<Row> rows = TestSpark.session().read().parquet(out.resolve("abundances").toString())
        .select("x", "y", PixelSchema.ABUNDANCES_STD).collectAsList();
    assertEquals(64, rows.size());
    Path maps = out.resolve("acquisitions/a/maps");
    try (Stream<Path> files = Files.list(maps)) {
      List<String> std = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("-std.tif")).sorted()
          .toList();
      assertEquals(3, std.size(), std.toString());
      for (int r = 0; r < 3; r++) {
        Raster raster = ImageIO.read(maps.resolve(std.get(r)).toFile()).getRaster();
        double largest = 0;
        for (Row row : rows) {
          double sd = ((Number) row.getList(2).get(r)).doubleValue();
          largest = Math.max(largest, sd);
          assertEquals(MapImages.toUnsigned16(sd), raster.getSample(row.getInt(0), row.getInt(1), 0), std.get(r));
        }
        assertTrue(largest > 0, "a Gibbs sampler's posterior has spread");
        assertTrue(Files.isRegularFile(maps.resolve(std.get(r).replace(".tif", ".png"))));
      }
    }
    String page = Files.readString(out.resolve("report/index.html"));
    assertTrue(page.contains("-std.png"), "the report shows the std maps");
  }
}
