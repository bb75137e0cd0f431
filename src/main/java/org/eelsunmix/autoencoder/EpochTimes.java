package org.eelsunmix.autoencoder;

import java.util.Arrays;

/**
 * How long each epoch of a training took ({@link AutoencoderFit#fit}): wall seconds, and the CPU seconds of the whole
 * process over the same span (every thread: the convolutions' workers and ND4J's native threads included), read at
 * each epoch's end. Measured where the epochs run, so a benchmark times them directly instead of as the difference of
 * two whole trainings (whose set-up, JIT warm-up and final encoding differ from run to run and made that difference
 * swing by 3× on a shared machine). Nothing a result depends on.
 *
 * @param wall wall seconds of each epoch, in order
 * @param cpu process CPU seconds of each epoch, in order (NaN where the JVM cannot report it)
 */
public record EpochTimes(double[] wall, double[] cpu) {
  public EpochTimes {
    if (wall.length != cpu.length) {
      throw new IllegalArgumentException(wall.length + " wall times but " + cpu.length + " CPU times");
    }
    wall = wall.clone();
    cpu = cpu.clone();
  }

  @Override
  public double[] wall() {
    return wall.clone();
  }

  @Override
  public double[] cpu() {
    return cpu.clone();
  }

  /** Number of epochs timed. */
  public int epochs() {
    return wall.length;
  }

  /** Median wall seconds of the epochs from {@code first} on (e.g. 1: the first, with the JIT's work, left out). */
  public double medianWall(int first) {
    return median(wall, first);
  }

  /** Median process CPU seconds of the epochs from {@code first} on. */
  public double medianCpu(int first) {
    return median(cpu, first);
  }

  private static double median(double[] v, int first) {
    if (first < 0 || first >= v.length) {
      throw new IllegalArgumentException("no epochs from " + first + " of " + v.length);
    }
    double[] s = Arrays.copyOfRange(v, first, v.length);
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** Reads the process's CPU time in nanoseconds (−1 where this JVM cannot). */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean s ? s.getProcessCpuTime() : -1;
  }
}
