package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Measurement, not a test: the calling thread's CPU of CNNAEU training steps ({@code fit} on the first batch of 15
 * patches of 40×40 of a built-in set, the reference network as built now), {@code STEPS} steps after 15 of warm-up,
 * median and quartiles. Only methods older jars have too, so the same class times an older jar back to back with the
 * new one; with JFR attached ({@code -XX:StartFlightRecording=...,settings=profile}) it is the profile of a step (with
 * two threads, the calling thread's samples outside {@code PatchWorkers.run} are the step's serial work). Run with
 * the shaded jar: {@code OMP_NUM_THREADS=1 java --add-modules=jdk.incubator.vector
 * -Deelsunmix.autoencoder.threads=1 -cp target/test-classes:target/eels-unmix-*-all.jar
 * org.eelsunmix.autoencoder.CnnaeuStepsTiming co-ru-pt 25}.
 */
final class CnnaeuStepsTiming {
  private static final int WARM_UP = 15;

  private CnnaeuStepsTiming() {}

  public static void main(String[] args) {
    CnnaeuFirstBatch first = CnnaeuFirstBatch.of(args[0]);
    CnnaeuOptions o = first.options();
    MultiLayerNetwork net = Cnnaeu.network(first.channels(), o, AutoencoderFit.rmsProp(o.learningRate()), true);
    INDArray x = first.x();
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    int steps = Integer.parseInt(args[1]);
    double[] cpu = new double[steps];
    for (int s = 0; s < WARM_UP + steps; s++) {
      long t0 = bean.getCurrentThreadCpuTime();
      net.fit(x, x);
      if (s >= WARM_UP) {
        cpu[s - WARM_UP] = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
      }
    }
    Arrays.sort(cpu);
    System.out.printf("%s step, %d threads: calling thread median %.4f s CPU (min %.4f, quartiles %.4f-%.4f) of %d%n",
        args[0], PatchWorkers.threads(), cpu[steps / 2], cpu[0], cpu[steps / 4], cpu[3 * steps / 4], steps);
  }
}
