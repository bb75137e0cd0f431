package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticCube;
import org.eelsunmix.synth.SyntheticGenerator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement, not a test: thread CPU of one CNNAEU training step ({@code fit} on a batch of 15 patches of 40×40 of
 * a built-in set, the reference network) with DL4J's loss layer ({@code CnnLossLayer} + {@link SadLossFunction})
 * and with {@link SadOutput}, the two networks stepping in turn in one JVM, median of several steps after warm-up;
 * then the encoder convolution's backward pass alone, plain and after its forward pass
 * ({@link ConvolutionKernel#backwardAfterForward}). Run with the shaded jar: {@code OMP_NUM_THREADS=1 java
 * -Deelsunmix.autoencoder.threads=1 -cp target/test-classes:target/eels-unmix-*-all.jar
 * org.eelsunmix.autoencoder.CnnaeuStepTiming co-ru-pt k-edges}.
 */
final class CnnaeuStepTiming {
  private static final int STEPS = 9;

  private CnnaeuStepTiming() {}

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    for (String set : args) {
      SyntheticCube cube = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin(set), 0);
      SpectrumImage image = cube.image();
      int b = image.channels();
      CnnaeuOptions o = new CnnaeuOptions(cube.truthEndmembers().count(), 1);
      WindowSample sample = WindowSample.of(image, o.drawWindows(image.width(), image.height(), image.id()),
          o.windowPixels());
      int n = o.batchSize();
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      float[] batch = new float[n * b * o.windowPixels()];
      o.layout(sample, order, 0, n, 1f / sample.largest(set), batch);
      INDArray x = Nd4j.create(DataType.FLOAT, o.batchShape(n, b));
      NdBuffers.write(batch, x);
      MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
      double[][] cpu = new double[2][STEPS];
      for (int v = 0; v < 2; v++) {
        nets[v] = Cnnaeu.network(b, o, AutoencoderFit.rmsProp(o.learningRate()), true, v == 1);
        nets[v].fit(x, x);
        nets[v].fit(x, x);
      }
      for (int s = 0; s < STEPS; s++) {
        for (int v = 0; v < 2; v++) {
          long t0 = bean.getCurrentThreadCpuTime();
          nets[v].fit(x, x);
          cpu[v][s] = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        }
      }
      for (int v = 0; v < 2; v++) {
        Arrays.sort(cpu[v]);
        System.out.printf("%s (B=%d) step, %-30s median %.3f s CPU (min %.3f, max %.3f)%n", set, b,
            v == 0 ? "CnnLossLayer + SadLossFunction" : "SadOutput", cpu[v][STEPS / 2], cpu[v][0], cpu[v][STEPS - 1]);
      }
      // The encoder's 3×3 convolution backward pass (∂W, ∂b; the network's first layer has no ∂x).
      int filters = o.filters();
      ShiftedConvolution k = new ShiftedConvolution(b, filters, 3);
      INDArray w = Nd4j.rand(DataType.FLOAT, filters, b, 3, 3);
      INDArray bias = Nd4j.rand(DataType.FLOAT, filters);
      INDArray z = Nd4j.create(DataType.FLOAT, n, filters, 40, 40);
      INDArray dz = Nd4j.rand(DataType.FLOAT, n, filters, 40, 40);
      INDArray dw = Nd4j.create(DataType.FLOAT, filters, b, 3, 3);
      INDArray db = Nd4j.create(DataType.FLOAT, filters);
      double[][] bwd = new double[2][STEPS];
      for (int s = -2; s < STEPS; s++) {
        for (int v = 0; v < 2; v++) {
          k.forward(x, w, bias, z);
          long t0 = bean.getCurrentThreadCpuTime();
          if (v == 0) {
            k.backward(x, w, dz, dw, db, null);
          } else {
            k.backwardAfterForward(x, w, dz, dw, db, null);
          }
          if (s >= 0) {
            bwd[v][s] = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
          }
        }
      }
      for (int v = 0; v < 2; v++) {
        Arrays.sort(bwd[v]);
        System.out.printf("%s (B=%d) encoder 3x3 backward, %-22s median %.3f s CPU (min %.3f)%n", set, b,
            v == 0 ? "plain" : "after its forward pass", bwd[v][STEPS / 2], bwd[v][0]);
      }
    }
  }
}
