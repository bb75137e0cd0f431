package org.eelsunmix.autoencoder;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Measurement, not a test: thread CPU of CNNAEU's loss layer, DL4J's {@code CnnLossLayer} with
 * {@link SadLossFunction} against {@link SadOutput}, on one training batch of 15 patches of 40×40 spectra of C
 * channels: a training step's backward pass and score ({@code computeGradientAndScore} of an identity layer and the
 * loss), best of several repeats, one thread. Run with the shaded jar: {@code OMP_NUM_THREADS=1 java
 * -Deelsunmix.autoencoder.threads=1 -cp target/test-classes:target/eels-unmix-*-all.jar
 * org.eelsunmix.autoencoder.SadOutputTiming 903 200}.
 */
final class SadOutputTiming {
  private SadOutputTiming() {}

  public static void main(String[] args) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    for (String a : args) {
      int c = Integer.parseInt(a);
      int n = 15;
      int side = 40;
      SplittableRandom r = new SplittableRandom(c);
      INDArray y = Nd4j.create(DataType.FLOAT, n, c, side, side);
      INDArray yHat = Nd4j.create(DataType.FLOAT, n, c, side, side);
      float[] v = new float[(int) y.length()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextDouble();
      }
      NdBuffers.write(v, y);
      for (int i = 0; i < v.length; i++) {
        v[i] = v[i] * 0.9f + (float) r.nextDouble() * 0.2f;
      }
      NdBuffers.write(v, yHat);
      for (int round = 0; round < 2; round++) {
        for (boolean fused : new boolean[] {false, true}) {
          MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
              .updater(new Sgd(0.1)).list()
              .layer(new ActivationLayer.Builder().activation(Activation.IDENTITY).build())
              .layer(fused ? new SadOutput()
                  : new CnnLossLayer.Builder(new SadLossFunction()).activation(Activation.IDENTITY).build())
              .setInputType(InputType.convolutional(side, side, c)).build());
          net.init();
          double best = Double.MAX_VALUE;
          for (int rep = 0; rep < 7; rep++) {
            net.setInput(yHat);
            net.setLabels(y);
            long t0 = bean.getCurrentThreadCpuTime();
            net.computeGradientAndScore();
            best = Math.min(best, (bean.getCurrentThreadCpuTime() - t0) / 1e9);
          }
          System.out.printf("C=%d %-28s backward + score %.1f ms CPU (score %.6f)%n", c,
              fused ? "SadOutput" : "CnnLossLayer+SadLossFunction", best * 1e3, net.score());
        }
      }
    }
  }
}
