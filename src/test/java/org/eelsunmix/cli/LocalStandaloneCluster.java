package org.eelsunmix.cli;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: a master and one-core workers, each its own JVM, started from
 * the test class path (as {@code $SPARK_HOME/jars}) on ports the OS reports free, in a temporary folder. Workers
 * can be killed (with their executors, as when a machine is lost) and new ones added. {@link #close} kills every
 * process it started and deletes the folder, whatever happened before.
 */
final class LocalStandaloneCluster implements AutoCloseable {
  final Path work;
  final Path home;
  final String master;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();

  LocalStandaloneCluster(int workerCount) throws Exception {
    work = Files.createTempDirectory("eels-cluster-");
    home = work.resolve("spark-home");
    try {
      Files.createDirectories(home.resolve("jars"));
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
      Path log = work.resolve("master.log");
      processes.add(java("org.apache.spark.deploy.master.Master", List.of("--host", "127.0.0.1", "--port",
          String.valueOf(port), "--webui-port", String.valueOf(freePort())), log).start());
      waitFor(log, "I have been elected leader", 90);
      for (int w = 0; w < workerCount; w++) {
        addWorker();
      }
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  ProcessBuilder java(String mainClass, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-cp", home.resolve("jars") + File.separator + "*"));
    cmd.addAll(Arrays.asList(System.getProperty("eelsunmix.java17.opens", "").trim().split("\\s+")));
    if (mainClass.endsWith("SparkSubmit")) { // daemons keep Spark's INFO log: the test waits for its lines
      cmd.add("-Dlog4j2.configurationFile=" + Path.of("conf/log4j2.properties").toAbsolutePath());
    }
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12"); // asked before $SPARK_HOME/jars is looked at
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

  /** Starts one more one-core worker; returns its number (its work folder is {@code worker<N>}). */
  int addWorker() throws Exception {
    int w = workers.size();
    Path log = work.resolve("worker" + w + ".log");
    Path dir = Files.createDirectories(work.resolve("worker" + w));
    Process p = java("org.apache.spark.deploy.worker.Worker", List.of("--host", "127.0.0.1", "--cores", "1",
        "--memory", "1g", "--work-dir", dir.toString(), "--webui-port", String.valueOf(freePort()), master), log)
        .start();
    processes.add(p);
    workers.add(p);
    waitFor(log, "Successfully registered with master", 90);
    return w;
  }

  /** Kills worker {@code w} and its executors at once (SIGKILL), as when its machine goes down. */
  void killWorker(int w) throws InterruptedException {
    Process p = workers.get(w);
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** The application folders on worker {@code w} so far (one per application that had an executor there). */
  java.util.Set<String> applications(int w) throws IOException {
    try (Stream<Path> apps = Files.list(work.resolve("worker" + w))) {
      return apps.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    }
  }

  /** Lines with {@code text} in the logs of worker {@code w}'s executors of applications not in {@code before}. */
  long executorLogLines(int w, java.util.Set<String> before, String text) throws IOException {
    Path dir = work.resolve("worker" + w);
    try (Stream<Path> files = Files.walk(dir)) {
      long n = 0;
      for (Path f : files.filter(f -> f.getFileName().toString().equals("stderr")
          && !before.contains(dir.relativize(f).getName(0).toString())).toList()) {
        try (Stream<String> lines = Files.lines(f, StandardCharsets.ISO_8859_1)) {
          n += lines.filter(l -> l.contains(text)).count();
        }
      }
      return n;
    }
  }

  /** spark-submit (client mode: the driver in its own JVM) of one eels-unmix command, started, not awaited. */
  Process submit(Path log, List<String> conf, String... args) throws IOException {
    List<String> a = new ArrayList<>(List.of("--master", master, "--class", "org.eelsunmix.cli.SubmitMain",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.memory=768m", "--conf", "spark.ui.showConsoleProgress=false"));
    for (String c : conf) {
      a.add("--conf");
      a.add(c);
    }
    a.add(System.getProperty("eelsunmix.jar"));
    a.addAll(List.of(args));
    Process p = java("org.apache.spark.deploy.SparkSubmit", a, log).start();
    processes.add(p);
    return p;
  }

  /** Kills every process started here (descendants first) and deletes the folder. */
  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // best effort: the folder is under the system temp folder
    }
  }
}
