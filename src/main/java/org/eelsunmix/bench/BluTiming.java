package org.eelsunmix.bench;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.spark.ml.BluEstimator;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.Blu;

/**
 * Wall time of one BLU fit with the authors' schedule (100 sweeps, 33 burn-in) on a 64×64 cube of a built-in set
 * (default dose): in memory ({@link Blu#fit}, one thread) and on Spark ({@link BluEstimator} over the cube cached in
 * {@code 2 × cores} partitions: one job per sweep). One run each after a shorter warm-up fit.
 */
public final class BluTiming {
  private BluTiming() {}

  /**
   * @param inMemorySeconds one in-memory fit
   * @param sparkSeconds one distributed fit
   * @param cores Spark's default parallelism
   */
  public record Result(double inMemorySeconds, double sparkSeconds, int cores) {}

  public static Result time(SparkSession spark, String set) {
    SyntheticGenerator.Options o = SyntheticGenerator.Options.builtin(set);
    SyntheticCube cube = SyntheticGenerator.generate(o, 0);
    int r = cube.truthEndmembers().count();
    Blu.fit(cube.image(), new Blu.Options(r, 1, 10, 3, 1)); // warm-up
    long t0 = System.nanoTime();
    Blu.fit(cube.image(), new Blu.Options(r, 1));
    double memory = (System.nanoTime() - t0) / 1e9;
    int cores = spark.sparkContext().defaultParallelism();
    Dataset<Row> df = SyntheticTable.cached(spark, o, cores * 2);
    try {
      new BluEstimator().setNumEndmembers(r).setSeed(1).setSweeps(10).setBurnIn(3).fit(df); // warm-up
      long t1 = System.nanoTime();
      new BluEstimator().setNumEndmembers(r).setSeed(1).fit(df);
      return new Result(memory, (System.nanoTime() - t1) / 1e9, cores);
    } finally {
      df.unpersist();
    }
  }
}
