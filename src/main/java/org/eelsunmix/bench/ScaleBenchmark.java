package org.eelsunmix.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ResultFiles;
import org.eelsunmix.spark.SeriesStore;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.DaeuEstimator;
import org.eelsunmix.spark.ml.NmfEstimator;
import org.eelsunmix.spark.ml.UnmixingEstimator;
import org.eelsunmix.spark.ml.UnmixingModel;
import org.eelsunmix.spark.ml.VcaFcls;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * How cost and the driver's memory grow with the data: a series of 64 × 64 co-ru-pt images (B = 200, R = 3) of a
 * given total pixel count is generated into a Parquet store on the executors, then read back and unmixed Parquet →
 * Parquet with VCA-FCLS (fit and abundances written) and NMF (a fixed number of iterations, abundances written), and
 * a DAEU trained once on the first image (short schedule, not timed) is applied Parquet → Parquet; each timed. Per
 * size it reports pixels per second per core and four figures of the driver JVM's heap: the pools' peak usage
 * (garbage included, so it follows the allocation rate), the largest live heap ({@link LiveHeap}: after full
 * collections, forced every {@link #HEAP_SAMPLE_SECONDS} s during the jobs and at the end of each phase), the largest
 * of those samples less the tasks' memory (in local mode the tasks run in the driver JVM), and the heap it keeps, less
 * the tasks' memory, after the size's last job: once while the size's tables are still referenced (Spark's listing of
 * a store's partitions and files, which grows with the number of acquisitions) and once after they are released. Cost should grow linearly and the live heap stay flat, since no job brings pixels
 * to the driver (in local mode the driver JVM also runs the tasks, whose working memory the live figure includes).
 */
public final class ScaleBenchmark {
  private ScaleBenchmark() {}

  /** Images of this side make up every series. */
  public static final int SIDE = 64;

  /** One size's figures. */
  public record Figures(long pixels, int cores, double generateSeconds, double vcaFclsSeconds, double nmfSeconds,
      int nmfIterations, double daeuApplySeconds, long driverPeakHeapBytes, long driverLiveHeapBytes,
      long driverOwnHeapBytes, long driverKeptWithTablesBytes, long driverRetainedHeapBytes) {
    public double perCore(double seconds) {
      return pixels / seconds / cores;
    }
  }

  /** Seconds between the full collections that sample the live heap during a size's jobs. */
  public static final double HEAP_SAMPLE_SECONDS = 5;

  /** Runs one size below {@code dir} (a folder on any Hadoop file system, replaced). */
  public static Figures run(SparkSession spark, long pixels, int nmfIterations, UnmixingModel<?> daeu,
      String dir) {
    int images = (int) Math.max(1, pixels / (SIDE * SIDE));
    SyntheticGenerator.Options o = SyntheticTable.coRuPt(SIDE).withSeed(1);
    int cores = spark.sparkContext().defaultParallelism();
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    LiveHeap live = new LiveHeap(ScaleBenchmark::taskMemory).every(HEAP_SAMPLE_SECONDS);
    double[] seconds = new double[4];
    long keptOpen = timedPhases(spark, images, o, nmfIterations, daeu, dir, live, seconds);
    live.close();
    // The size's tables are out of scope now: what the driver still holds is what a long-lived driver carries on.
    long retained = live.settled(2000);
    // What the kept heap is made of (pooled buffers, Spark's status store, our objects), for the reader of the row.
    System.err.printf("%d pixels: driver heap kept by class: %s%n", (long) images * SIDE * SIDE,
        LiveHeap.largestClasses(6));
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return new Figures((long) images * SIDE * SIDE, cores, seconds[0], seconds[1], seconds[2], nmfIterations,
        seconds[3], peak, live.max(), live.maxOwn(), keptOpen, retained);
  }

  /**
   * Generates, unmixes and applies one size, filling {@code seconds} (generate, VCA-FCLS, NMF, DAEU apply); returns
   * the heap kept after the last job while the store's {@code Dataset} is still referenced. Spark's file index of a
   * partitioned table lists every partition and file, so that figure grows with the number of acquisitions (≈ 1.5 kB
   * each), not with the pixels; once this method returns, it is garbage.
   */
  private static long timedPhases(SparkSession spark, int images, SyntheticGenerator.Options o, int nmfIterations,
      UnmixingModel<?> daeu, String dir, LiveHeap live, double[] seconds) {
    String store = dir + "/store";
    long t0 = System.nanoTime();
    Dataset<Row> raw = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(java.util.stream.IntStream.range(0, images).boxed().toList(), Math.max(1, Math.min(images,
            4 * spark.sparkContext().defaultParallelism()))).flatMap(r -> ImageRows.pixels(
                SyntheticGenerator.generate(o, r).image())), PixelSchema.PIXELS);
    SeriesStore.writePartitioned(raw.select(raw.col(PixelSchema.ACQUISITION_ID), raw.col(PixelSchema.X),
        raw.col(PixelSchema.Y), SpectrumColumn.withAxis(raw, PixelSchema.SPECTRUM, o.endmembers().axis())),
        store, spark);
    seconds[0] = (System.nanoTime() - t0) * 1e-9;
    live.sample();

    Dataset<Row> table = spark.read().parquet(store);
    Dataset<Row> input = table.select(table.col(PixelSchema.ACQUISITION_ID), table.col(PixelSchema.X),
        table.col(PixelSchema.Y), SpectrumColumn.withAxis(table, PixelSchema.SPECTRUM, o.endmembers().axis()));
    seconds[1] = unmix(spark, new VcaFcls().setNumEndmembers(3).setSeed(0), input, dir + "/vca-fcls");
    live.sample();
    seconds[2] = unmix(spark, new NmfEstimator().setNumEndmembers(3).setSeed(0).setTol(0)
        .setMaxIter(nmfIterations), input, dir + "/nmf");
    live.sample();
    long t1 = System.nanoTime();
    ResultFiles.writeAbundances(spark, daeu.transform(input), dir + "/daeu");
    seconds[3] = (System.nanoTime() - t1) * 1e-9;
    live.sample();
    return live.settled(2000);
  }

  /**
   * Bytes this JVM's tasks hold through Spark's memory manager now (execution pages and storage blocks; on-heap
   * mode, the default). Internal to Spark (private[spark], public in bytecode); pinned Spark 3.5.
   */
  static long taskMemory() {
    org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
    return env == null ? 0
        : env.memoryManager().executionMemoryUsed() + env.memoryManager().storageMemoryUsed();
  }

  /** A DAEU trained on the first 64 × 64 image of every series (one restart, 20 epochs: a model to apply). */
  public static UnmixingModel<?> trainDaeu(SparkSession spark) {
    SyntheticGenerator.Options o = SyntheticTable.coRuPt(SIDE).withSeed(1);
    Dataset<Row> first = SyntheticTable.cached(spark, o, 2);
    UnmixingModel<?> m = new DaeuEstimator().setNumEndmembers(3).setSeed(0).setRestarts(1).setEpochs(20)
        .fit(first);
    first.unpersist();
    return m;
  }

  /** Fit, transform and write the abundances; seconds. */
  private static double unmix(SparkSession spark, UnmixingEstimator<?, ?> e,
      Dataset<Row> input, String out) {
    long t0 = System.nanoTime();
    UnmixingModel<?> m = e.fit(input);
    ResultFiles.writeAbundances(spark, m.transform(input), out);
    return (System.nanoTime() - t0) * 1e-9;
  }

  /** The sizes of the issue: 4 096 … 16 777 216 pixels. */
  public static final List<Long> SIZES = List.of(4_096L, 40_960L, 409_600L, 4_194_304L, 16_777_216L);
}
