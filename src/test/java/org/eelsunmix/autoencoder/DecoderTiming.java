package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement, not a test: thread CPU of CNNAEU's decoder ({@link FftConvolution}, R → B channels, 13×13 kernels) on
 * one training batch of 15 patches of 40×40, forward and backward after it (∂W and ∂x), two instances stepping in
 * turn (the second checks that a second instance gives the same bits), median of 9 after warm-up, one thread; the
 * weights change every step, as in training. Uses only {@link ConvolutionKernel}'s methods, so the same class
 * compiled against an older jar times the older decoder. Run with the shaded jar:
 * {@code OMP_NUM_THREADS=1 java -Deelsunmix.autoencoder.threads=1
 * -cp target/test-classes:target/eels-unmix-*-all.jar org.eelsunmix.autoencoder.DecoderTiming 3:200 4:903}
 * (arguments {@code R:B}).
 */
final class DecoderTiming {
  private static final int STEPS = 9;

  private DecoderTiming() {}

  private static INDArray random(SplittableRandom r, long... shape) {
    INDArray a = Nd4j.create(DataType.FLOAT, shape);
    double[] v = new double[(int) a.length()];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextDouble();
    }
    NdBuffers.write(v, a);
    return a;
  }

  /** Whether two arrays hold the same values bit for bit. */
  private static boolean same(INDArray p, INDArray q) {
    double[] u = new double[(int) p.length()];
    double[] v = new double[(int) q.length()];
    NdBuffers.read(p, u);
    NdBuffers.read(q, v);
    return Arrays.equals(u, v);
  }

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    for (String a : args) {
      int r = Integer.parseInt(a.split(":")[0]);
      int b = Integer.parseInt(a.split(":")[1]);
      int n = 15;
      int side = 40;
      int k = 13;
      SplittableRandom rnd = new SplittableRandom(b);
      INDArray x = random(rnd, n, r, side, side);
      INDArray w = random(rnd, b, r, k, k);
      INDArray dz = random(rnd, n, b, side, side);
      INDArray[] z = new INDArray[2];
      INDArray[] dw = new INDArray[2];
      INDArray[] dx = new INDArray[2];
      FftConvolution[] kernels = new FftConvolution[2];
      
      for (int v = 0; v < 2; v++) {
        
        kernels[v] = new FftConvolution(r, b, k);
        z[v] = Nd4j.create(DataType.FLOAT, n, b, side, side);
        dw[v] = Nd4j.create(DataType.FLOAT, b, r, k, k);
        dx[v] = Nd4j.create(DataType.FLOAT, n, r, side, side);
      }
      
      double[][] fwd = new double[2][STEPS];
      double[][] bwd = new double[2][STEPS];
      for (int s = -3; s < STEPS; s++) {
        for (int v = 0; v < 2; v++) {
          // The weights change every step in training: the kernel spectra are recomputed each time.
          w.putScalar(0, s);
          long t0 = bean.getCurrentThreadCpuTime();
          kernels[v].forward(x, w, null, z[v]);
          long t1 = bean.getCurrentThreadCpuTime();
          kernels[v].backwardAfterForward(x, w, dz, dw[v], null, dx[v]);
          long t2 = bean.getCurrentThreadCpuTime();
          if (s >= 0) {
            fwd[v][s] = (t1 - t0) / 1e9;
            bwd[v][s] = (t2 - t1) / 1e9;
          }
        }
      }
      for (int v = 0; v < 2; v++) {
        Arrays.sort(fwd[v]);
        Arrays.sort(bwd[v]);
        System.out.printf("R=%d B=%d decoder, instance %d: forward median %.4f s CPU (min %.4f), backward "
            + "median %.4f s (min %.4f)%n", r, b, v, fwd[v][STEPS / 2], fwd[v][0],
            bwd[v][STEPS / 2], bwd[v][0]);
      }
      System.out.printf("R=%d B=%d same bits: z %b, dW %b, dx %b%n", r, b, same(z[0], z[1]), same(dw[0], dw[1]),
          same(dx[0], dx[1]));
    }
  }
}
