package org.eelsunmix.bench;

import java.util.Random;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.unmix.Fcls;

/**
 * Single-core throughput of the FCLS kernel ({@link Fcls.Solver#solve(float[], int, double[])}), in pixels per
 * second, on synthetic data: random non-negative endmembers, pixels mixed from them with Dirichlet(1) abundances,
 * one pixel in five pushed outside the simplex (a negative abundance, so that the active set works), Gaussian
 * noise of 2 % of the mean signal.
 *
 * <p>A plain timing loop, not JMH: it warms the JIT up on the same pixels first, then times whole passes over the
 * pixel array until the requested wall time has passed. Use it for orders of magnitude and regressions, on a quiet
 * machine.
 *
 * <p>{@link #sparkTransform} times a model's Spark transform of a cached table the same way (best of several runs),
 * with the process CPU time, which a shared machine disturbs far less than the wall time; {@link #parquetApply} times
 * {@code apply}'s Parquet → Parquet work on a series store, the row and the columnar transform interleaved, with the
 * tasks' own CPU time.
 */
public final class FclsThroughput {

  private FclsThroughput() {
  }

  /**
   * Measures single-threaded FCLS solves.
   *
   * @param channels B
   * @param endmembers R (1 ≤ R ≤ B)
   * @param pixels number of distinct synthetic pixels, cycled through
   * @param seed random seed of the synthetic data
   * @param seconds approximate wall time of the timed part (the warm-up adds about half as much)
   * @return pixels solved per second
   */
  public static double pixelsPerSecond(int channels, int endmembers, int pixels, long seed, double seconds) {
    return pixelsPerSecond(channels, endmembers, pixels, seed, seconds, Mode.SOLVE);
  }

  /** What a timed pass does per pixel. */
  public enum Mode {
    /** The abundances only ({@link Fcls.Solver#solve(float[], int, double[])}). */
    SOLVE,
    /** Abundances and squared residual, one pixel at a time (solve, then {@link Fcls.Solver#residualSquared}). */
    SOLVE_AND_RESIDUAL,
    /** Abundances and squared residuals in blocks ({@link Fcls.Solver#solveBlock}: what the Spark transform runs). */
    BLOCK_WITH_RESIDUALS
  }

  /** As {@link #pixelsPerSecond}, for any {@link Mode}. */
  public static double pixelsPerSecond(int channels, int endmembers, int pixels, long seed, double seconds,
      Mode mode) {
    if (channels < 1 || endmembers < 1 || endmembers > channels || pixels < 1 || !(seconds > 0)) {
      throw new IllegalArgumentException(String.format(
          "need 1 <= endmembers <= channels, pixels >= 1, seconds > 0; got B=%d R=%d pixels=%d seconds=%s",
          channels, endmembers, pixels, channels, seconds));
    }
    double[][] m = new double[endmembers][channels];
    float[] data = syntheticPixels(m, pixels, seed);
    return time(seconds, pixels, new Fcls(m), data, mode);
  }

  /** Fills {@code m} with random endmembers and returns the pixels mixed from them. */
  private static float[] syntheticPixels(double[][] m, int pixels, long seed) {
    int endmembers = m.length;
    int channels = m[0].length;
    Random random = new Random(seed);
    for (double[] row : m) {
      for (int c = 0; c < channels; c++) {
        row[c] = random.nextDouble();
      }
    }
    float[] data = new float[pixels * channels];
    double[] a = new double[endmembers];
    for (int p = 0; p < pixels; p++) {
      double sum = 0;
      for (int r = 0; r < endmembers; r++) {
        a[r] = -Math.log(1 - random.nextDouble());
        sum += a[r];
      }
      for (int r = 0; r < endmembers; r++) {
        a[r] /= sum;
      }
      if (p % 5 == 0 && endmembers > 1) {
        // Outside the simplex: move weight 0.3 from one endmember to another, past zero.
        int from = random.nextInt(endmembers);
        int to = (from + 1) % endmembers;
        a[to] += a[from] + 0.3;
        a[from] = -0.3;
      }
      for (int c = 0; c < channels; c++) {
        double y = 0;
        for (int r = 0; r < endmembers; r++) {
          y += a[r] * m[r][c];
        }
        data[p * channels + c] = (float) (y + 0.01 * random.nextGaussian());
      }
    }
    return data;
  }

  private static double time(double seconds, int pixels, Fcls fcls, float[] data, Mode mode) {
    Fcls.Solver solver = fcls.newSolver();
    int channels = fcls.channels();
    double[] out = new double[pixels * fcls.endmemberCount()];
    double[] residuals = new double[pixels];
    double checksum = 0;
    long warmUpEnd = System.nanoTime() + (long) (seconds * 0.5e9);
    do {
      checksum += pass(solver, data, pixels, channels, out, residuals, mode);
    } while (System.nanoTime() < warmUpEnd);

    long solved = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      checksum += pass(solver, data, pixels, channels, out, residuals, mode);
      solved += pixels;
      now = System.nanoTime();
    } while (now < end);
    // Using the checksum keeps the JIT from discarding the solves.
    if (Double.isNaN(checksum)) {
      throw new IllegalStateException("FCLS returned NaN on finite data");
    }
    return solved / ((now - start) * 1e-9);
  }

  private static double pass(Fcls.Solver solver, float[] data, int pixels, int channels, double[] out,
      double[] residuals, Mode mode) {
    double s = 0;
    if (mode == Mode.BLOCK_WITH_RESIDUALS) {
      // Blocks of 256, as the Spark transform hands them over.
      for (int p = 0; p < pixels; p += 256) {
        int n = Math.min(256, pixels - p);
        solver.solveBlock(data, p * channels, n, out, residuals);
        s += out[0] + residuals[0];
      }
      return s;
    }
    for (int p = 0; p < pixels; p++) {
      solver.solve(data, p * channels, out);
      s += out[0];
      if (mode == Mode.SOLVE_AND_RESIDUAL) {
        s += solver.residualSquared(data, p * channels, out);
      }
    }
    return s;
  }

  /** A timed Spark transform: pixels, best wall seconds and the process CPU seconds of that run. */
  public record SparkFigure(long pixels, int cores, double wallSeconds, double cpuSeconds) {
    /** Pixels per second per core, from the wall time. */
    public double perCore() {
      return pixels / wallSeconds / cores;
    }

    /** Pixels per CPU second (what a core does when it gets the CPU: steadier than wall time on a shared machine). */
    public double perCpuSecond() {
      return pixels / cpuSeconds;
    }
  }

  /** Untimed transforms before {@link #sparkTransform} times any. */
  static final int WARM_UP_RUNS = 10;

  /**
   * Times {@code model.transform(table)} into Spark's no-op sink {@code runs} times, after {@value #WARM_UP_RUNS}
   * untimed runs, and keeps the fastest run, with the process CPU time it used (all threads: tasks, driver, GC, JIT).
   * Why so many untimed runs: a 512 × 512 transform takes about 0.15 s, and under the launcher's raised C2
   * thresholds Spark's per-row code is still being compiled after one run (best of 5 after one: 0.18 s; after ten:
   * 0.12–0.15 s, the level of a thirty-run series); a long {@code apply} runs at the compiled speed.
   */
  public static SparkFigure sparkTransform(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table,
      org.apache.spark.ml.Transformer model, long pixels, int runs) {
    int cores = table.sparkSession().sparkContext().defaultParallelism();
    double[] best = {Double.POSITIVE_INFINITY, Double.NaN};
    for (int i = 0; i < WARM_UP_RUNS + runs; i++) {
      double[] run = transformOnce(table, model);
      if (i >= WARM_UP_RUNS && run[0] < best[0]) {
        best = run;
      }
    }
    return new SparkFigure(pixels, cores, best[0], best[1]);
  }

  /** One transform into the no-op sink: its wall seconds and the process's CPU seconds (all threads). */
  private static double[] transformOnce(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table,
      org.apache.spark.ml.Transformer model) {
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long c0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    model.transform(table).write().format("noop").mode("overwrite").save();
    return new double[] {(System.nanoTime() - t0) * 1e-9, (os.getProcessCpuTime() - c0) * 1e-9};
  }

  /**
   * {@code transform SIDE RUNS [MASTER]}: every one of {@code runs} transforms of a cached {@code SIDE × SIDE}
   * co-ru-pt cube by a VCA-FCLS model fitted on it (R = 3, seed 1), one line each (wall, process CPU, pixels per
   * second per core), then the least and the median wall of the second half: the series behind
   * {@link #sparkTransform}'s figure, to see the JIT's warm-up and a shared machine's noise.
   */
  private static void transformSeries(int side, int runs, String master) {
    org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder().master(master)
        .appName("fcls-transform-bench").config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    int cores = spark.sparkContext().defaultParallelism();
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df =
        SyntheticTable.cached(spark, SyntheticTable.coRuPt(side), cores * 2);
    long n = df.count();
    org.apache.spark.ml.Transformer model = new org.eelsunmix.spark.ml.VcaFcls().setNumEndmembers(3).setSeed(1)
        .fit(df);
    double[] walls = new double[runs];
    for (int i = 0; i < runs; i++) {
      double[] run = transformOnce(df, model);
      walls[i] = run[0];
      System.out.printf("transform %d: wall %.3f s, process CPU %.2f s, %.2f M pixels/s per core%n", i + 1, run[0],
          run[1], n / run[0] / cores / 1e6);
    }
    double[] late = java.util.Arrays.copyOfRange(walls, runs / 2, runs);
    java.util.Arrays.sort(late);
    System.out.printf("last %d runs: least %.3f s (%.2f M pixels/s per core), median %.3f s (%d pixels, %d cores)%n",
        late.length, late[0], n / late[0] / cores / 1e6, late[late.length / 2], n, cores);
    spark.stop();
  }

  /**
   * {@code blocks B R}: FCLS with residuals over blocks of 256 pixels ({@link Fcls.Solver#solveBlock}, what the
   * Spark transform runs), 4 096 synthetic pixels a pass, 20 passes a round; the least thread-CPU nanoseconds a pixel
   * of 20 rounds after 5 (thread CPU is steadier than wall time on a shared machine).
   */
  private static void blockSeries(int channels, int endmembers) {
    double[][] m = new double[endmembers][channels];
    int pixels = 4096;
    float[] y = syntheticPixels(m, pixels, 42L);
    Fcls.Solver solver = new Fcls(m).newSolver();
    double[] a = new double[256 * endmembers];
    double[] residuals = new double[256];
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    double best = Double.POSITIVE_INFINITY;
    double sink = 0;
    for (int round = 0; round < 25; round++) {
      long c0 = threads.getCurrentThreadCpuTime();
      for (int pass = 0; pass < 20; pass++) {
        for (int o = 0; o < pixels; o += 256) {
          solver.solveBlock(y, o * channels, 256, a, residuals);
          sink += residuals[7];
        }
      }
      double ns = (threads.getCurrentThreadCpuTime() - c0) / (20.0 * pixels);
      if (round >= 5) {
        best = Math.min(best, ns);
      }
    }
    System.out.printf("FCLS blocks with residuals B=%d R=%d: %.1f ns a pixel (least thread CPU of 20 rounds; %s)%n",
        channels, endmembers, best, Double.isNaN(sink) ? "NaN seen" : "finite");
  }

  /**
   * One Parquet → Parquet {@code apply}: pixels, wall seconds, the process CPU seconds (all threads: tasks, driver,
   * JIT, GC) and the tasks' own CPU seconds (Spark's {@code executorCpuTime}: read, transform, write).
   */
  public record ApplyFigure(boolean columnar, long pixels, double wallSeconds, double cpuSeconds,
      double taskCpuSeconds) {
    /** Pixels per second of process CPU. */
    public double perCpuSecond() {
      return pixels / cpuSeconds;
    }

    /** Pixels per second of the tasks' CPU: what one busy core does. */
    public double perTaskCpuSecond() {
      return pixels / taskCpuSeconds;
    }
  }

  /** Sums the tasks' CPU time ({@code executorCpuTime}, ns) of a session. */
  private static final class TaskCpu extends org.apache.spark.scheduler.SparkListener {
    private final java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd t) {
      if (t.taskMetrics() != null) {
        nanos.addAndGet(t.taskMetrics().executorCpuTime());
      }
    }
  }

  /**
   * Times {@code apply}'s work on a series store ({@code ResultFiles.writeAbundances} of the model's transform of
   * {@code SeriesStore.pixels}, into {@code out}; {@code "noop"}: the transform alone, its output columns into Spark's
   * no-op sink), {@code runs} times each with the columnar path off and on
   * ({@link org.eelsunmix.spark.ml.VcaFclsModel#COLUMNAR_TRANSFORM}), interleaved so that both see the same load,
   * after one untimed run of each.
   */
  public static java.util.List<ApplyFigure> parquetApply(org.apache.spark.sql.SparkSession spark, String store,
      String modelPath, String out, int runs) throws java.util.concurrent.TimeoutException {
    return parquetApply(spark, store, modelPath, out, runs, new boolean[] {false, true});
  }

  /** As {@link #parquetApply(org.apache.spark.sql.SparkSession, String, String, String, int)}, for given paths. */
  public static java.util.List<ApplyFigure> parquetApply(org.apache.spark.sql.SparkSession spark, String store,
      String modelPath, String out, int runs, boolean[] paths) throws java.util.concurrent.TimeoutException {
    org.eelsunmix.spark.ml.UnmixingModel<?> model = org.eelsunmix.spark.ml.UnmixingModel.load(spark, modelPath);
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> pixels =
        new org.eelsunmix.spark.SeriesStore(spark, store).pixels(java.util.List.of());
    long n = pixels.count();
    TaskCpu tasks = new TaskCpu();
    spark.sparkContext().addSparkListener(tasks);
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    java.util.List<ApplyFigure> figures = new java.util.ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      for (boolean columnar : paths) {
        spark.conf().set(org.eelsunmix.spark.ml.VcaFclsModel.COLUMNAR_TRANSFORM, columnar);
        spark.sparkContext().listenerBus().waitUntilEmpty();
        long task0 = tasks.nanos.get();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        if (out.equals("noop")) { // the transform alone: apply's columns into Spark's no-op sink
          model.transform(pixels).select(PixelSchema.ACQUISITION_ID, PixelSchema.X, PixelSchema.Y,
              PixelSchema.ABUNDANCES_COL, PixelSchema.RMSE).write().format("noop").mode("overwrite").save();
        } else {
          org.eelsunmix.spark.ResultFiles.writeAbundances(spark, model.transform(pixels), out);
        }
        double wall = (System.nanoTime() - t0) * 1e-9;
        double cpu = (os.getProcessCpuTime() - c0) * 1e-9;
        spark.sparkContext().listenerBus().waitUntilEmpty();
        double taskCpu = (tasks.nanos.get() - task0) * 1e-9;
        if (i > 0) {
          figures.add(new ApplyFigure(columnar, n, wall, cpu, taskCpu));
        }
      }
    }
    spark.conf().unset(org.eelsunmix.spark.ml.VcaFclsModel.COLUMNAR_TRANSFORM);
    spark.sparkContext().removeSparkListener(tasks);
    return figures;
  }

  /**
   * The tasks' CPU seconds of reading a store's spectra as the columnar transform reads them, without solving: the
   * Parquet scan's column batches of the {@code spectrum} column, each block of 256 rows taken as one {@code float[]}
   * ({@link org.eelsunmix.spark.PixelRows#spectra}, checks included). One figure per run, after one untimed run.
   */
  public static double[] spectraRead(org.apache.spark.sql.SparkSession spark, String store, int runs)
      throws java.util.concurrent.TimeoutException {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> spectra = spark.read()
        .schema(PixelSchema.PIXELS).parquet(new org.apache.hadoop.fs.Path(store, "pixels").toString())
        .select(PixelSchema.SPECTRUM);
    int channels = ((org.apache.spark.sql.Row) spectra.first()).getList(0).size();
    org.eelsunmix.spark.PixelRows pixels = new org.eelsunmix.spark.PixelRows(spectra.schema(), PixelSchema.SPECTRUM,
        channels, true, store);
    org.apache.spark.sql.execution.SparkPlan scan = spectra.queryExecution().executedPlan().collectLeaves().head();
    if (!scan.supportsColumnar()) {
      throw new IllegalStateException("the scan of " + store + " is not columnar: " + scan.nodeName());
    }
    return taskSeconds(spark, runs, () -> scan.executeColumnar().toJavaRDD().foreachPartition(batches -> {
      float[] buffer = new float[256 * channels];
      while (batches.hasNext()) {
        org.apache.spark.sql.vectorized.ColumnarBatch batch = batches.next();
        for (int from = 0; from < batch.numRows(); from += 256) {
          pixels.spectra(batch, from, Math.min(256, batch.numRows() - from), buffer);
        }
      }
    }));
  }

  /**
   * As {@link #spectraRead}, through the page reader ({@link org.eelsunmix.spark.pages.StoreScan#fold}: Spark's scan
   * partitions of the store's pixels, each read by {@link org.eelsunmix.spark.pages.SpectrumPages} in chunks of 256
   * checked spectra with their addresses), in the tasks' CPU seconds of each run after one untimed run.
   */
  public static double[] pagesRead(org.apache.spark.sql.SparkSession spark, String store, int runs)
      throws java.util.concurrent.TimeoutException {
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> pixels =
        new org.eelsunmix.spark.SeriesStore(spark, store).pixels(java.util.List.of());
    int channels = ((org.apache.spark.sql.Row) pixels.select(PixelSchema.SPECTRUM).first()).getList(0).size();
    org.eelsunmix.spark.PixelRows rows = new org.eelsunmix.spark.PixelRows(pixels.schema(), PixelSchema.SPECTRUM,
        channels, true, store);
    org.eelsunmix.spark.pages.StoreScan scan = org.eelsunmix.spark.pages.StoreScan.of(pixels, PixelSchema.SPECTRUM)
        .orElseThrow(() -> new IllegalStateException("the page reader cannot read " + store));
    org.apache.spark.api.java.JavaSparkContext sc =
        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
    return taskSeconds(spark, runs, () -> scan.fold(sc, rows, () -> new double[1],
        (double[] acc, float[] chunk, org.eelsunmix.core.PixelKey[] keys, int n) -> acc[0] += chunk[0] + n)
        .count());
  }

  /** The tasks' CPU seconds of each of {@code runs} runs of {@code jobs}, after one untimed run. */
  static double[] taskSeconds(org.apache.spark.sql.SparkSession spark, int runs, Runnable jobs)
      throws java.util.concurrent.TimeoutException {
    TaskCpu tasks = new TaskCpu();
    spark.sparkContext().addSparkListener(tasks);
    double[] seconds = new double[runs];
    for (int i = 0; i <= runs; i++) {
      spark.sparkContext().listenerBus().waitUntilEmpty();
      long t0 = tasks.nanos.get();
      jobs.run();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      if (i > 0) {
        seconds[i - 1] = (tasks.nanos.get() - t0) * 1e-9;
      }
    }
    spark.sparkContext().removeSparkListener(tasks);
    return seconds;
  }

  /**
   * Prints the throughput at B = 200, R = 3 and B = 903, R = 4, in every {@link Mode} (optional argument: seconds per
   * figure). With {@code apply STORE MODEL OUT RUNS [MASTER [rows|columnar]]}: {@link #parquetApply} on an embedded
   * session (default {@code local[*]}, both paths), one line per run. With {@code read STORE RUNS [MASTER]}:
   * {@link #spectraRead}, in nanoseconds of task CPU per spectrum value; {@code read STORE RUNS MASTER pages}: the
   * same through the page reader ({@link #pagesRead}). {@code transform SIDE RUNS [MASTER]}: {@link #transformSeries};
   * {@code blocks B R}: {@link #blockSeries}.
   */
  public static void main(String[] args) throws java.util.concurrent.TimeoutException {
    if (args.length >= 3 && args[0].equals("transform")) {
      transformSeries(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args.length > 3 ? args[3] : "local[2]");
      return;
    }
    if (args.length == 3 && args[0].equals("blocks")) {
      blockSeries(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args.length >= 3 && args[0].equals("read")) {
      org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder()
          .master(args.length > 3 ? args[3] : "local[*]").appName("spectra-read-bench")
          .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      long values = spark.read().schema(PixelSchema.PIXELS).parquet(args[1] + "/pixels")
          .selectExpr("sum(size(spectrum))").first().getLong(0);
      boolean pages = args.length > 4 && args[4].equals("pages");
      for (double t : pages ? pagesRead(spark, args[1], Integer.parseInt(args[2]))
          : spectraRead(spark, args[1], Integer.parseInt(args[2]))) {
        System.out.printf((pages ? "pages " : "") + "read %s: tasks' CPU %.3f s, %.2f ns per value (%d values)%n", args[1], t, t * 1e9 / values,
            values);
      }
      spark.stop();
      return;
    }
    if (args.length >= 4 && args[0].equals("apply")) {
      org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder()
          .master(args.length > 5 ? args[5] : "local[*]").appName("fcls-apply-bench")
          .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.parquet.compression.codec", "zstd").getOrCreate(); // as conf/spark-defaults.conf
      spark.sparkContext().setLogLevel("WARN");
      int cores = spark.sparkContext().defaultParallelism();
      boolean[] paths = args.length > 6 ? new boolean[] {args[6].equals("columnar")} : new boolean[] {false, true};
      for (ApplyFigure f : parquetApply(spark, args[1], args[2], args[3], Integer.parseInt(args[4]), paths)) {
        System.out.printf("apply %-8s %d pixels: wall %.2f s (%.2f M pixels/s per core, %d cores), process CPU %.2f s "
            + "(%.2f M pixels per CPU s), tasks' CPU %.2f s (%.2f M pixels per task CPU s)%n",
            f.columnar() ? "columnar" : "rows", f.pixels(), f.wallSeconds(), f.pixels() / f.wallSeconds() / cores / 1e6,
            cores, f.cpuSeconds(), f.perCpuSecond() / 1e6, f.taskCpuSeconds(), f.perTaskCpuSecond() / 1e6);
      }
      spark.stop();
      return;
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    int[][] settings = {{200, 3}, {903, 4}};
    for (int[] s : settings) {
      for (Mode mode : Mode.values()) {
        double rate = pixelsPerSecond(s[0], s[1], 20_000, 42L, seconds, mode);
        System.out.printf("FCLS B=%d R=%d %s: %.2f million pixels/s on one core%n", s[0], s[1], mode, rate / 1e6);
      }
    }
  }
}
