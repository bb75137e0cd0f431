package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Measurement, not a test: a CNNAEU training step ({@link NetworkSteps#step} on the first batch of a built-in set,
 * the reference network) with its first convolution on the patches' canvas ({@link CanvasConvolution}) and patch by
 * patch, alternated in rounds of {@value #STEPS} steps on one network: the calling thread's CPU, the wall time and the
 * process's CPU per step, median of each side. With {@code -Deelsunmix.autoencoder.threads=1} that is the whole step's arithmetic. Run with the shaded
 * jar: {@code OMP_NUM_THREADS=1 java --add-modules=jdk.incubator.vector -Deelsunmix.autoencoder.threads=1 -cp
 * target/test-classes:target/eels-unmix-*-all.jar org.eelsunmix.autoencoder.CanvasStepTiming co-ru-pt k-edges}.
 */
final class CanvasStepTiming {
  private static final int STEPS = 5;
  private static final int ROUNDS = 4;

  private CanvasStepTiming() {}

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    for (String set : args) {
      CnnaeuFirstBatch first = CnnaeuFirstBatch.of(set);
      CnnaeuOptions o = first.options();
      MultiLayerNetwork net = Cnnaeu.network(first.channels(), o);
      NetworkSteps steps = new NetworkSteps(o, net, first.channels());
      PatchCanvas canvas = PatchCanvas.of(first.sample(), o.patchSize());
      PatchCanvas.Placement where = canvas.place(first.order(), 0, first.order().length);
      int n = first.order().length;
      for (int s = 0; s < 2 * STEPS; s++) {
        steps.place(s % 2 == 0 ? where : null);
        steps.step(first.values(), n);
      }
      double[][] cpu = new double[2][STEPS * ROUNDS];
      double[][] wall = new double[2][STEPS * ROUNDS];
      double[][] process = new double[2][STEPS * ROUNDS];
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int round = 0; round < ROUNDS; round++) {
        for (int side = 0; side < 2; side++) {
          for (int s = 0; s < STEPS; s++) {
            steps.place(side == 0 ? where : null);
            long c0 = bean.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            long p0 = os.getProcessCpuTime();
            steps.step(first.values(), n);
            process[side][round * STEPS + s] = (os.getProcessCpuTime() - p0) / 1e9;
            wall[side][round * STEPS + s] = (System.nanoTime() - w0) / 1e9;
            cpu[side][round * STEPS + s] = (bean.getCurrentThreadCpuTime() - c0) / 1e9;
          }
        }
      }
      for (double[] a : cpu) {
        Arrays.sort(a);
      }
      for (double[] a : process) {
        Arrays.sort(a);
      }
      for (double[] a : wall) {
        Arrays.sort(a);
      }
      System.out.printf("%s (B=%d, canvas %d×%d for %d patches of %d): step, calling thread CPU, median of %d: "
          + "canvas %.4f s (quartiles %.4f-%.4f), patch by patch %.4f s (%.4f-%.4f); wall, median: canvas %.4f s, "
          + "patch by patch %.4f s; process CPU, median: canvas %.4f s, patch by patch %.4f s; %d threads%n", set,
          first.channels(), canvas.height(), canvas.width(), n, o.patchSize(), STEPS * ROUNDS, cpu[0][cpu[0].length / 2],
          cpu[0][cpu[0].length / 4], cpu[0][3 * cpu[0].length / 4], cpu[1][cpu[1].length / 2],
          cpu[1][cpu[1].length / 4], cpu[1][3 * cpu[1].length / 4], wall[0][wall[0].length / 2],
          wall[1][wall[1].length / 2], process[0][process[0].length / 2], process[1][process[1].length / 2],
          PatchWorkers.threads());
    }
  }
}
