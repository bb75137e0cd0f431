package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelWarmUp}: it finishes and says how long it took, and the kernels it ran concurrently give the same
 * bits as before it (nothing it does is shared with a command's own kernels).
 */
class KernelWarmUpTest {

  @Test
  void theWarmUpFinishesAndLeavesTheKernelsResultsAsTheyWere() throws InterruptedException {
    Random random = new Random(7);
    int b = 131;
    int n = 97;
    float[] y = new float[n * b];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) Math.rint(500 * random.nextDouble());
    }
    double[] before = moments(y, n, b);

    Thread warm = KernelWarmUp.start();
    double[] during = moments(y, n, b);
    warm.join(120_000);
    assertFalse(warm.isAlive(), "the warm-up ends");
    double seconds = KernelWarmUp.seconds();
    assertTrue(seconds > 0 && seconds < 120, "seconds " + seconds);

    assertArrayEquals(before, during, 0.0);
    assertArrayEquals(before, moments(y, n, b), 0.0);
    assertEquals(before.length, b * b + b);
  }

  private static double[] moments(float[] y, int n, int b) {
    SpectralMoments m = new SpectralMoments(b);
    for (int p = 0; p < n; p++) {
      m.add(y, p * b);
    }
    double[] second = m.secondMoment();
    double[] mean = m.mean();
    double[] out = new double[second.length + mean.length];
    System.arraycopy(second, 0, out, 0, second.length);
    System.arraycopy(mean, 0, out, second.length, mean.length);
    return out;
  }
}
