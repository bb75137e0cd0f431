package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measurement, not a test: how one CNNAEU training step ({@code fit} on a batch of 15 patches of 40×40 of a built-in
 * set, the reference network) splits between the calling thread and the {@link PatchWorkers} threads: per step, wall
 * time, the calling thread's CPU, the workers' CPU and the process's CPU (all native threads included), median of
 * {@value #STEPS} steps after warm-up, at the thread count of {@code -Deelsunmix.autoencoder.threads}. The calling
 * thread's CPU beyond the workers' is the part of a step that runs on one thread. Run with the shaded jar:
 * {@code OMP_NUM_THREADS=1 java -Deelsunmix.autoencoder.threads=2 -cp target/test-classes:target/eels-unmix-*-all.jar
 * org.eelsunmix.autoencoder.CnnaeuThreadsTiming co-ru-pt k-edges}.
 */
final class CnnaeuThreadsTiming {
  private static final int STEPS = 9;

  private CnnaeuThreadsTiming() {}

  private static long workersCpu(ThreadMXBean bean) {
    long sum = 0;
    for (ThreadInfo info : bean.dumpAllThreads(false, false)) {
      if (info.getThreadName().startsWith("cnnaeu-patches")) {
        sum += Math.max(0, bean.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  /** CPU nanoseconds of every live JVM thread by name (same-named threads summed). */
  private static java.util.Map<String, Long> threadCpu(ThreadMXBean bean) {
    java.util.Map<String, Long> m = new java.util.HashMap<>();
    for (ThreadInfo info : bean.dumpAllThreads(false, false)) {
      m.merge(info.getThreadName(), Math.max(0, bean.getThreadCpuTime(info.getThreadId())), Long::sum);
    }
    return m;
  }

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (String set : args) {
      CnnaeuFirstBatch first = CnnaeuFirstBatch.of(set);
      int b = first.channels();
      CnnaeuOptions o = first.options();
      INDArray x = first.x();
      MultiLayerNetwork net = Cnnaeu.network(b, o, AutoencoderFit.rmsProp(o.learningRate()), true);
      for (int s = 0; s < 3; s++) {
        net.fit(x, x);
      }
      java.util.Map<String, Long> before = threadCpu(bean);
      double[][] f = new double[4][STEPS];
      for (int s = 0; s < STEPS; s++) {
        long w0 = workersCpu(bean);
        long c0 = bean.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        net.fit(x, x);
        f[0][s] = (System.nanoTime() - t0) / 1e9;
        f[1][s] = (bean.getCurrentThreadCpuTime() - c0) / 1e9;
        f[2][s] = (workersCpu(bean) - w0) / 1e9;
        f[3][s] = (os.getProcessCpuTime() - p0) / 1e9;
      }
      for (double[] a : f) {
        Arrays.sort(a);
      }
      java.util.Map<String, Long> after = threadCpu(bean);
      StringBuilder others = new StringBuilder();
      after.entrySet().stream().filter(e -> !e.getKey().startsWith("cnnaeu-patches") && !e.getKey().equals("main"))
          .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
          .filter(e -> e.getValue() > 1_000_000).sorted((p, q) -> Long.compare(q.getValue(), p.getValue()))
          .forEach(e -> others.append(String.format(" %s %.3f s;", e.getKey(), e.getValue() / 1e9 / STEPS)));
      // The batch's layout (AutoencoderFit: CnnaeuOptions.layout, then NdBuffers.write), on the calling thread.
      double[] lay = new double[STEPS];
      for (int s = 0; s < STEPS; s++) {
        long t0 = System.nanoTime();
        long c0 = bean.getCurrentThreadCpuTime();
        first.layOut();
        lay[s] = (bean.getCurrentThreadCpuTime() - c0) / 1e9;
      }
      Arrays.sort(lay);
      System.out.printf("%s batch layout + write: %.3f s CPU (median)%n", set, lay[STEPS / 2]);
      System.out.printf("%s JVM threads per step:%s%n", set, others);
      System.out.printf("%s (B=%d) step, %d threads: wall %.3f s, calling thread %.3f s CPU, workers %.3f s CPU, "
          + "process %.3f s CPU (medians of %d)%n", set, b, PatchWorkers.threads(), f[0][STEPS / 2], f[1][STEPS / 2],
          f[2][STEPS / 2], f[3][STEPS / 2], STEPS);
    }
  }
}
