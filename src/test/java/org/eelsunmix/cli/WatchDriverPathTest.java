package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch}'s driver path for small acquisitions (read and unmixed from the driver, maps committed before the
 * tables) writes what {@code reprocess}'s Spark jobs write for the same files and model: a watcher trains the model
 * on the first of three noisy acquisitions and unmixes all three from the driver; {@code reprocess} with that saved
 * model then writes a second output folder through the nightly path. Every file of every {@code acquisitions/<id>/}
 * must have the same bytes (summary.properties and the EMSA spectra: the same text but their time stamps, and so
 * other checksum files), and the series store and the
 * abundances table the same rows. Once with vca-fcls, once with a DAEU network (a block transform), and once
 * through the watcher's Spark path for large acquisitions (unmixed from the files, the store written after the maps).
 */
class WatchDriverPathTest {
  static final SyntheticGenerator.Options NOISY = new SyntheticGenerator.Options("co-ru-pt",
      EndmemberSet.builtin("co-ru-pt"), 16, 4, 3, 1e4, 3L);

  @Test
  void vcaFclsDriverPathWritesWhatReprocessWrites(@TempDir Path dir) throws Exception {
    sameOutputs(dir, true, "vca-fcls", "--vca-restarts", "2");
  }

  @Test
  void daeuDriverPathWritesWhatReprocessWrites(@TempDir Path dir) throws Exception {
    sameOutputs(dir, true, "daeu", "--epochs", "2", "--samples", "120", "--restarts", "1");
  }

  /** The live Spark path (what large acquisitions take): unmixed from the files, maps, then the store. */
  @Test
  void liveSparkPathWritesWhatReprocessWrites(@TempDir Path dir) throws Exception {
    sameOutputs(dir, false, "vca-fcls", "--local-max-pixels", "0");
  }

  static void sameOutputs(Path dir, boolean onDriver, String method, String... trainOptions) throws Exception {
    TestSpark.session();
    Path archive = Files.createDirectories(dir.resolve("archive"));
    for (int i = 0; i < 3; i++) {
      RippleWriter.write(archive.resolve("n" + i + ".rpl"), SyntheticGenerator.generate(NOISY, i).image(), "float32");
    }
    Path live = dir.resolve("live");
    List<String> args = new ArrayList<>(List.of("watch", "--archive", archive.toString(), "--out", live.toString(),
        "--train-first", method, "-R", "3", "--seed", "4", "--settle", "0.1", "--poll", "0.05", "--once",
        "--timings"));
    args.addAll(List.of(trainOptions));
    CliTestSupport.Run run = CliTestSupport.run(args.toArray(String[]::new));
    assertEquals(0, run.code(), run.err() + run.out());
    assertEquals(onDriver, run.out().contains("read + unmix on the driver"), "the driver path ran: " + run.out());
    assertEquals(3, WatchCommandTest.processed(live), run.out());

    Path nightly = dir.resolve("nightly");
    run = CliTestSupport.run("reprocess", "--archive", archive.toString(), "--model", live.resolve("model")
        .toString(), "--out", nightly.toString());
    assertEquals(0, run.code(), run.err() + run.out());
    assertEquals(3, WatchCommandTest.processed(nightly), run.out());

    for (int i = 0; i < 3; i++) {
      Path a = live.resolve("acquisitions/n" + i);
      Path b = nightly.resolve("acquisitions/n" + i);
      Map<String, byte[]> fa = files(a);
      Map<String, byte[]> fb = files(b);
      assertEquals(fb.keySet(), fa.keySet(), "files of n" + i);
      assertTrue(fa.keySet().stream().anyMatch(f -> f.endsWith(".tif")), fa.keySet().toString());
      for (String f : fa.keySet()) {
        if (f.equals("summary.properties")) {
          assertEquals(withoutTimes(b.resolve(f)), withoutTimes(a.resolve(f)), "n" + i + "/" + f);
        } else if (f.endsWith(".msa")) {
          assertEquals(msaWithoutTimes(b.resolve(f)), msaWithoutTimes(a.resolve(f)), "n" + i + "/" + f);
        } else if (!f.endsWith(".summary.properties.crc") && !f.endsWith(".msa.crc")) {
          // (the local file system's checksums of the files with a time stamp differ with it)
          assertArrayEquals(fb.get(f), fa.get(f), "n" + i + "/" + f + " differs");
        }
      }
    }
    assertEquals(rows(nightly.resolve("store/pixels")), rows(live.resolve("store/pixels")));
    assertEquals(rows(nightly.resolve("store/acquisitions")), rows(live.resolve("store/acquisitions")));
    List<String> abundances = rows(live.resolve("abundances"));
    assertEquals(3 * 16 * 16, abundances.size());
    assertEquals(rows(nightly.resolve("abundances")), abundances);
  }

  /** Every file below {@code dir} by relative path, with its bytes. */
  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return m;
  }

  /** A summary's properties, less the time it was written. */
  static Map<Object, Object> withoutTimes(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    Map<Object, Object> m = new TreeMap<>(p);
    m.remove("processed_at");
    return m;
  }

  /** An EMSA file's lines but its #DATE and #TIME (the writing time, to the minute). */
  static List<String> msaWithoutTimes(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.startsWith("#DATE") && !l.startsWith("#TIME")).toList();
  }

  /** A Parquet table's rows as text (every value, arrays in full, doubles exactly), sorted. */
  static List<String> rows(Path table) {
    List<String> out = new ArrayList<>();
    for (Row r : TestSpark.session().read().parquet(table.toString()).collectAsList()) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        b.append(r.schema().fields()[i].name()).append('=')
            .append(v instanceof scala.collection.Seq<?> seq ? seq.mkString("[", ",", "]") : String.valueOf(v))
            .append(';');
      }
      out.add(b.toString());
    }
    out.sort(null);
    return out;
  }
}
