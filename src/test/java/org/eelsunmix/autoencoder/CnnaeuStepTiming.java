package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measurement, not a test: thread CPU of one CNNAEU training step ({@code fit} on a batch of 15 patches of 40×40 of
 * a built-in set, the reference network) before and after one change, the two networks stepping in turn in one JVM,
 * median of {@value #STEPS} steps after warm-up; then the encoder's 3×3 convolution forward pass alone, before and
 * after. The change (first argument): {@code forward}, the encoder convolution's forward pass as {@code k²} products
 * or as one wide product and a shifted sum ({@link ShiftedConvolution#useWideForward}); {@code norm}, the batch
 * normalisations' training pass by DL4J or in Java ({@link FusedBatchNormalizationLayer#allowFused}); {@code winograd},
 * the encoder's 3×3 convolution by shifted GEMMs or by Winograd F(4×4, 3×3)
 * ({@link FusedConvolutionLayer#allowWinograd}); {@code vector}, Winograd's transforms by the scalar reference or on
 * the Vector API ({@link WinogradConvolution#useVector}); {@code pointwise}, the 1×1 convolution by im2col + BLAS or
 * in Java ({@link FusedConvolutionLayer#allowPointwise}); {@code activation}, LeakyReLU by DL4J or in Java
 * ({@link FusedConvolutionLayer#allowJavaActivation}); {@code both} (forward and norm).
 * Run with the
 * shaded jar:
 * {@code OMP_NUM_THREADS=1 java -Deelsunmix.autoencoder.threads=1 -cp target/test-classes:target/eels-unmix-*-all.jar
 * org.eelsunmix.autoencoder.CnnaeuStepTiming forward co-ru-pt k-edges}.
 */
final class CnnaeuStepTiming {
  private static final int STEPS = 9;

  private CnnaeuStepTiming() {}

  /** Sets the code path ({@code after}: the change) for networks and kernels made from now on. */
  private static void select(String change, boolean after) {
    switch (change) {
      case "forward" -> ShiftedConvolution.useWideForward(after);
      case "norm" -> FusedBatchNormalizationLayer.allowFused(after);
      case "winograd" -> FusedConvolutionLayer.allowWinograd(after);
      case "vector" -> WinogradConvolution.useVector(after);
      case "pointwise" -> FusedConvolutionLayer.allowPointwise(after);
      case "activation" -> FusedConvolutionLayer.allowJavaActivation(after);
      case "both" -> {
        ShiftedConvolution.useWideForward(after);
        FusedBatchNormalizationLayer.allowFused(after);
      }
      default -> throw new IllegalArgumentException(
          "unknown change " + change + "; known: forward, norm, winograd, vector, pointwise, activation, both");
    }
  }

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    String change = args[0];
    for (String set : Arrays.copyOfRange(args, 1, args.length)) {
      CnnaeuFirstBatch first = CnnaeuFirstBatch.of(set);
      int b = first.channels();
      CnnaeuOptions o = first.options();
      int n = first.size();
      INDArray x = first.x();
      MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
      ShiftedConvolution[] kernels = new ShiftedConvolution[2];
      double[][] cpu = new double[2][STEPS];
      for (int v = 0; v < 2; v++) {
        select(change, v == 1);
        nets[v] = Cnnaeu.network(b, o, AutoencoderFit.rmsProp(o.learningRate()), true);
        nets[v].fit(x, x);
        nets[v].fit(x, x);
        kernels[v] = new ShiftedConvolution(b, o.filters(), 3);
      }
      select(change, true);
      for (int s = 0; s < STEPS; s++) {
        for (int v = 0; v < 2; v++) {
          long t0 = bean.getCurrentThreadCpuTime();
          nets[v].fit(x, x);
          cpu[v][s] = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
        }
      }
      for (int v = 0; v < 2; v++) {
        Arrays.sort(cpu[v]);
        System.out.printf("%s (B=%d) step, %-6s %-7s median %.3f s CPU (min %.3f, max %.3f)%n", set, b, change,
            v == 0 ? "before" : "after", cpu[v][STEPS / 2], cpu[v][0], cpu[v][STEPS - 1]);
      }
      if (!change.equals("forward")) {
        continue;
      }
      // The encoder's 3×3 convolution forward pass alone.
      int filters = o.filters();
      INDArray w = Nd4j.rand(DataType.FLOAT, filters, b, 3, 3);
      INDArray bias = Nd4j.rand(DataType.FLOAT, filters);
      INDArray[] z = {Nd4j.create(DataType.FLOAT, n, filters, 40, 40), Nd4j.create(DataType.FLOAT, n, filters, 40, 40)};
      double[][] fwd = new double[2][STEPS];
      for (int s = -2; s < STEPS; s++) {
        for (int v = 0; v < 2; v++) {
          long t0 = bean.getCurrentThreadCpuTime();
          kernels[v].forward(x, w, bias, z[v]);
          if (s >= 0) {
            fwd[v][s] = (bean.getCurrentThreadCpuTime() - t0) / 1e9;
          }
        }
      }
      for (int v = 0; v < 2; v++) {
        Arrays.sort(fwd[v]);
        System.out.printf("%s (B=%d) encoder 3x3 forward, %-6s median %.3f s CPU (min %.3f)%n", set, b,
            v == 0 ? "before" : "after", fwd[v][STEPS / 2], fwd[v][0]);
      }
      System.out.printf("%s encoder 3x3 forward, largest |after - before| %.3g (largest |z| %.3g)%n", set,
          z[1].sub(z[0]).amaxNumber().doubleValue(), z[0].amaxNumber().doubleValue());
    }
  }
}
