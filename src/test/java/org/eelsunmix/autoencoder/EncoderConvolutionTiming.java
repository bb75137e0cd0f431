package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement, not a test: thread CPU of CNNAEU's 3×3 encoder convolution (C → 48, bias) on one training batch of
 * 15 patches of 40×40, forward and ∂W/∂b (no ∂x, as the network's first layer),
 * by shifted GEMMs ({@link ShiftedConvolution}) and by Winograd F(2×2) and F(4×4) ({@link WinogradConvolution}; the
 * backward pass after the forward, as in training; F(4×4)'s transforms by the scalar reference and on the Vector API,
 * and the input transform alone), best of several repeats, one thread; the list twice (the second for the JIT). Run with the shaded jar:
 * {@code OMP_NUM_THREADS=1 java -Deelsunmix.autoencoder.threads=1 -cp target/test-classes:target/eels-unmix-*-all.jar
 * org.eelsunmix.autoencoder.EncoderConvolutionTiming 903 200}.
 */
final class EncoderConvolutionTiming {
  private EncoderConvolutionTiming() {}

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    for (String a : args) {
      int c = Integer.parseInt(a);
      int n = 15;
      int side = 40;
      int o = 48;
      SplittableRandom r = new SplittableRandom(c);
      INDArray x = Nd4j.create(DataType.FLOAT, n, c, side, side);
      INDArray w = Nd4j.create(DataType.FLOAT, o, c, 3, 3);
      INDArray b = Nd4j.create(DataType.FLOAT, o);
      INDArray dz = Nd4j.create(DataType.FLOAT, n, o, side, side);
      for (INDArray t : new INDArray[] {x, w, b, dz}) {
        for (long i = 0; i < t.length(); i++) {
          t.putScalar(i, r.nextDouble() - 0.5);
        }
      }
      INDArray z = Nd4j.create(DataType.FLOAT, n, o, side, side);
      INDArray dw = Nd4j.create(DataType.FLOAT, o, c, 3, 3);
      INDArray db = Nd4j.create(DataType.FLOAT, o);
      double flops = 2.0 * n * side * side * o * c * 9;
      for (ConvolutionKernel k : new ConvolutionKernel[] {new ShiftedConvolution(c, o, 3),
          new WinogradConvolution(c, o, 3, 2), new WinogradConvolution(c, o, 3, 4, false),
          new WinogradConvolution(c, o, 3, 4, true), new ShiftedConvolution(c, o, 3),
          new WinogradConvolution(c, o, 3, 2), new WinogradConvolution(c, o, 3, 4, false),
          new WinogradConvolution(c, o, 3, 4, true)}) {
        double fwd = Double.MAX_VALUE;
        double bwd = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
          long t0 = bean.getCurrentThreadCpuTime();
          k.forward(x, w, b, z);
          long t1 = bean.getCurrentThreadCpuTime();
          k.backwardAfterForward(x, w, dz, dw, db, null);
          long t2 = bean.getCurrentThreadCpuTime();
          fwd = Math.min(fwd, (t1 - t0) / 1e9);
          bwd = Math.min(bwd, (t2 - t1) / 1e9);
        }
        String name = k.getClass().getSimpleName() + (k instanceof WinogradConvolution wk ? k.toString()
            + (wk.vector() ? " vector" : "") : "");
        double input = Double.MAX_VALUE;
        if (k instanceof WinogradConvolution wk) {
          for (int rep = 0; rep < 5; rep++) {
            long t0 = bean.getCurrentThreadCpuTime();
            wk.transformInputs(x);
            input = Math.min(input, (bean.getCurrentThreadCpuTime() - t0) / 1e9);
          }
          System.out.printf("C=%d %-35s input transform alone %.3f s CPU%n", c, name, input);
        }
        System.out.printf("C=%d %-35s forward %.3f s CPU (%.1f GFLOP/s), backward ∂W ∂b %.3f s CPU (%.1f GFLOP/s)%n",
            c, name, fwd, flops / fwd / 1e9, bwd, flops / bwd / 1e9);
      }
    }
  }
}
