package org.eelsunmix.autoencoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.eelsunmix.core.SpectralAngle;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The SAD loss: value against the evaluation's angle, analytic gradient against central differences (double). */
class SadLossTest {

  @Test
  void kernelGradientMatchesCentralDifferences() {
    Random random = new Random(3);
    int b = 40;
    double[] y = new double[b];
    double[] yHat = new double[b];
    for (int c = 0; c < b; c++) {
      y[c] = random.nextDouble();
      yHat[c] = y[c] + 0.3 * random.nextGaussian();
    }
    double[] g = new double[b];
    double theta = SpectralAngleLoss.angle(y, 0, yHat, 0, b, g, 0, 1.0);
    assertEquals(SpectralAngle.between(y, yHat), theta, 1e-15);
    double h = 1e-6;
    for (int c = 0; c < b; c++) {
      double keep = yHat[c];
      yHat[c] = keep + h;
      double plus = SpectralAngleLoss.angle(y, 0, yHat, 0, b, null, 0, 1.0);
      yHat[c] = keep - h;
      double minus = SpectralAngleLoss.angle(y, 0, yHat, 0, b, null, 0, 1.0);
      yHat[c] = keep;
      assertEquals((plus - minus) / (2 * h), g[c], 1e-8, "channel " + c);
    }
  }

  @Test
  void lossFunctionGradientIsThatOfTheSummedAnglesAndScoreTheirMean() {
    Random random = new Random(4);
    int n = 5;
    int b = 12;
    double[] labels = new double[n * b];
    double[] out = new double[n * b];
    for (int i = 0; i < n * b; i++) {
      labels[i] = random.nextDouble();
      out[i] = labels[i] * (1 + 0.5 * random.nextGaussian()) + 0.1;
    }
    INDArray y = Nd4j.create(labels, new long[] {n, b}, DataType.DOUBLE);
    INDArray yHat = Nd4j.create(out, new long[] {n, b}, DataType.DOUBLE);
    SadLossFunction loss = new SadLossFunction();
    ActivationIdentity identity = new ActivationIdentity();
    double expectedMean = 0;
    for (int p = 0; p < n; p++) {
      expectedMean += SpectralAngle.between(java.util.Arrays.copyOfRange(labels, p * b, p * b + b),
          java.util.Arrays.copyOfRange(out, p * b, p * b + b)) / n;
    }
    assertEquals(expectedMean, loss.computeScore(y, yHat, identity, null, true), 1e-12);
    INDArray g = loss.computeGradient(y, yHat, identity, null);
    double h = 1e-6;
    for (int p = 0; p < n; p++) {
      for (int c = 0; c < b; c++) {
        double keep = yHat.getDouble(p, c);
        yHat.putScalar(new long[] {p, c}, keep + h);
        double plus = loss.computeScore(y, yHat, identity, null, false);
        yHat.putScalar(new long[] {p, c}, keep - h);
        double minus = loss.computeScore(y, yHat, identity, null, false);
        yHat.putScalar(new long[] {p, c}, keep);
        assertEquals((plus - minus) / (2 * h), g.getDouble(p, c), 1e-7, "pixel " + p + " channel " + c);
      }
    }
    INDArray perPixel = loss.computeScoreArray(y, yHat, identity, null);
    assertEquals(expectedMean * n, perPixel.sumNumber().doubleValue(), 1e-12);
  }

  @Test
  void parallelSpectraHaveZeroAngleAndFiniteGradient() {
    double[] y = {1, 2, 3};
    double[] yHat = {2, 4, 6};
    double[] g = new double[3];
    assertEquals(0.0, SpectralAngleLoss.angle(y, 0, yHat, 0, 3, g, 0, 1.0), 1e-7);
    for (double v : g) {
      assertEquals(true, Double.isFinite(v));
    }
  }
}
