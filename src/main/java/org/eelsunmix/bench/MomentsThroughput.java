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
 * The Vector API path is this machine's kernel ({@link SpectralMoments.Kernel#preferred()}); the other vector kernel's
 * figure is printed beside it, so a machine shows what the choice is worth on it.
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

  /** Microseconds of thread CPU per pixel, best of {@code rounds}, on the given kernel. */
  public static double microsPerPixel(int channels, int pixels, SpectralMoments.Kernel kernel, int rounds) {
    return rounds(channels, pixels, kernel, rounds)[1];
  }

  /** {@code {first round, best round}} in microseconds of thread CPU per pixel. */
  static double[] rounds(int channels, int pixels, SpectralMoments.Kernel kernel, int rounds) {
    float[] y = spectra(channels, pixels);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double first = Double.NaN;
    double best = Double.POSITIVE_INFINITY;
    for (int round = 0; round < rounds; round++) {
      long t0 = threads.getCurrentThreadCpuTime();
      accumulate(y, channels, pixels, kernel);
      double micros = (threads.getCurrentThreadCpuTime() - t0) / 1e3 / pixels;
      first = round == 0 ? micros : first;
      best = Math.min(best, micros);
    }
    return new double[] {first, best};
  }

  /** Every kernel this JVM runs gives the scalar path's scatter bit for bit (the benchmark's own check). */
  public static boolean pathsAgree(int channels, int pixels) {
    float[] y = spectra(channels, pixels);
    double[] s = accumulate(y, channels, pixels, SpectralMoments.Kernel.SCALAR).secondMoment();
    for (SpectralMoments.Kernel kernel : SpectralMoments.Kernel.values()) {
      if (!kernel.available()) {
        continue;
      }
      double[] v = accumulate(y, channels, pixels, kernel).secondMoment();
      for (int i = 0; i < v.length; i++) {
        if (Double.doubleToRawLongBits(v[i]) != Double.doubleToRawLongBits(s[i])) {
          return false;
        }
      }
    }
    return true;
  }

  /** The pixels through {@link #PARTITIONS} accumulators merged in order; returns the merged one. */
  private static SpectralMoments accumulate(float[] y, int channels, int pixels, SpectralMoments.Kernel kernel) {
    SpectralMoments all = null;
    int from = 0;
    for (int part = 0; part < PARTITIONS; part++) {
      // Uneven cuts: a partition's size is not a multiple of the block, nor of the group of four.
      int to = part == PARTITIONS - 1 ? pixels : Math.min(pixels, from + pixels / PARTITIONS + part % 4);
      SpectralMoments m = SpectralMoments.withKernel(channels, kernel);
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
   * One printed row: this machine's vector kernel and the scalar path, µs per pixel (best round) and their ratio, the
   * other vector kernel's figure, then the vector path's first round (JIT warm-up included); or the scalar path alone
   * without the module.
   */
  public static String row(int channels) {
    int pixels = channels > 400 ? 2_000 : 20_000;
    double scalar = microsPerPixel(channels, pixels, SpectralMoments.Kernel.SCALAR, 4);
    if (!VectorApi.ENABLED) {
      return String.format(java.util.Locale.ROOT, "%-28s %.2f µs per pixel (scalar; no jdk.incubator.vector in this "
          + "JVM)", "moments B=" + channels, scalar);
    }
    SpectralMoments.Kernel preferred = SpectralMoments.Kernel.preferred();
    SpectralMoments.Kernel other = preferred == SpectralMoments.Kernel.PANELS ? SpectralMoments.Kernel.TILE
        : SpectralMoments.Kernel.PANELS;
    double[] vector = rounds(channels, pixels, preferred, 4);
    double otherFigure = microsPerPixel(channels, pixels, other, 4);
    if (!pathsAgree(channels, 2 * 128 + 5)) {
      throw new IllegalStateException("the vector and scalar scatters differ at B = " + channels);
    }
    return String.format(java.util.Locale.ROOT, "%-28s %.2f µs per pixel vector (%s), %.2f scalar (%.1fx; same "
        + "bits); %s kernel %.2f; first round %.2f", "moments B=" + channels, vector[1],
        preferred.name().toLowerCase(java.util.Locale.ROOT), scalar, scalar / vector[1],
        other.name().toLowerCase(java.util.Locale.ROOT), otherFigure, vector[0]);
  }
}
