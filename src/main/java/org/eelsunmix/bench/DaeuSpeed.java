package org.eelsunmix.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;

/**
 * Single-thread speed of DAEU ({@link Daeu}) on one 64×64 synthetic cube of a built-in set: training with the
 * reference schedule (seconds, updates per second) and encoder inference (pixels per second on one core). Each
 * figure is given as wall time and as the thread's CPU time: on a shared machine the CPU time is the steadier
 * estimate of what an idle core does.
 *
 * <p>A plain timing loop after a short warm-up training (JIT), not JMH: for orders of magnitude and regressions.
 */
public final class DaeuSpeed {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private DaeuSpeed() {}

  /**
   * Training figures.
   *
   * @param wallSeconds wall time of one training with the reference schedule (including the final encoding of all
   *     pixels)
   * @param cpuSeconds the training thread's CPU time for the same
   * @param steps parameter updates made
   */
  public record Training(double wallSeconds, double cpuSeconds, long steps) {
    public double stepsPerSecond() {
      return steps / wallSeconds;
    }

    public double stepsPerCpuSecond() {
      return steps / cpuSeconds;
    }
  }

  /**
   * Inference figures.
   *
   * @param pixelsPerSecond encoded pixels per wall second, one thread
   * @param pixelsPerCpuSecond encoded pixels per CPU second of that thread
   */
  public record Inference(double pixelsPerSecond, double pixelsPerCpuSecond) {}

  /** The default 64×64 cube of built-in set {@code set} (replicate 0). */
  public static SyntheticCube cube(String set) {
    return SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
  }

  /** Times one training of {@code options} on {@code image}, after a one-epoch warm-up on 600 spectra. */
  public static Training training(SpectrumImage image, DaeuOptions options) {
    Daeu.train(image, options.withEpochs(1).withSamples(Math.min(600, options.samples())));
    long cpu = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    Daeu.train(image, options);
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
    int n = Math.min(options.samples(), image.pixels());
    long steps = (long) options.epochs() * ((n + options.batchSize() - 1) / options.batchSize());
    return new Training(wall, cpuSeconds, steps);
  }

  /** Encodes {@code image} repeatedly with {@code network} for about {@code seconds} (after one warm-up pass). */
  public static Inference inference(MultiLayerNetwork network, SpectrumImage image, double seconds) {
    double check = 0;
    check += Daeu.abundances(network, image).values()[0];
    long pixels = 0;
    long cpu = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      Abundances a = Daeu.abundances(network, image);
      check += a.values()[0];
      pixels += image.pixels();
      now = System.nanoTime();
    } while (now < end);
    double cpuSeconds = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
    if (Double.isNaN(check)) {
      throw new IllegalStateException("DAEU returned NaN abundances");
    }
    return new Inference(pixels / ((now - start) / 1e9), pixels / cpuSeconds);
  }
}
