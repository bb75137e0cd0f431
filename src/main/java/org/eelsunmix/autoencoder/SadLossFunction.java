package org.eelsunmix.autoencoder;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * DL4J loss: the spectral angle between each input spectrum (the labels) and its reconstruction, averaged over the
 * batch, with the analytic gradient of {@link SpectralAngleLoss} (the one implementation of the math). Following
 * DL4J's convention the score is the mean over the batch when {@code average} is set, and the gradient is that of
 * the per-pixel sum (the updater divides by the batch size).
 *
 * <p>Stateless, so one instance may be shared by executor threads (unlike DL4J's SameDiffLoss). A mask, if given,
 * must be one value per pixel ({@code [pixels, 1]}): it weighs each pixel's angle.
 */
public class SadLossFunction implements ILossFunction {
  private static final long serialVersionUID = 1L;

  /** Per-pixel angles {@code [pixels]} and, when {@code gradient} is set, ∂(Σ weighted angles)/∂output. */
  private static double[] angles(INDArray labels, INDArray output, INDArray mask, double[] gradient) {
    if (labels.rank() != 2 || !java.util.Arrays.equals(labels.shape(), output.shape())) {
      throw new IllegalArgumentException("the SAD loss needs [pixels, channels] labels and output of one shape, got "
          + java.util.Arrays.toString(labels.shape()) + " and " + java.util.Arrays.toString(output.shape()));
    }
    int n = (int) labels.size(0);
    int b = (int) labels.size(1);
    double[] y = new double[n * b];
    double[] yHat = new double[n * b];
    NdBuffers.read(labels, y);
    NdBuffers.read(output, yHat);
    double[] weights = new double[n];
    java.util.Arrays.fill(weights, 1.0);
    if (mask != null) {
      if (mask.length() != n) {
        throw new IllegalArgumentException("the SAD loss takes one mask value per pixel, got mask shape "
            + java.util.Arrays.toString(mask.shape()));
      }
      NdBuffers.read(mask, weights);
    }
    double[] angles = new double[n];
    for (int p = 0; p < n; p++) {
      angles[p] = weights[p] * SpectralAngleLoss.angle(y, p * b, yHat, p * b, b, gradient, p * b, weights[p]);
    }
    return angles;
  }

  private static INDArray output(INDArray preOutput, IActivation activation) {
    return activation instanceof ActivationIdentity ? preOutput : activation.getActivation(preOutput.dup(), true);
  }

  @Override
  public double computeScore(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask,
      boolean average) {
    double[] a = angles(labels, output(preOutput, activation), mask, null);
    double sum = 0;
    for (double v : a) {
      sum += v;
    }
    return average ? sum / a.length : sum;
  }

  @Override
  public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
    double[] a = angles(labels, output(preOutput, activation), mask, null);
    INDArray out = Nd4j.create(preOutput.dataType(), a.length, 1);
    NdBuffers.write(a, out);
    return out;
  }

  @Override
  public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activation, INDArray mask) {
    return computeGradientAndScore(labels, preOutput, activation, mask, true).getSecond();
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activation,
      INDArray mask, boolean average) {
    double[] g = new double[(int) preOutput.length()];
    double[] a = angles(labels, output(preOutput, activation), mask, g);
    double sum = 0;
    for (double v : a) {
      sum += v;
    }
    INDArray dOutput = Nd4j.createUninitialized(preOutput.dataType(), preOutput.shape(), 'c');
    NdBuffers.write(g, dOutput);
    INDArray dPreOutput = activation instanceof ActivationIdentity ? dOutput
        : activation.backprop(preOutput.dup(), dOutput).getFirst();
    return new Pair<>(average ? sum / a.length : sum, dPreOutput);
  }

  @Override
  public String name() {
    return "SAD";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SadLossFunction;
  }

  @Override
  public int hashCode() {
    return SadLossFunction.class.hashCode();
  }

  @Override
  public String toString() {
    return "SadLossFunction()";
  }
}
