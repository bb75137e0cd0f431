package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.io.RippleWriter;
import org.eelsunmix.spark.ProcessedLedger;
import org.eelsunmix.spark.TestSpark;
import org.eelsunmix.synth.EndmemberSet;
import org.eelsunmix.synth.SyntheticGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands on a real distributed file system: an in-process HDFS ({@link MiniDFSCluster}: one NameNode, two
 * DataNodes, ports chosen free by the OS) beside a local Spark session, reached through Spark's shaded Hadoop client
 * by {@code hdfs://} URIs. The same chain (ingest of real Ripple files, unmix, apply, reprocess with its ledger,
 * export) runs once with every path on HDFS and once on the local file system; the results must be the same bits.
 * Runs in its own Failsafe fork (the only one that sees {@code hadoop-client-minicluster}).
 */
class HdfsIT {
  static final SyntheticGenerator.Options OPTIONS = new SyntheticGenerator.Options("co-ru-pt",
      EndmemberSet.builtin("co-ru-pt"), 16, 4, 3, 1e5, 7L);
  static Path work;
  static MiniDFSCluster dfs;
  static String hdfsRoot;

  @BeforeAll
  static void startHdfs() throws Exception {
    work = Files.createTempDirectory("eels-hdfs-");
    try {
      Configuration conf = new Configuration();
      dfs = new MiniDFSCluster.Builder(conf, work.resolve("dfs").toFile()).numDataNodes(2).build();
      dfs.waitActive();
      hdfsRoot = "hdfs://127.0.0.1:" + dfs.getNameNodePort() + "/lab";
      TestSpark.session();
    } catch (Exception | Error e) {
      stopHdfs();
      throw e;
    }
  }

  @AfterAll
  static void stopHdfs() throws IOException {
    if (dfs != null) {
      dfs.shutdown(true);
      dfs = null;
    }
    if (work != null && Files.exists(work)) {
      try (Stream<Path> s = Files.walk(work)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Runs one command, failing with its messages when it does not exit 0. */
  static String ok(String... args) {
    CliTestSupport.Run run = CliTestSupport.run(args);
    assertEquals(0, run.code(), String.join(" ", args) + "\n" + run.out() + run.err());
    return run.out();
  }

  /** The chain of commands with every input and output below {@code root}; exports go to {@code exported}. */
  static void chain(String root, Path exported) {
    String archive = root + "/archive";
    ok("ingest", "--input", archive, "--store", root + "/store");
    ok("unmix", "--store", root + "/store", "--acquisition", "si-0", "-R", "3", "--seed", "5", "--out",
        root + "/unmixed");
    ok("apply", "--model", root + "/unmixed", "--store", root + "/store", "--acquisition", "si-1", "--acquisition",
        "si-2", "--out", root + "/applied");
    ok("reprocess", "--archive", archive, "--model", root + "/unmixed", "--out", root + "/nightly");
    String again = ok("reprocess", "--archive", archive, "--model", root + "/unmixed", "--out", root + "/nightly");
    assertTrue(again.contains("nothing new") && again.contains("3 file(s) up to date"), "a second run finds nothing new through the ledger:\n" + again);
    ok("export", "--results", root + "/applied", "--store", root + "/store", "--acquisition", "si-2", "--to",
        exported.toString());
  }

  @Test
  void commandsOnHdfsEqualTheLocalFileSystem() throws Exception {
    SparkSession spark = TestSpark.session();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path localArchive = Files.createDirectories(work.resolve("local/archive"));
    for (int i = 0; i < 3; i++) {
      RippleWriter.write(localArchive.resolve("si-" + i + ".rpl"), SyntheticGenerator.generate(OPTIONS, i).image(),
          "float32");
    }
    FileSystem hdfs = new org.apache.hadoop.fs.Path(hdfsRoot).getFileSystem(conf);
    assertEquals("hdfs", hdfs.getScheme());
    hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(localArchive.toUri()),
        new org.apache.hadoop.fs.Path(hdfsRoot + "/archive"));

    chain(hdfsRoot, work.resolve("export-hdfs"));
    chain(work.resolve("local").toUri().toString().replaceAll("/$", ""), work.resolve("export-local"));

    for (String table : List.of("store/pixels", "unmixed/abundances", "applied/abundances",
        "nightly/abundances", "nightly/store/pixels")) {
      assertSameRows(spark.read().parquet(hdfsRoot + "/" + table), spark.read().parquet(work.resolve("local")
          .resolve(table).toString()), table);
    }
    for (String file : List.of("abundances.npy", "endmembers.npy")) {
      assertArrayEquals(Files.readAllBytes(work.resolve("export-local").resolve(file)),
          Files.readAllBytes(work.resolve("export-hdfs").resolve(file)), file);
    }
    // The nightly folder: the same files with the same bytes (reports and the ledger name their own paths).
    Map<String, byte[]> onHdfs = files(hdfs, hdfsRoot + "/nightly");
    Map<String, byte[]> local = files(FileSystem.getLocal(conf), work.resolve("local/nightly").toUri().toString());
    assertEquals(local.keySet().stream().filter(HdfsIT::comparable).collect(Collectors.toList()),
        onHdfs.keySet().stream().filter(HdfsIT::comparable).collect(Collectors.toList()));
    int compared = 0;
    for (String name : local.keySet()) {
      if (comparable(name) && !name.endsWith(".html") && !name.endsWith(".properties")) {
        if (name.endsWith(".msa")) { // the writer stamps #DATE and #TIME (HH:mm): the two runs may straddle a minute
          assertEquals(withoutWriteTime(local.get(name)), withoutWriteTime(onHdfs.get(name)), name);
        } else {
          assertArrayEquals(local.get(name), onHdfs.get(name), name);
        }
        compared++;
      }
    }
    assertTrue(compared >= 6, "compared " + compared + " nightly files: " + local.keySet());
    List<ProcessedLedger.Entry> ledger = new ProcessedLedger(conf, hdfsRoot + "/nightly").entries();
    assertEquals(3, ledger.size());
    for (ProcessedLedger.Entry e : ledger) {
      assertTrue(e.processed() && e.path().startsWith("hdfs://"), e.toString());
      assertTrue(e.output().startsWith("hdfs://"), e.toString());
    }
    assertEquals(new ProcessedLedger(conf, work.resolve("local/nightly").toString()).entries().stream()
        .map(ProcessedLedger.Entry::checksum).sorted().collect(Collectors.toList()),
        ledger.stream().map(ProcessedLedger.Entry::checksum).sorted().collect(Collectors.toList()));
  }

  /**
   * Outputs whose bytes do not carry run-specific names (Parquet part files have a random job id in their name and
   * are compared as rows; the ledger and the lock are checked separately).
   */
  static boolean comparable(String relative) {
    return !relative.startsWith(ProcessedLedger.FOLDER) && !relative.contains(".lock")
        && !relative.endsWith(".crc") && !relative.endsWith(".parquet") && !relative.contains("/.") && !relative.startsWith(".");
  }

  /** Every file below {@code dir}, by its path relative to it, with its bytes. */
  static Map<String, byte[]> files(FileSystem fs, String dir) throws IOException {
    org.apache.hadoop.fs.Path base = fs.makeQualified(new org.apache.hadoop.fs.Path(dir));
    Map<String, byte[]> out = new TreeMap<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(base, true);
    while (it.hasNext()) {
      FileStatus s = it.next();
      String rel = s.getPath().toUri().getPath().substring(base.toUri().getPath().length() + 1);
      try (var in = fs.open(s.getPath())) {
        out.put(rel, in.readAllBytes());
      }
    }
    return out;
  }

  static void assertSameRows(Dataset<Row> a, Dataset<Row> b, String what) {
    assertEquals(a.count(), b.count(), what);
    assertTrue(a.count() > 0, what);
    assertEquals(0, a.exceptAll(b).count(), what + ": rows only on HDFS");
    assertEquals(0, b.exceptAll(a).count(), what + ": rows only on the local file system");
    assertFalse(a.columns().length == 0);
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toCollection(ArrayList::new));
    }
  }

  private static String withoutWriteTime(byte[] msa) {
    return new String(msa, java.nio.charset.StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("#DATE") && !l.startsWith("#TIME")).collect(Collectors.joining("\n"));
  }
}
