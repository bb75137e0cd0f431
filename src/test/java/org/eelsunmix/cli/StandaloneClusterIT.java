package org.eelsunmix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.io.NpyArray;
import org.eelsunmix.io.NpyReader;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Fcls;
import org.eelsunmix.unmix.Vca;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commands on a real Spark standalone cluster on 127.0.0.1: a master and two one-core workers started from
 * the test class path (as {@code $SPARK_HOME/jars}), jobs submitted with {@code SparkSubmit} and the project jar
 * through the spark-submit entry point ({@link SubmitMain}). The distributed result must equal the in-memory
 * kernels on the same cube and seed. Each JVM here (master, workers, executors, driver) is a separate process; this
 * test JVM runs no Spark at all.
 */
class StandaloneClusterIT {
  static Path home;
  static Path work;
  static final List<Process> daemons = new ArrayList<>();
  static String master;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static List<String> opens() {
    return Arrays.asList(System.getProperty("eelsunmix.java17.opens", "").trim().split("\\s+"));
  }

  static ProcessBuilder java(String mainClass, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", home.resolve("jars") + File.separator + "*"));
    cmd.addAll(opens());
    if (mainClass.endsWith("SparkSubmit")) { // daemons keep Spark's INFO log: the test waits for its lines
      cmd.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
    }
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    // The worker's launcher asks for the Scala version before it looks in $SPARK_HOME/jars.
    pb.environment().put("SPARK_SCALA_VERSION", "2.12");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb;
  }

  static void waitFor(Path log, String text, int seconds) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("'" + text + "' not seen in " + log + ":\n" + Files.readString(log));
  }

  @BeforeAll
  static void startCluster() throws Exception {
    work = Files.createTempDirectory("eels-cluster-");
    home = work.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    // $SPARK_HOME/jars = the jars of this test class path (Spark, Hadoop client, picocli, EJML, ...).
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p) && !p.getFileName().toString().startsWith("eels-unmix")) {
        Path link = home.resolve("jars").resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    int port = freePort();
    master = "spark://127.0.0.1:" + port;
    Path masterLog = work.resolve("master.log");
    daemons.add(java("org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(freePort())), masterLog).start());
    waitFor(masterLog, "I have been elected leader", 60);
    for (int w = 0; w < 2; w++) {
      Path log = work.resolve("worker" + w + ".log");
      Path dir = Files.createDirectories(work.resolve("worker" + w));
      daemons.add(java("org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores", "1",
          "--memory", "1g", "--work-dir", dir.toString(), "--webui-port", String.valueOf(freePort()), master), log)
          .start());
      waitFor(log, "Successfully registered with master", 60);
    }
  }

  @AfterAll
  static void stopCluster() {
    for (Process p : daemons) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
  }

  /** spark-submit (client mode) of one eels-unmix command; returns its output. */
  static String submit(String name, String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of("--master", master, "--class", "org.eelsunmix.cli.SubmitMain",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.memory=768m", "--conf", "spark.ui.showConsoleProgress=false",
        System.getProperty("eelsunmix.jar")));
    a.addAll(List.of(args));
    Path log = work.resolve(name + ".log");
    Process p = java("org.apache.spark.deploy.SparkSubmit", a, log).start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), name + " did not finish");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), name + " failed:\n" + out);
    return out;
  }

  @Test
  void clusterRunEqualsInMemoryKernels() throws Exception {
    String store = work.resolve("series").toString();
    String results = work.resolve("results").toString();
    Path exported = work.resolve("exported");
    submit("generate", "generate", "--set", "co-ru-pt", "--replicates", "3", "--size", "32", "--block", "8",
        "--seed", "11", "--out", store);
    String unmix = submit("unmix", "unmix", "--store", store, "--acquisition", "co-ru-pt-r0002", "-R", "3", "--seed",
        "4", "--out", results);
    assertTrue(unmix.contains("1024 pixels unmixed"), unmix);
    submit("export", "export", "--results", results, "--store", store, "--to", exported.toString());

    SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32)
        .withSeed(11), 2);
    Vca.Result vca = Vca.fit(cube.image(), new Vca.Options(3, 4));
    NpyArray m = NpyReader.read(exported.resolve("endmembers.npy"));
    double[][] expected = vca.endmembers().matrix();
    for (int r = 0; r < 3; r++) {
      double[] got = Arrays.copyOfRange(m.doubles(), r * 200, r * 200 + 200);
      for (int b = 0; b < 200; b++) {
        assertEquals(expected[r][b], got[b], 1e-9 * Math.abs(expected[r][b]) + 1e-12, "endmember " + r);
      }
    }
    Abundances reference = new Fcls(expected).unmix(cube.image());
    NpyArray a = NpyReader.read(exported.resolve("abundances.npy"));
    assertArrayEquals(new int[] {32, 32, 3}, a.shape());
    for (int i = 0; i < a.doubles().length; i++) {
      assertEquals(reference.values()[i], a.doubles()[i], 1e-8, "abundance " + i);
    }

    // MTAEU on the cluster: neighbourhoods drawn from the rows on two executors, trained in one task, encoded per
    // pixel on the executors: the same network and maps as training on the cube in memory.
    String mtaeu = work.resolve("mtaeu").toString();
    Path mtaeuExported = work.resolve("mtaeu-exported");
    submit("unmix-mtaeu", "unmix", "--store", store, "--acquisition", "co-ru-pt-r0001", "--method", "mtaeu", "-R",
        "3", "--seed", "4", "--epochs", "2", "--samples", "150", "--restarts", "1", "--out", mtaeu);
    submit("export-mtaeu", "export", "--results", mtaeu, "--store", store, "--to", mtaeuExported.toString());
    SpectrumImage second = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32)
        .withSeed(11), 1).image();
    Abundances inMemory = Mtaeu.train(second, new MtaeuOptions(3, 4).withEpochs(2).withSamples(150)).unmixing()
        .abundances();
    NpyArray maps = NpyReader.read(mtaeuExported.resolve("abundances.npy"));
    for (int i = 0; i < maps.doubles().length; i++) {
      assertEquals(inMemory.values()[i], maps.doubles()[i], 1e-9, "MTAEU abundance " + i);
    }
  }
}
