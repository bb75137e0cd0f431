package org.eelsunmix.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.spark.standalone.LocalStandaloneCluster;

/**
 * {@code bench --scale --scale-master standalone}: the scale benchmark ({@link ScaleBenchmark}) with its driver in
 * its own JVM on a real standalone cluster. A master and {@code workers} one-core workers are started on 127.0.0.1
 * from the project's self-contained jar ({@link LocalStandaloneCluster}, the cluster tests' launcher; the jar is
 * the executors' class path, so they do not fetch its 400 MB from the driver); the same
 * {@code bench --scale} is spark-submitted to it in client mode, its output relayed line by line, so the table has
 * the same columns as on {@code local[2]}; then every process is killed and the cluster's folder (the tables too,
 * unless {@code --scale-dir} put them elsewhere) deleted, on failure too.
 *
 * <p>Memory is bounded whatever the size: each executor gets {@code executorMemory} (the iterative fits cache
 * with {@code MEMORY_AND_DISK}, so blocks beyond it go to the executor's disk), the driver 1 GB of heap.
 */
public final class StandaloneScale {
  private StandaloneScale() {}

  /**
   * Heap of the driver's JVM: far above what it keeps (43–47 MiB measured up to 409 600 pixels), so a growing driver
   * would show, not fail.
   */
  public static final String DRIVER_HEAP = "1g";

  /**
   * Runs the sizes on a fresh cluster; returns the driver's exit code.
   *
   * @param appJar the packaged self-contained jar this JVM runs from (classes and Spark for every JVM)
   * @param benchArgs the driver's command line ({@code bench --scale ...}) without {@code --scale-dir}
   * @param scaleDir where the tables go (null: inside the cluster's folder, deleted at the end)
   * @param conf extra {@code --conf key=value} settings of the submit
   */
  public static int run(Path appJar, List<String> benchArgs, String scaleDir, int workers, String executorMemory,
      List<String> conf, PrintStream out) throws IOException, InterruptedException {
    if (appJar == null || !appJar.toString().endsWith(".jar") || !Files.isRegularFile(appJar)) {
      throw new BadInputException("--scale-master", "standalone starts the cluster from the packaged jar, but this "
          + "JVM runs from " + appJar + ": build it (mvn -B package -DskipTests) and run jobs/eels-unmix");
    }
    if (workers < 1) {
      throw new BadInputException("--scale-workers", "must be >= 1, got " + workers);
    }
    Path log4j = Path.of(System.getenv().getOrDefault("EELS_UNMIX_CONF_DIR", "conf"), "log4j2.properties");
    LocalStandaloneCluster.Settings settings = new LocalStandaloneCluster.Settings(
        List.of(appJar), null, LocalStandaloneCluster.manifestOpens(appJar),
        Files.isRegularFile(log4j) ? log4j : null, 1, executorMemory, executorMemory, DRIVER_HEAP);
    out.printf("starting a standalone master and %d one-core workers on 127.0.0.1 (executors %s, driver -Xmx%s)%n",
        workers, executorMemory, DRIVER_HEAP);
    try (LocalStandaloneCluster cluster = new LocalStandaloneCluster(workers, settings)) {
      List<String> args = new ArrayList<>(benchArgs);
      args.add("--scale-dir");
      args.add(scaleDir != null ? scaleDir : cluster.work().resolve("tables").toUri().toString());
      Path log = cluster.work().resolve("driver.log");
      Process driver = cluster.submit(log, conf, args.toArray(new String[0]));
      relay(driver, log, out);
      return driver.exitValue();
    }
  }

  /** Copies {@code log}'s lines to {@code out} as they are written, until the process has ended and all is read. */
  private static void relay(Process p, Path log, PrintStream out) throws IOException, InterruptedException {
    long pos = 0;
    StringBuilder line = new StringBuilder();
    while (true) {
      boolean ended = p.waitFor(500, TimeUnit.MILLISECONDS);
      long size = Files.exists(log) ? Files.size(log) : 0;
      if (size > pos) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
          f.seek(pos);
          byte[] buf = new byte[(int) Math.min(1 << 20, size - pos)];
          f.readFully(buf);
          pos += buf.length;
          line.append(new String(buf, StandardCharsets.UTF_8));
        }
        for (int nl = line.indexOf("\n"); nl >= 0; nl = line.indexOf("\n")) {
          String text = line.substring(0, nl);
          out.println(text.substring(text.lastIndexOf('\r') + 1)); // a progress line: what a terminal shows last
          line.delete(0, nl + 1);
        }
      } else if (ended) {
        break;
      }
    }
    if (line.length() > 0) {
      out.println(line);
    }
  }
}
