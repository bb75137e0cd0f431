package org.eelsunmix.bench;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.eelsunmix.spark.ImageRows;
import org.eelsunmix.spark.PixelSchema;
import org.eelsunmix.spark.SpectrumColumn;
import org.eelsunmix.spark.ml.NmfEstimator;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * Seconds per iteration of the distributed NMF fit ({@link NmfEstimator}, coordinate descent, R = 3) on a synthetic
 * {@code co-ru-pt} cube (B = 200) cached in Spark. The fit is timed twice on the same cube, with {@code few} and
 * with {@code few + iterations} iterations and tol 0; the difference divided by {@code iterations} is the cost of
 * one iteration (one Spark job: the abundance step in every partition and the {@code treeAggregate} of WᵀW and
 * WᵀY), without the setup both fits share (reading the rows into blocks, the start). The random start is used so
 * that the setup stays short; an iteration costs the same from any start.
 *
 * <p>A plain wall-clock measurement after a warm-up fit, not JMH: use it for orders of magnitude and for how the
 * cost grows with the pixel count, on a quiet machine.
 */
public final class NmfIterationTiming {
  private NmfIterationTiming() {}

  /** Iterations of the shorter of the two timed fits. */
  static final int FEW = 2;

  /**
   * @param pixels pixels of the cube
   * @param partitions partitions it was spread over
   * @param iterations iterations that the two fits differ by
   * @param secondsPerIteration wall-clock seconds of one iteration
   * @param setupSeconds the rest of the shorter fit (reading the blocks, the start, the final residual)
   */
  public record Figure(long pixels, int partitions, int iterations, double secondsPerIteration,
      double setupSeconds) {}



  /**
   * Times one iteration on a cached {@code side × side} cube spread over {@code partitions}.
   *
   * @param iterations how many more iterations the longer fit runs (≥ 1)
   */
  public static Figure measure(SparkSession spark, int side, int partitions, int iterations) {
    if (side < 2 || partitions < 1 || iterations < 1) {
      throw new IllegalArgumentException("need side >= 2, partitions >= 1, iterations >= 1; got " + side + ", "
          + partitions + ", " + iterations);
    }
    Dataset<Row> df = SyntheticTable.cached(spark, SyntheticTable.coRuPt(side), partitions);
    try {
      NmfEstimator nmf = new NmfEstimator().setNumEndmembers(3).setInit("random").setTol(0).setSeed(1);
      nmf.setMaxIter(FEW).fit(df); // warm-up
      double few = seconds(nmf.setMaxIter(FEW), df);
      double many = seconds(nmf.setMaxIter(FEW + iterations), df);
      double perIteration = Math.max(0, many - few) / iterations;
      return new Figure((long) side * side, partitions, iterations, perIteration, few - FEW * perIteration);
    } finally {
      df.unpersist();
    }
  }

  private static double seconds(NmfEstimator nmf, Dataset<Row> df) {
    long t0 = System.nanoTime();
    nmf.fit(df);
    return (System.nanoTime() - t0) / 1e9;
  }
}
