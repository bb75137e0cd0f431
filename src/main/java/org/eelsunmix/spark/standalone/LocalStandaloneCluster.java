package org.eelsunmix.spark.standalone;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and workers, each its own JVM, started from a list of jars
 * (linked as {@code $SPARK_HOME/jars}, which is also the executors' class path) on ports the OS reports free, in a
 * temporary folder, which is also every JVM's temporary and Spark scratch folder. Drivers are submitted with {@code SparkSubmit} in client mode, each in its own JVM. Workers can
 * be killed (with their executors, as when a machine is lost) and new ones added. {@link #close} kills every process
 * it started and deletes the folder, whatever happened before; a shutdown hook does the same if this JVM is stopped
 * (SIGTERM, Ctrl-C) while the cluster is open.
 */
public final class LocalStandaloneCluster implements AutoCloseable {
  /**
   * How the JVMs are made.
   *
   * @param jars the class path of every JVM (linked into {@code $SPARK_HOME/jars})
   * @param appJar the jar spark-submit ships to the executors, whose {@code SubmitMain} the drivers run; null when
   *     {@code jars} hold the application too (a self-contained jar): then an empty jar stands in, so that each
   *     executor does not fetch hundreds of MB it already has
   * @param jvmOptions options of every JVM started here (Java 17's {@code --add-opens} for Spark)
   * @param driverLog4j the log4j2 configuration of the drivers (null: whatever the jars bundle); the master and
   *     workers log at INFO (a file written here), whose lines this class waits for
   * @param workerCores cores each worker offers
   * @param workerMemory memory each worker offers (Spark's size syntax, e.g. {@code 1g})
   * @param executorMemory {@code spark.executor.memory} of every submitted driver
   * @param driverHeap {@code -Xmx} of the drivers' JVMs (master and workers get 512m)
   */
  public record Settings(List<Path> jars, Path appJar, List<String> jvmOptions, Path driverLog4j, int workerCores,
      String workerMemory, String executorMemory, String driverHeap) {}

  private final Path work;
  private final Path home;
  private final String master;
  private final Settings settings;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();
  private final Thread hook = new Thread(this::stop, "standalone-cluster-stop");
  private boolean closed;

  /** Starts the master and {@code workerCount} workers; on any failure everything started is stopped first. */
  public LocalStandaloneCluster(int workerCount, Settings settings) throws IOException, InterruptedException {
    this.settings = settings;
    work = Files.createTempDirectory("eels-cluster-");
    home = work.resolve("spark-home");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Files.createDirectories(home.resolve("jars"));
      Files.createDirectories(work.resolve("tmp"));
      Files.createDirectories(work.resolve("local"));
      // The daemons log at INFO whatever log4j2.properties the jars bundle: start-up is awaited on their lines.
      Files.writeString(work.resolve("daemon-log4j2.properties"), String.join("\n", "rootLogger.level = info",
          "rootLogger.appenderRef.out.ref = out", "appender.out.type = Console", "appender.out.name = out",
          "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex",
          ""));
      for (Path jar : settings.jars()) {
        Path link = home.resolve("jars").resolve(jar.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, jar.toAbsolutePath());
        }
      }
      int port = freePort();
      master = "spark://127.0.0.1:" + port;
      Path log = work.resolve("master.log");
      start(java("org.apache.spark.deploy.master.Master", "512m", List.of("--host", "127.0.0.1", "--port",
          String.valueOf(port), "--webui-port", String.valueOf(freePort())), log));
      waitFor(log, "I have been elected leader", 90);
      for (int w = 0; w < workerCount; w++) {
        addWorker();
      }
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The cluster's temporary folder (deleted by {@link #close}): logs, the workers' folders, anything put there. */
  public Path work() {
    return work;
  }

  /** The master's URL, {@code spark://127.0.0.1:<port>}. */
  public String master() {
    return master;
  }

  /** The jars of this JVM's class path whose file names {@code keep} accepts. */
  public static List<Path> classPathJars(java.util.function.Predicate<String> keep) {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p) && keep.test(p.getFileName().toString())) {
        jars.add(p);
      }
    }
    return jars;
  }

  /**
   * The {@code --add-opens} options a jar's manifest asks for ({@code Add-Opens}, honoured by {@code java -jar} only:
   * a JVM started with {@code -cp} needs them on its command line).
   */
  public static List<String> manifestOpens(Path jar) {
    try (JarFile j = new JarFile(jar.toFile())) {
      Attributes a = j.getManifest() == null ? null : j.getManifest().getMainAttributes();
      String opens = a == null ? null : a.getValue("Add-Opens");
      if (opens == null || opens.isBlank()) {
        return List.of();
      }
      return Stream.of(opens.trim().split("\\s+")).map(p -> "--add-opens=" + p + "=ALL-UNNAMED").toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + jar, e);
    }
  }

  /** A port the OS reports free now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private ProcessBuilder java(String mainClass, String heap, List<String> args, Path log) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-Djava.io.tmpdir=" + work.resolve("tmp"), "-cp",
        home.resolve("jars") + File.separator + "*"));
    cmd.addAll(settings.jvmOptions());
    if (!mainClass.endsWith("SparkSubmit")) {
      cmd.add("-Dlog4j2.configurationFile=" + work.resolve("daemon-log4j2.properties"));
    } else if (settings.driverLog4j() != null) {
      cmd.add("-Dlog4j2.configurationFile=" + settings.driverLog4j().toAbsolutePath());
    }
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("SPARK_HOME", home.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.12"); // asked before $SPARK_HOME/jars is looked at
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OMP_NUM_THREADS", "1");
    // Spark's scratch (block manager, shuffle and spill files, the workers' application folders) inside the
    // cluster's folder too, so that close() deletes it even after a SIGKILL has prevented Spark's own clean-up.
    pb.environment().put("SPARK_LOCAL_DIRS", work.resolve("local").toString());
    return pb;
  }

  private synchronized Process start(ProcessBuilder pb) throws IOException {
    if (closed) {
      throw new IllegalStateException("the cluster is closed");
    }
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  /** Waits until {@code log} contains {@code text}; fails after {@code seconds}, quoting the log. */
  public static void waitFor(Path log, String text, int seconds) throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("'" + text + "' not seen in " + log + ":\n"
        + (Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "(no log)"));
  }

  /** Starts one more worker; returns its number (its work folder is {@code worker<N>}). */
  public int addWorker() throws IOException, InterruptedException {
    int w = workers.size();
    Path log = work.resolve("worker" + w + ".log");
    Path dir = Files.createDirectories(work.resolve("worker" + w));
    Process p = start(java("org.apache.spark.deploy.worker.Worker", "512m", List.of("--host", "127.0.0.1",
        "--cores", String.valueOf(settings.workerCores()), "--memory", settings.workerMemory(), "--work-dir",
        dir.toString(), "--webui-port", String.valueOf(freePort()), master), log));
    workers.add(p);
    waitFor(log, "Successfully registered with master", 90);
    return w;
  }

  /** Kills worker {@code w} and its executors at once (SIGKILL), as when its machine goes down. */
  public void killWorker(int w) throws InterruptedException {
    Process p = workers.get(w);
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** The application folders on worker {@code w} so far (one per application that had an executor there). */
  public Set<String> applications(int w) throws IOException {
    try (Stream<Path> apps = Files.list(work.resolve("worker" + w))) {
      return apps.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  /** Lines with {@code text} in the logs of worker {@code w}'s executors of applications not in {@code before}. */
  public long executorLogLines(int w, Set<String> before, String text) throws IOException {
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

  /**
   * spark-submit (client mode: the driver in its own JVM) of one eels-unmix command through {@code SubmitMain},
   * started, not awaited; its output (stdout and stderr) goes to {@code log}.
   */
  public Process submit(Path log, List<String> conf, String... args) throws IOException {
    List<String> a = new ArrayList<>(List.of("--master", master, "--class", "org.eelsunmix.cli.SubmitMain",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.memory=" + settings.executorMemory(),
        "--conf", "spark.ui.showConsoleProgress=false", "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
        "--conf", "spark.executor.extraJavaOptions=-Djava.io.tmpdir=" + work.resolve("tmp")));
    for (String c : conf) {
      a.add("--conf");
      a.add(c);
    }
    a.add((settings.appJar() != null ? settings.appJar() : emptyJar()).toString());
    a.addAll(List.of(args));
    return start(java("org.apache.spark.deploy.SparkSubmit", settings.driverHeap(), a, log));
  }

  /** A jar with only a manifest, in the cluster's folder (spark-submit needs a primary jar). */
  private synchronized Path emptyJar() throws IOException {
    Path jar = work.resolve("empty-app.jar");
    if (!Files.exists(jar)) {
      java.util.jar.Manifest m = new java.util.jar.Manifest();
      m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
        out.flush();
      }
    }
    return jar;
  }

  /** Kills every process started here (descendants first) and deletes the folder; idempotent. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // this JVM is shutting down: the hook is running or ran
    }
  }

  private void stop() {
    List<Process> started;
    synchronized (this) {
      closed = true;
      started = List.copyOf(processes);
    }
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException | UncheckedIOException e) {
      // best effort: the folder is under the system temp folder
    }
  }
}
