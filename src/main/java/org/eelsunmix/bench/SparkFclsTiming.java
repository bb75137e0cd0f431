package org.eelsunmix.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.ml.VcaFcls;
import org.eelsunmix.spark.ml.VcaFclsModel;

/**
 * The distributed VCA-FCLS path on a cached {@code side × side} co-ru-pt cube ({@link SyntheticTable#cached}): the
 * VCA fit's seconds (after one untimed fit) and the FCLS transform's throughput ({@link
 * FclsThroughput#sparkTransform}, best of five after ten untimed runs). {@code bench --spark-size} and {@code bench --all} print it.
 */
public final class SparkFclsTiming {
  private SparkFclsTiming() {}

  /**
   * The figures.
   *
   * @param fitSeconds one VCA fit on the cached table
   * @param transform the transform's best run
   */
  public record Figure(long pixels, int cores, double fitSeconds, FclsThroughput.SparkFigure transform) {}

  /** Caches the cube, times the fit and the transform, and unpersists the cube. */
  public static Figure measure(SparkSession spark, int side) {
    int cores = spark.sparkContext().defaultParallelism();
    spark.sparkContext().setJobDescription("bench: caching a " + side + "x" + side + " cube");
    Dataset<Row> df = SyntheticTable.cached(spark, SyntheticTable.coRuPt(side), cores * 2);
    try {
      long n = df.count();
      spark.sparkContext().setJobDescription("bench: Spark VCA-FCLS");
      VcaFcls vca = new VcaFcls().setNumEndmembers(3).setSeed(1);
      vca.fit(df); // warm-up
      long t0 = System.nanoTime();
      VcaFclsModel model = vca.fit(df);
      double fit = (System.nanoTime() - t0) / 1e9;
      return new Figure(n, cores, fit, FclsThroughput.sparkTransform(df, model, n, 5));
    } finally {
      df.unpersist();
      spark.sparkContext().setJobDescription(null);
    }
  }
}
