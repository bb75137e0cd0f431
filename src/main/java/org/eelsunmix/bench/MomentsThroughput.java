package org.eelsunmix.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import org.eelsunmix.linalg.VectorApi;
import org.eelsunmix.unmix.SpectralMoments;

/**
 * Thread CPU per pixel of {@link SpectralMoments#add(float[], int)}: the B × B scatter update that VCA's projection,
 * NMF's NNDSVD start, PCA and HySime accumulate in their first pass over the pixels (B²/2 multiply-adds a pixel, the
 * largest per-pixel cost of VCA-FCLS and NMF fits at 4 M pixels). The Vector API path and the scalar path side by
 * side, on the same Poisson-like spectra; their scatters are compared bit for bit before a figure is printed.
 *
 * <p>The pixels go through {@value #PARTITIONS} accumulators of uneven sizes, merged in order, as a Spark pass feeds
 * them: every partition ends in a partial block, the case that once made C2 throw the compiled vector kernel away at
 * each partition's end (a benchmark of whole blocks alone never saw it). The vector path's first round is printed
 * too: it includes the JIT's warm-up, which a short production pass pays.
 *
 * <p>{@code java -cp target/eels-unmix-*-all.jar --add-modules=jdk.incubator.vector
 * org.eelsunmix.bench.MomentsThroughput [channels ...]}; {@code bench} prints the same rows.
 */
public final class MomentsThroughput {
  /** Accumulators a round's pixels are split over (uneven sizes, each ending in a partial block). */
  static final int PARTITIONS = 9;

  private MomentsThroughput() {}

  /** Microseconds of thread CPU per pixel, best of {@code rounds}, for the vector ({@code scalar = false}) path. */
  public static double microsPerPixel(int channels, int pixels, boolean scalar, int rounds) {
    return rounds(channels, pixels, scalar, rounds)[1];
  }

  /** {@code {first round, best round}} in microseconds of thread CPU per pixel. */
  static double[] rounds(int channels, int pixels, boolean scalar, int rounds) {
    float[] y = spectra(channels, pixels);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double first = Double.NaN;
    double best = Double.POSITIVE_INFINITY;
    for (int round = 0; round < rounds; round++) {
      long t0 = threads.getCurrentThreadCpuTime();
      accumulate(y, channels, pixels, scalar);
      double micros = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / pixels;
      first = round == 0 ? micros : first;
      best = Math.min(best, micros);
    }
    return new double[] {first, best};
  }

  /** Both paths' scatters over the same spectra are bit-identical (the benchmark's own check). */
  public static boolean pathsAgree(int channels, int pixels) {
    float[] y = spectra(channels, pixels);
    double[] v = accumulate(y, channels, pixels, false).secondMoment();
    double[] s = accumulate(y, channels, pixels, true).secondMoment();
    for (int i = 0; i < v.length; i++) {
      if (Double.doubleToRawLongBits(v[i]) != Double.doubleToRawLongBits(s[i])) {
        return false;
      }
    }
    return true;
  }

  /** The pixels through {@link #PARTITIONS} accumulators merged in order; returns the merged one. */
  private static SpectralMoments accumulate(float[] y, int channels, int pixels, boolean scalar) {
    SpectralMoments all = null;
    int from = 0;
    for (int part = 0; part < PARTITIONS; part++) {
      // Uneven cuts: a partition's size is not a multiple of the block, nor of the group of four.
      int to = part == PARTITIONS - 1 ? pixels : Math.min(pixels, from + pixels / PARTITIONS + part % 4);
      SpectralMoments m = scalar ? SpectralMoments.scalar(channels) : new SpectralMoments(channels);
      for (int p = from; p < to; p++) {
        m.add(y, p * channels);
      }
      all = all == null ? m : all.merge(m); // merge folds both partial blocks in
      from = to;
    }
    all.secondMoment();
    return all;
  }

  /** Counts of a decaying background with noise, as an EELS spectrum's (whole numbers, so every product is exact). */
  private static float[] spectra(int channels, int pixels) {
    Random random = new Random(7);
    float[] y = new float[pixels * channels];
    for (int p = 0; p < pixels; p++) {
      for (int c = 0; c < channels; c++) {
        double mean = 400 * Math.exp(-3.0 * c / channels) + 20;
        y[p * channels + c] = (float) Math.max(0, Math.rint(mean + Math.sqrt(mean) * random.nextGaussian()));
      }
    }
    return y;
  }

  /** Prints one row per channel count. */
  public static void main(String[] args) {
    int[] sizes = args.length == 0 ? new int[] {200, 903} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt)
        .toArray();
    for (int b : sizes) {
      System.out.println(row(b));
    }
  }

  /**
   * One printed row: both paths' µs per pixel (best round) and their ratio, then the vector path's first round (JIT
   * warm-up included), or the scalar path alone without the module.
   */
  public static String row(int channels) {
    int pixels = channels > 400 ? 2_000 : 20_000;
    double scalar = microsPerPixel(channels, pixels, true, 4);
    if (!VectorApi.ENABLED) {
      return String.format(java.util.Locale.ROOT, "%-28s %.2f µs per pixel (scalar; no jdk.incubator.vector in this "
          + "JVM)", "moments B=" + channels, scalar);
    }
    double[] vector = rounds(channels, pixels, false, 4);
    if (!pathsAgree(channels, 2 * 32 + 5)) {
      throw new IllegalStateException("the vector and scalar scatters differ at B = " + channels);
    }
    return String.format(java.util.Locale.ROOT, "%-28s %.2f µs per pixel vector, %.2f scalar (%.1fx; same bits); "
        + "first round %.2f", "moments B=" + channels, vector[1], scalar, scalar / vector[1], vector[0]);
  }
}
