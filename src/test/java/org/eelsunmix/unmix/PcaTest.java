package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eelsunmix.core.BadInputException;
import org.junit.jupiter.api.Test;

/** PCA from moments against a closed form: spectra built from orthonormal axes with exactly known variances. */
class PcaTest {
  static final int B = 6;
  static final double[] SIGMA = {5, 2, 0.5};
  static final double[][] AXES = new double[3][B];
  static final double[] MEAN = new double[B];

  static {
    // Orthonormal axes (normalised Haar-like patterns) and a mean orthogonal to them.
    AXES[0] = new double[] {1, 1, 1, -1, -1, -1};
    AXES[1] = new double[] {1, -1, 0, 1, -1, 0};
    AXES[2] = new double[] {1, 1, -2, 1, 1, -2};
    for (double[] a : AXES) {
      double n = Math.sqrt(dot(a, a));
      for (int j = 0; j < B; j++) {
        a[j] /= n;
      }
    }
    double[] m = {1, 1, 1, 1, 1, 1}; // orthogonal to AXES[0..2]? [0]: 0, [1]: 0, [2]: 0
    for (int j = 0; j < B; j++) {
      MEAN[j] = 10 * m[j] / Math.sqrt(B);
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** The 8 sign patterns (±σ1, ±σ2, ±σ3): mean exactly MEAN, covariance exactly Σ σ_i² u_i u_iᵀ. */
  static float[] spectra() {
    float[] y = new float[8 * B];
    for (int p = 0; p < 8; p++) {
      for (int j = 0; j < B; j++) {
        double v = MEAN[j];
        for (int i = 0; i < 3; i++) {
          v += ((p >> i & 1) == 0 ? SIGMA[i] : -SIGMA[i]) * AXES[i][j];
        }
        y[p * B + j] = (float) v;
      }
    }
    return y;
  }

  static SpectralMoments moments(float[] y) {
    SpectralMoments m = new SpectralMoments(B);
    for (int p = 0; p < y.length / B; p++) {
      m.add(y, p * B);
    }
    return m;
  }

  @Test
  void centredPcaGivesTheKnownVariancesAxesAndScores() {
    float[] y = spectra();
    Pca pca = Pca.fromMoments(moments(y), 3, B, true);
    double total = 0;
    for (double s : SIGMA) {
      total += s * s;
    }
    for (int i = 0; i < 3; i++) {
      assertEquals(SIGMA[i] * SIGMA[i], pca.eigenvalues()[i], 1e-5);
      assertEquals(SIGMA[i] * SIGMA[i] / total, pca.explainedVarianceRatio()[i], 1e-6);
      assertEquals(1, Math.abs(dot(pca.components()[i], AXES[i])), 1e-6, "axis " + i);
    }
    for (int i = 3; i < B; i++) {
      assertEquals(0, pca.eigenvalues()[i], 1e-5);
    }
    assertEquals(1, pca.cumulativeRatio()[B - 1], 1e-9);
    assertEquals(total, pca.trace(), 1e-5);
    double[] scores = new double[3];
    for (int p = 0; p < 8; p++) {
      pca.project(y, p * B, scores);
      for (int i = 0; i < 3; i++) {
        double sign = Math.signum(dot(pca.components()[i], AXES[i]));
        double expected = ((p >> i & 1) == 0 ? SIGMA[i] : -SIGMA[i]) * sign;
        assertEquals(expected, scores[i], 1e-5, "pixel " + p + ", score " + i);
      }
    }
  }

  @Test
  void uncentredPcaAddsTheMeanAsADirection() {
    Pca pca = Pca.fromMoments(moments(spectra()), 1, 4, false);
    // Second moment = m mᵀ + Σ σ² u uᵀ with m ⟂ u: eigenvalues ‖m‖² = 100, then 25, 4, 0.25.
    assertEquals(100, pca.eigenvalues()[0], 1e-4);
    assertEquals(25, pca.eigenvalues()[1], 1e-4);
    assertEquals(4, pca.eigenvalues()[2], 1e-4);
    assertEquals(0.25, pca.eigenvalues()[3], 1e-4);
    assertEquals(1, Math.abs(dot(pca.components()[0], MEAN)) / 10, 1e-6);
    assertEquals(100 / (100 + 25 + 4 + 0.25), pca.explainedVarianceRatio()[0], 1e-6);
  }

  @Test
  void impossibleComponentCountsAreRefused() {
    SpectralMoments m = moments(spectra());
    assertThrows(BadInputException.class, () -> Pca.fromMoments(m, B + 1, B, true));
    assertThrows(BadInputException.class, () -> Pca.fromMoments(m, 3, 2, true));
    assertThrows(BadInputException.class, () -> Pca.fromMoments(m, 1, B + 1, true));
  }
}
