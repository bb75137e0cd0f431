package org.eelsunmix.spark.nightly;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.eelsunmix.spark.AtomicOutput;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.ml.KernelBroadcasts;
import org.eelsunmix.spark.ml.UnmixingModel;

/**
 * One saved model applied to a whole series, acquisition by acquisition: each acquisition is its own Spark job that
 * reads only its partition of the pixel table (partition pruning), applies the model and commits its abundances
 * atomically as {@code <out>/abundances/acquisition_id=<id>/} ({@link AtomicOutput#commit}), the layout of
 * {@code unmix}'s partitioned table. A crash leaves the acquisitions already done complete and nothing half written;
 * progress is counted in acquisitions. Up to {@code concurrency} jobs run at once from driver threads, so the
 * executors stay busy while a small acquisition commits (Spark schedules the concurrent jobs' tasks FIFO). The model
 * is shipped once for the series: the jobs run inside a {@link KernelBroadcasts} scope, so the first job broadcasts
 * the model's pixel kernel and every later one reuses that broadcast (each executor fetches and deserialises it
 * once); the jobs' task binaries carry only its handle. The autoencoders share their network the same way (one
 * broadcast of its bytes for the series; their kernel, only the handle and the endmembers, rides in each closure).
 */
public final class SeriesApply {
  private SeriesApply() {}

  /**
   * What a run did: acquisitions committed, the wall time, and how many distinct kernels were broadcast for the
   * transforms it ran (1 when the model's kernel was shipped once for the whole series).
   */
  public record Summary(int acquisitions, double seconds, int kernelBroadcasts) {
    public double perSecond() {
      return acquisitions / seconds;
    }
  }

  /**
   * @param pixels the pixel table of every acquisition in {@code ids} (axis on the spectrum column)
   * @param ids the acquisitions, each committed on its own
   * @param out the output folder; its {@code abundances/} receives one partition folder per acquisition
   * @param concurrency jobs in flight at once (≥ 1)
   * @param progress where "k/N acquisitions" lines go
   */
  public static Summary run(SparkSession spark, UnmixingModel<?> model, Dataset<Row> pixels, List<String> ids,
      String out, int concurrency, PrintStream progress) throws InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try (KernelBroadcasts.Scope shipping = KernelBroadcasts.open(spark)) {
      // Transformed per acquisition, after the filter: a model's transform is an RDD step, so a filter above it
      // would not reach the Parquet scan and every job would read the whole store. Only the result columns
      // (UnmixingModel.results): FCLS and NMF then read the acquisition's spectra from the Parquet pages.
      // The result columns but the acquisition (the folder's name), as the model gives them.
      List<Column> columns = new ArrayList<>();
      for (String c : model.results(pixels.limit(0)).columns()) {
        if (!c.equals(PixelSchema.ACQUISITION_ID)) {
          columns.add(functions.col(c));
        }
      }
      Column[] kept = columns.toArray(new Column[0]);
      AtomicInteger done = new AtomicInteger();
      int step = Math.max(1, ids.size() / 20);
      long start = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      try {
        List<Future<?>> jobs = new ArrayList<>();
        for (String id : ids) {
          jobs.add(pool.submit(() -> {
            spark.sparkContext().setJobDescription("apply: " + id);
            // One task per acquisition: its rows are one partition folder, usually one file.
            Dataset<Row> one = model.results(pixels.where(functions.col(PixelSchema.ACQUISITION_ID).equalTo(id)))
                .select(kept).coalesce(1);
            AtomicOutput.commit(conf, out + "/abundances/" + PixelSchema.ACQUISITION_ID + "=" + id, true,
                tmp -> one.write().parquet(tmp));
            int k = done.incrementAndGet();
            if (k % step == 0 || k == ids.size()) {
              double s = (System.nanoTime() - start) * 1e-9;
              progress.printf("%d/%d acquisitions applied (%.1f/s)%n", k, ids.size(), k / s);
            }
            return null;
          }));
        }
        for (Future<?> f : jobs) {
          f.get();
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(cause.getMessage(), cause);
      } finally {
        pool.shutdownNow(); // before the scope closes and frees the broadcast
      }
      progress.printf("model shipped in %d broadcast(s) for %d transforms%n", shipping.broadcasts(),
          shipping.requests());
      return new Summary(done.get(), (System.nanoTime() - start) * 1e-9, shipping.broadcasts());
    }
  }
}
