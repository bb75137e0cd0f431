package org.eelsunmix.cli;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.eelsunmix.bench.FclsThroughput;
import org.eelsunmix.bench.IcaTiming;
import org.eelsunmix.bench.SyntheticTable;
import org.eelsunmix.spark.ml.VcaFcls;
import org.eelsunmix.spark.ml.VcaFclsModel;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.eelsunmix.unmix.UnmixingMethod;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench}: prints the spine's speed figures, single-threaded (per core), after a JIT warm-up: FCLS pixels/s at
 * B = 200, R = 3 and B = 903, R = 4, and VCA-FCLS seconds (median of several runs) for one 64×64 cube of each
 * built-in set: the kernels every distributed path calls. With {@code --spark-size N} it also times the
 * distributed path on an N×N co-ru-pt cube cached in Spark: the VCA fit and the FCLS transform (pixels/s over all
 * executor cores, and per core).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure FCLS throughput and VCA-FCLS time per cube (single core).")
final class BenchCommand extends SparkCommand {
  @Option(names = "--seconds", defaultValue = "3", description = "timed seconds per FCLS figure (default 3)")
  double seconds;

  @Option(names = "--runs", defaultValue = "5", description = "timed VCA-FCLS runs per set (default 5)")
  int runs;

  @Option(names = "--spark-size", defaultValue = "0", description = "also time the Spark path on an N x N cube "
      + "(0 = skip, default)")
  int sparkSize;

  @Option(names = "--ica", description = "also time the distributed FastICA fit (R = 3, B = 200) on 64x64 and "
      + "640x640 cubes (4 096 and 409 600 pixels)")
  boolean ica;

  @Override
  public Integer call() {
    System.out.printf("%-28s %s%n", "benchmark (one core)", "result");
    for (int[] s : new int[][] {{200, 3}, {903, 4}}) {
      double rate = FclsThroughput.pixelsPerSecond(s[0], s[1], 20_000, 42L, seconds);
      System.out.printf("%-28s %.2f million pixels/s%n", "FCLS B=" + s[0] + " R=" + s[1], rate / 1e6);
    }
    for (String set : new String[] {"co-ru-pt", "k-edges"}) {
      SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      int r = cube.truthEndmembers().count();
      UnmixingMethod.VCA_FCLS.unmix(cube.image(), r, 1); // warm-up
      double[] t = new double[Math.max(1, runs)];
      for (int i = 0; i < t.length; i++) {
        long t0 = System.nanoTime();
        UnmixingMethod.VCA_FCLS.unmix(cube.image(), r, 1);
        t[i] = (System.nanoTime() - t0) / 1e9;
      }
      Arrays.sort(t);
      System.out.printf("%-28s %.3f s (median of %d; min %.3f s)%n", "VCA-FCLS 64x64 " + set + " (B="
          + cube.image().channels() + ")", t[t.length / 2], t.length, t[0]);
    }
    if (sparkSize > 0) {
      benchSpark();
    }
    if (ica) {
      for (int side : new int[] {64, 640}) {
        describe("bench: Spark FastICA " + side + "x" + side);
        IcaTiming.Result r = IcaTiming.time(spark(), side, 3, side < 256 ? 3 : 1);
        System.out.printf("%-28s %.2f s per fit (%d pixels, %d iterations%s, %d cores)%n", "Spark ICA " + side + "x"
            + side, r.seconds(), r.pixels(), r.iterations(), r.converged() ? "" : ", not converged", r.cores());
      }
    }
    return 0;
  }

  private void benchSpark() {
    SparkSession spark = spark();
    int cores = spark.sparkContext().defaultParallelism();
    Dataset<Row> df = SyntheticTable.coRuPt(spark, sparkSize);
    describe("bench: caching a " + sparkSize + "x" + sparkSize + " cube");
    long n = df.count();
    describe("bench: Spark VCA-FCLS");
    VcaFcls vca = new VcaFcls().setNumEndmembers(3).setSeed(1);
    vca.fit(df); // warm-up
    long t0 = System.nanoTime();
    VcaFclsModel model = vca.fit(df);
    double fit = (System.nanoTime() - t0) / 1e9;
    model.transform(df).write().format("noop").mode("overwrite").save();
    t0 = System.nanoTime();
    model.transform(df).write().format("noop").mode("overwrite").save();
    double transform = (System.nanoTime() - t0) / 1e9;
    System.out.printf("%-28s %.2f s for %d pixels on %d cores%n", "Spark VCA fit (cached)", fit, n, cores);
    System.out.printf("%-28s %.2f million pixels/s (%.2f per core)%n", "Spark FCLS transform", n / transform / 1e6,
        n / transform / 1e6 / cores);
    df.unpersist();
  }
}
