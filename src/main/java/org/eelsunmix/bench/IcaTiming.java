package org.eelsunmix.bench;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.Ica;
import org.eelsunmix.spark.ml.IcaModel;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * Wall time of one distributed FastICA fit ({@link Ica}) on a synthetic {@code co-ru-pt} cube (B = 200) of
 * {@code side × side} pixels cached in Spark: the moments aggregation, the whitening pass and every iteration's
 * aggregation, as {@code unmix --method ica} runs them. A plain timing loop after one warm-up fit; the median of the
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
    SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin("co-ru-pt").withSize(side)
        .withBlock(side % 8 == 0 ? 8 : 1).withFilter(Math.min(9, side | 1));
    int cores = spark.sparkContext().defaultParallelism();
    // Generated in a task (as `generate` does), so the query plan does not carry the pixels.
    Dataset<Row> raw = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(List.of(0), 1).flatMap(r -> ImageRows.pixels(SyntheticGenerator.generate(o, r).image())),
        PixelSchema.PIXELS).repartition(cores * 2);
    Dataset<Row> df = raw.select(raw.col("acquisition_id"), raw.col("x"), raw.col("y"),
        SpectrumColumn.withAxis(raw, "spectrum", o.endmembers().axis())).persist(StorageLevel.MEMORY_ONLY());
    try {
      long n = df.count();
      Ica ica = new Ica().setNumEndmembers(components).setSeed(1);
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
