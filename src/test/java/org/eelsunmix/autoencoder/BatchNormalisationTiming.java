package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Measurement, not a test: thread CPU of one batch normalisation layer's training pass (forward, backward) on
 * CNNAEU's batches (15 patches of 40×40, 48 and 4 channels, float), DL4J's layer and {@link FusedBatchNormalization},
 * median of {@value #STEPS} after warm-up. Run: {@code OMP_NUM_THREADS=1 java -cp
 * target/test-classes:target/eels-unmix-*-all.jar org.eelsunmix.autoencoder.BatchNormalisationTiming}.
 */
final class BatchNormalisationTiming {
  private static final int STEPS = 15;

  private BatchNormalisationTiming() {}

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
    for (int c : new int[] {48, 4}) {
      for (boolean fused : new boolean[] {false, true}) {
        BatchNormalization dl4j = new BatchNormalization.Builder().decay(BatchNormalisation.MOMENTUM)
            .eps(BatchNormalisation.EPSILON).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
            .list().layer(new ActivationLayer.Builder().activation(Activation.IDENTITY).build())
            .layer(fused ? FusedBatchNormalization.of(dl4j) : dl4j)
            .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build())
            .setInputType(InputType.convolutional(40, 40, c)).build());
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 15, c, 40, 40);
        INDArray eps = Nd4j.rand(DataType.FLOAT, 15, c, 40, 40);
        double[] forward = new double[STEPS];
        double[] backward = new double[STEPS];
        for (int s = -5; s < STEPS; s++) {
          long t0 = bean.getCurrentThreadCpuTime();
          layer.setInput(x, none);
          layer.activate(true, none);
          long t1 = bean.getCurrentThreadCpuTime();
          layer.backpropGradient(eps, none);
          long t2 = bean.getCurrentThreadCpuTime();
          if (s >= 0) {
            forward[s] = (t1 - t0) / 1e6;
            backward[s] = (t2 - t1) / 1e6;
          }
        }
        Arrays.sort(forward);
        Arrays.sort(backward);
        System.out.printf("%-5s %2d channels: forward median %.2f ms, backward median %.2f ms%n",
            fused ? "fused" : "DL4J", c, forward[STEPS / 2], backward[STEPS / 2]);
      }
    }
  }
}
