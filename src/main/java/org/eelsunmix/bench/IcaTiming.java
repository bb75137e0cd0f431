package org.eelsunmix.bench;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.ml.Ica;
import org.eelsunmix.spark.ml.IcaModel;

/**
 * Wall time of one distributed pixel-domain FastICA fit ({@link Ica}, {@code domain = pixels}) on a synthetic
 * {@code co-ru-pt} cube (B = 200) of {@code side × side} pixels cached in Spark: the moments aggregation, the
 * whitening pass and every iteration's aggregation, as {@code unmix --method ica --ica-domain pixels} runs them (the
 * default factor domain is the moments aggregation alone plus driver work). A plain timing loop after one warm-up fit; the median of the
 * timed runs is reported with the iterations they took (a component along which the data are Gaussian noise can
 * run to the cap of 200).
 */
public final class IcaTiming {
  private IcaTiming() {}

  /**
   * @param seconds median wall time of one fit
   * @param pixels pixels in the cube
   * @param iterations FastICA iterations of the last fit
   * @param converged whether the last fit converged
   * @param cores Spark's default parallelism
   */
  public record Result(double seconds, long pixels, int iterations, boolean converged, int cores) {}

  /** Times {@code runs} fits of {@code components} components with seed 1 on a {@code side × side} cube. */
  public static Result time(SparkSession spark, int side, int components, int runs) {
    if (side < 1 || components < 1 || runs < 1) {
      throw new IllegalArgumentException("need side, components and runs >= 1, got " + side + ", " + components
          + ", " + runs);
    }
    int cores = spark.sparkContext().defaultParallelism();
    Dataset<Row> df = SyntheticTable.cached(spark, SyntheticTable.coRuPt(side), cores * 2);
    try {
      long n = df.count();
      Ica ica = new Ica().setNumEndmembers(components).setSeed(1).setDomain(Ica.PIXELS);
      IcaModel model = ica.fit(df); // warm-up
      double[] t = new double[runs];
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        model = ica.fit(df);
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(t);
      return new Result(t[runs / 2], n, model.components().iterations(), model.components().converged(), cores);
    } finally {
      df.unpersist();
    }
  }
}
