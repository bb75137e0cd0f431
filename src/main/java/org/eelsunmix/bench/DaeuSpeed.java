package org.eelsunmix.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.autoencoder.Daeu;
import org.eelsunmix.autoencoder.DaeuOptions;
import org.eelsunmix.autoencoder.TrainedNetwork;
import org.eelsunmix.autoencoder.WindowSample;
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

  /**
   * The training step, DL4J's against the plain trainer, in one JVM ({@link #compareTraining}).
   *
   * @param dl4jCpuSeconds thread CPU of each training with every step through DL4J's {@code fit}, in run order
   * @param plainCpuSeconds the same with the plain trainer ({@code DaeuTrainer}), interleaved with the former
   * @param identical whether the two trained networks' parameters were bit-identical in every round
   */
  public record TrainingComparison(double[] dl4jCpuSeconds, double[] plainCpuSeconds, boolean identical) {
    public double dl4jBest() {
      return java.util.Arrays.stream(dl4jCpuSeconds).min().orElse(Double.NaN);
    }

    public double plainBest() {
      return java.util.Arrays.stream(plainCpuSeconds).min().orElse(Double.NaN);
    }
  }

  /**
   * Times {@code rounds} trainings of {@code options} on {@code image} (the training alone, {@link Daeu#fit} on the
   * drawn spectra: no final encoding of the image), alternating DL4J's step and the plain trainer, after one
   * warm-up training of each on 600 spectra for one epoch. Thread CPU seconds; the first round pays the JIT's later
   * tiers.
   */
  public static TrainingComparison compareTraining(SpectrumImage image, DaeuOptions options, int rounds) {
    WindowSample sample = WindowSample.of(image, options.drawWindows(image.width(), image.height(), image.id()), 1);
    DaeuOptions warm = options.withEpochs(1).withSamples(Math.min(600, options.samples()));
    WindowSample warmSample = WindowSample.of(image, warm.drawWindows(image.width(), image.height(), image.id()), 1);
    Daeu.fit(warm, warmSample, image.id(), true);
    Daeu.fit(warm, warmSample, image.id(), false);
    double[] dl4j = new double[rounds];
    double[] plain = new double[rounds];
    boolean identical = true;
    for (int i = 0; i < rounds; i++) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      TrainedNetwork a = Daeu.fit(options, sample, image.id(), true);
      dl4j[i] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
      cpu = THREADS.getCurrentThreadCpuTime();
      TrainedNetwork b = Daeu.fit(options, sample, image.id(), false);
      plain[i] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e9;
      identical &= java.util.Arrays.equals(a.network().params().toFloatVector(), b.network().params().toFloatVector());
    }
    return new TrainingComparison(dl4j, plain, identical);
  }

  /**
   * {@code DaeuSpeed [set [rounds [seed]]]}: prints {@link #compareTraining} for DAEU's reference schedule on the
   * 64×64 cube of a built-in set (default co-ru-pt, 3 rounds, seed 1).
   */
  public static void main(String[] args) {
    String set = args.length > 0 ? args[0] : "co-ru-pt";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    SyntheticCube cube = cube(set);
    DaeuOptions o = new DaeuOptions(cube.truthEndmembers().count(), seed);
    TrainingComparison c = compareTraining(cube.image(), o, rounds);
    System.out.printf("DAEU training, reference schedule, 64x64 %s, one thread, thread CPU s:%n  DL4J's step  %s"
        + " (best %.3f)%n  plain step   %s (best %.3f)%n  same parameters bit for bit: %s%n", set,
        java.util.Arrays.toString(c.dl4jCpuSeconds()), c.dl4jBest(), java.util.Arrays.toString(c.plainCpuSeconds()),
        c.plainBest(), c.identical());
  }

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
