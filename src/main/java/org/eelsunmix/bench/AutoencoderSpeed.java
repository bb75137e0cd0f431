package org.eelsunmix.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;

/**
 * Single-thread speed of the spatial autoencoders MTAEU ({@link Mtaeu}) and CNNAEU ({@link Cnnaeu}): training seconds
 * per epoch of the reference schedule, and from it the whole schedule, and encoder inference pixels per second on one
 * core. Each figure is wall time and the process's CPU time (all threads: ND4J's convolutions run partly in native
 * threads; run with {@code OMP_NUM_THREADS=1} and nothing else in the JVM). On a shared machine the CPU time is the
 * steadier estimate of what an idle core does. CNNAEU's
 * reference schedule is too long to run in a benchmark: its epoch is timed on fewer patches of the reference
 * size (a 2-epoch training less a 1-epoch one) and scaled to the reference count (the cost is linear in the
 * patches); its convolutions use {@link Cnnaeu#threads()} threads (system property
 * {@code eelsunmix.autoencoder.threads}, default all processors), as do MTAEU's shared-layer GEMMs. MTAEU's epoch is
 * the difference of two trainings too, so the final encoding of the image (the inference figure) is not in it.
 *
 * <p>A plain timing loop after a short warm-up training (JIT), not JMH: for orders of magnitude and regressions.
 */
public final class AutoencoderSpeed {
  private static final OperatingSystemMXBean SYSTEM =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private AutoencoderSpeed() {}

  /**
   * Training figures.
   *
   * @param wallPerEpoch wall seconds per epoch of the reference schedule
   * @param cpuPerEpoch process CPU seconds per epoch
   * @param epochs epochs of the reference schedule
   */
  public record Training(double wallPerEpoch, double cpuPerEpoch, int epochs) {
    /** Estimated wall seconds of the whole reference schedule. */
    public double wallSchedule() {
      return wallPerEpoch * epochs;
    }

    public double cpuSchedule() {
      return cpuPerEpoch * epochs;
    }
  }

  /**
   * Inference figures.
   *
   * @param pixelsPerSecond encoded pixels per wall second, one thread
   * @param pixelsPerCpuSecond per CPU second of the process
   * @param secondsPerImage wall seconds of one pass over the image
   */
  public record Inference(double pixelsPerSecond, double pixelsPerCpuSecond, double secondsPerImage) {}

  /** Wall and CPU seconds of one call. */
  private static double[] time(Runnable work) {
    long cpu = SYSTEM.getProcessCpuTime();
    long t0 = System.nanoTime();
    work.run();
    return new double[] {(System.nanoTime() - t0) / 1e9, (SYSTEM.getProcessCpuTime() - cpu) / 1e9};
  }

  /** Encodes repeatedly for about {@code seconds} (after one warm-up pass). */
  public static Inference inference(Supplier<Abundances> encode, int pixels, double seconds) {
    double check = encode.get().values()[0];
    long done = 0;
    long cpu = SYSTEM.getProcessCpuTime();
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long now;
    do {
      check += encode.get().values()[0];
      done += pixels;
      now = System.nanoTime();
    } while (now < end);
    double cpuSeconds = (SYSTEM.getProcessCpuTime() - cpu) / 1e9;
    if (Double.isNaN(check)) {
      throw new IllegalStateException("the encoder returned NaN abundances");
    }
    double wall = (now - start) / 1e9;
    return new Inference(done / wall, done / cpuSeconds, wall * pixels / done);
  }

  /**
   * MTAEU: times {@code epochs} epochs of {@code reference} (its samples and batches) on {@code image} as a
   * {@code 1 + epochs}-epoch training less a 1-epoch one (the same draws, network, final encoding and fitting of the
   * scale, so only the epochs remain, in wall and in CPU time alike), after a one-epoch warm-up on 150
   * neighbourhoods.
   */
  public static Training mtaeu(SpectrumImage image, MtaeuOptions reference, int epochs) {
    Mtaeu.train(image, reference.withEpochs(1).withSamples(150));
    double[] one = time(() -> Mtaeu.train(image, reference.withEpochs(1)));
    double[] more = time(() -> Mtaeu.train(image, reference.withEpochs(1 + epochs)));
    return new Training(Math.max(more[0] - one[0], 0) / epochs, Math.max(more[1] - one[1], 0) / epochs,
        reference.epochs());
  }

  /**
   * CNNAEU: one epoch over {@code patches} patches (a multiple of the batch size) of the reference size, timed as
   * a 2-epoch training less a 1-epoch one (the same draws, network and final encoding of the sample, so only the
   * epoch remains), after a warm-up training on one batch, and scaled to the reference's patch count. The
   * convolutions use {@link Cnnaeu#threads()} threads.
   */
  public static Training cnnaeu(SpectrumImage image, CnnaeuOptions reference, int patches) {
    int batch = reference.batchSize();
    Cnnaeu.train(image, reference.withEpochs(1).withPatches(batch, reference.patchSize()));
    CnnaeuOptions timed = reference.withPatches(patches, reference.patchSize());
    double[] one = time(() -> Cnnaeu.train(image, timed.withEpochs(1)));
    double[] two = time(() -> Cnnaeu.train(image, timed.withEpochs(2)));
    double batches = Math.ceil((double) reference.patches() / batch) / Math.ceil((double) patches / batch);
    return new Training(Math.max(two[0] - one[0], 0) * batches, Math.max(two[1] - one[1], 0) * batches,
        reference.epochs());
  }
}
