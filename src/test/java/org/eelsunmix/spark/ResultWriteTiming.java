package org.eelsunmix.spark;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The abundances table's write alone, under writer options to compare (a measurement, not a test): an abundances
 * table already written is read once into Spark's cache, then written again by Spark's writer
 * ({@link SeriesStore#writePartitioned} with {@link ResultFiles#RESULT_ENCODINGS}) and by {@link AbundanceTable}
 * (our pages), interleaved, reporting the
 * tasks' CPU time (Spark's {@code executorCpuTime}; the cached scan is the same in every variant) and the bytes
 * written.
 *
 * <p>{@code java $OPENS -cp target/test-classes:target/eels-unmix-*-all.jar org.eelsunmix.spark.ResultWriteTiming
 * ABUNDANCES_DIR OUT_DIR ROUNDS}
 */
public final class ResultWriteTiming {
  private ResultWriteTiming() {}

  public static void main(String[] args) throws Exception {
    String in = args[0];
    String out = args[1];
    int rounds = Integer.parseInt(args[2]);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("result-write-timing")
        .config("spark.ui.enabled", "false").config("spark.sql.parquet.compression.codec", "zstd")
        .config(new HashMap<String, Object>(SessionDefaults.SETTINGS)).getOrCreate();
    AtomicLong cpu = new AtomicLong();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
          cpu.addAndGet(end.taskMetrics().executorCpuTime());
        }
      }
    });
    Dataset<Row> table = spark.read().schema(PixelSchema.ABUNDANCES).parquet(in)
        .selectExpr(PixelSchema.ABUNDANCES.fieldNames()).cache(); // the partition column back in first place
    System.out.println(table.count() + " rows cached");
    // null: AbundanceTable (our pages); otherwise Spark's writer with these options beside RESULT_ENCODINGS
    Map<String, Map<String, String>> variants = new LinkedHashMap<>();
    variants.put("Spark's writer", Map.of());
    variants.put("AbundanceTable", null);
    Map<String, Double> best = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Map<String, String>> v : variants.entrySet()) {
        String dir = out + "/" + v.getKey().replaceAll("[^a-z0-9]", "_");
        spark.sparkContext().listenerBus().waitUntilEmpty();
        cpu.set(0);
        long t0 = System.nanoTime();
        if (v.getValue() == null) {
          AbundanceTable.write(spark, table, dir);
        } else {
          Map<String, String> options = new HashMap<>(ResultFiles.RESULT_ENCODINGS);
          options.putAll(v.getValue());
          SeriesStore.writePartitioned(table, dir, spark, options);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        spark.sparkContext().listenerBus().waitUntilEmpty();
        double seconds = cpu.get() / 1e9;
        best.merge(v.getKey(), seconds, Math::min);
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        long bytes = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getContentSummary(p).getLength();
        System.out.printf("round %d %-18s tasks' CPU %6.2f s, wall %6.2f s, %6.1f MB%n", r, v.getKey(), seconds, wall,
            bytes / 1e6);
      }
    }
    best.forEach((k, v) -> System.out.printf("best %-18s %6.2f s%n", k, v));
    spark.stop();
  }
}
