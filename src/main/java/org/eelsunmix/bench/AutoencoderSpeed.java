package org.eelsunmix.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.eelsunmix.autoencoder.Cnnaeu;
import org.eelsunmix.autoencoder.CnnaeuOptions;
import org.eelsunmix.autoencoder.EpochTimes;
import org.eelsunmix.autoencoder.Mtaeu;
import org.eelsunmix.autoencoder.MtaeuOptions;
import org.eelsunmix.core.Abundances;
import org.eelsunmix.core.SpectrumImage;

/**
 * Single-thread speed of the spatial autoencoders MTAEU ({@link Mtaeu}) and CNNAEU ({@link Cnnaeu}): training seconds
 * per epoch of the reference schedule, and from it the whole schedule, and encoder inference pixels per second on one
 * core. Each figure is wall time and the process's CPU time (all threads: ND4J's convolutions run partly in native
 * threads; run with {@code OMP_NUM_THREADS=1} and nothing else in the JVM). On a shared machine the CPU time is the
 * steadier estimate of what an idle core does. An epoch is timed where it runs ({@link EpochTimes}): one training
 * of {@value #WARM_EPOCHS} epochs left out (the JIT's warm-up) and then the timed ones, their median the figure. Until
 * stop 25 it was the difference of two whole trainings (a 2-epoch less a 1-epoch one), which carried their set-up,
 * JIT state and final encoding: the same code measured 1.2 and 3.8 s an epoch on the same machine in one morning.
 * CNNAEU's reference schedule is too long to run in a benchmark: its epochs are timed on fewer patches of the
 * reference size and scaled to the reference count (the cost is linear in the batches); its convolutions use
 * {@link Cnnaeu#threads()} threads (system property {@code eelsunmix.autoencoder.threads}, default all processors), as
 * do MTAEU's shared-layer GEMMs. The final encoding of the image (the inference figure) is in no epoch.
 *
 * <p>Plain timing after warm-up epochs (the JIT's), not JMH: for orders of magnitude and regressions.
 */
public final class AutoencoderSpeed {
  private static final OperatingSystemMXBean SYSTEM =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * Epochs left out before the timed ones: the JIT's work. A 30-epoch CNNAEU training (co-ru-pt, 120 patches) took
   * 5.0, 2.6 and 2.2 s for its first three epochs, then 1.5–1.9 s each.
   */
  public static final int WARM_EPOCHS = 2;
  /** Epochs timed after {@link #WARM_EPOCHS} for CNNAEU; their median is the figure. */
  public static final int TIMED_EPOCHS = 5;

  private AutoencoderSpeed() {}

  /**
   * Training figures.
   *
   * @param wallPerEpoch wall seconds per epoch of the reference schedule
   * @param cpuPerEpoch process CPU seconds per epoch
   * @param epochs epochs of the reference schedule
   * @param slowest wall seconds of the slowest timed epoch (scaled as {@code wallPerEpoch}), the spread beside the
   *     median
   */
  public record Training(double wallPerEpoch, double cpuPerEpoch, int epochs, double slowest) {
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
   * MTAEU: {@code epochs} epochs of {@code reference} (its samples and batches) on {@code image}, timed where they
   * run after {@value #WARM_EPOCHS} that are not counted ({@link #timed}).
   */
  public static Training mtaeu(SpectrumImage image, MtaeuOptions reference, int epochs) {
    EpochTimes t = Mtaeu.train(image, reference.withEpochs(WARM_EPOCHS + epochs)).epochTimes();
    return timed(t, 1, reference.epochs());
  }

  /**
   * CNNAEU: epochs over {@code patches} patches (a multiple of the batch size) of the reference size,
   * {@value #WARM_EPOCHS} not counted and {@value #TIMED_EPOCHS} timed where they run ({@link #timed}), scaled to the
   * reference's patch count. The convolutions use {@link Cnnaeu#threads()} threads.
   */
  public static Training cnnaeu(SpectrumImage image, CnnaeuOptions reference, int patches) {
    int batch = reference.batchSize();
    CnnaeuOptions timed = reference.withPatches(patches, reference.patchSize())
        .withEpochs(WARM_EPOCHS + TIMED_EPOCHS);
    EpochTimes t = Cnnaeu.train(image, timed).epochTimes();
    double batches = Math.ceil((double) reference.patches() / batch) / Math.ceil((double) patches / batch);
    return timed(t, batches, reference.epochs());
  }

  /**
   * The median of the epochs after the first {@value #WARM_EPOCHS}, times {@code scale}, for a schedule of
   * {@code epochs}.
   */
  static Training timed(EpochTimes t, double scale, int epochs) {
    double slowest = 0;
    double[] wall = t.wall();
    for (int e = WARM_EPOCHS; e < wall.length; e++) {
      slowest = Math.max(slowest, wall[e]);
    }
    return new Training(t.medianWall(WARM_EPOCHS) * scale, t.medianCpu(WARM_EPOCHS) * scale, epochs,
        slowest * scale);
  }
}
