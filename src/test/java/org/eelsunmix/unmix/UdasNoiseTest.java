package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * uDAS's noise model and the exact per-pixel and per-channel steps of its decoder rounds, against independent
 * references: residuals computed pixel by pixel, a Monte Carlo of the abundance noise, closed-form least squares.
 */
class UdasNoiseTest {
  private static final int B = 12;
  private static final int R = 3;

  /** Endmembers (B × R, row-major) that are positive and clearly distinct: each has its own peak channels. */
  private static double[] endmembers(Random rnd) {
    double[] w = new double[B * R];
    for (int c = 0; c < B; c++) {
      for (int s = 0; s < R; s++) {
        w[c * R + s] = 0.1 + (c % R == s ? 1 : 0) + 0.2 * rnd.nextDouble();
      }
    }
    return w;
  }

  @Test
  void theNoiseVarianceIsTheStartsResidualPerChannelAndTheFloorsAreTheAbundanceNoise() {
    Random rnd = new Random(11);
    double[] w = endmembers(rnd);
    double[] sigma = new double[B];
    for (int c = 0; c < B; c++) {
      sigma[c] = 0.002 + 0.005 * c; // strongly unequal channel noise
    }
    int n = 20000;
    double delta = 20;
    double[] scatter = new double[(B + 1) * (B + 1)];
    double[] hx = new double[R * (B + 1)];
    double[] hh = new double[R * R];
    double[] residual = new double[B];
    float[] y = new float[B];
    double[][] x = new double[n][B];
    double[][] truth = new double[n][R];
    for (int i = 0; i < n; i++) {
      double[] a = simplexPoint(rnd);
      truth[i] = a;
      double[] xb = new double[B + 1];
      for (int c = 0; c < B; c++) {
        double clean = 0;
        for (int s = 0; s < R; s++) {
          clean += w[c * R + s] * a[s];
        }
        x[i][c] = clean + sigma[c] * rnd.nextGaussian();
        xb[c] = x[i][c];
        residual[c] += (x[i][c] - clean) * (x[i][c] - clean); // the "start" is the truth here
      }
      xb[B] = 1;
      for (int p = 0; p <= B; p++) {
        for (int q = 0; q <= B; q++) {
          scatter[p * (B + 1) + q] += xb[p] * xb[q];
        }
        for (int s = 0; s < R; s++) {
          hx[s * (B + 1) + p] += a[s] * xb[p];
        }
      }
      for (int s = 0; s < R; s++) {
        for (int t = 0; t < R; t++) {
          hh[s * R + t] += a[s] * a[t];
        }
      }
    }
    UdasNoise noise = UdasNoise.estimate(scatter, w, hx, hh, delta, B, R, n);
    double[] omega = noise.weights();
    // ω ∝ 1/s with s the residual variance computed pixel by pixel above
    for (int c = 1; c < B; c++) {
      double expected = residual[0] / residual[c];
      assertEquals(expected, omega[c] / omega[0], 1e-6 * expected, "channel " + c);
    }
    // The floors are −2σ of the weighted sum-to-one estimate: its spread over the pixels, measured.
    SumToOneNnls free = new SumToOneNnls(w, omega, 0, null, delta, new double[] {-1e9, -1e9, -1e9}, B, R, 1);
    double[] mean = new double[R];
    double[] square = new double[R];
    double[] h = new double[R];
    double[] work = new double[free.workLength()];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < B; c++) {
        y[c] = (float) x[i][c];
      }
      java.util.Arrays.fill(h, 1.0 / R);
      free.solve(y, 0, h, 0, work);
      for (int s = 0; s < R; s++) {
        double e = h[s] - truth[i][s];
        mean[s] += e / n;
        square[s] += e * e / n;
      }
    }
    double[] floors = noise.floors();
    for (int s = 0; s < R; s++) {
      double measured = Math.sqrt(square[s] - mean[s] * mean[s]);
      double predicted = -floors[s] / UdasNoise.FLOOR_SIGMAS;
      assertEquals(measured, predicted, 0.02 * measured, "abundance " + s + " noise std");
      assertTrue(Math.abs(mean[s]) < 0.1 * measured, "the unconstrained estimate is unbiased: " + mean[s]);
    }
  }

  @Test
  void theAbundanceStepWithoutBoundsIsTheWeightedLeastSquaresSolution() {
    Random rnd = new Random(3);
    double[] w = endmembers(rnd);
    double[] omega = new double[B];
    double[] wn = new double[B * (B + 1)];
    for (int c = 0; c < B; c++) {
      omega[c] = 0.5 + rnd.nextDouble();
      for (int j = 0; j <= B; j++) {
        wn[c * (B + 1) + j] = 0.1 * rnd.nextGaussian();
      }
    }
    double gamma = 0.3;
    double delta = 2;
    double scale = 0.5;
    float[] y = new float[B];
    for (int c = 0; c < B; c++) {
      y[c] = (float) rnd.nextDouble();
    }
    SumToOneNnls step = new SumToOneNnls(w, omega, gamma, wn, delta, new double[] {-1e9, -1e9, -1e9}, B, R, scale);
    double[] h = new double[R];
    step.solve(y, 0, h, 0, new double[step.workLength()]);
    // Closed form: the normal equations of the stacked system, built here term by term.
    double[] k = new double[R * R];
    double[] rhs = new double[R];
    double[] t = new double[B];
    for (int c = 0; c < B; c++) {
      t[c] = wn[c * (B + 1) + B];
      for (int j = 0; j < B; j++) {
        t[c] += wn[c * (B + 1) + j] * y[j] * scale;
      }
    }
    for (int s = 0; s < R; s++) {
      rhs[s] = delta * delta;
      for (int c = 0; c < B; c++) {
        rhs[s] += omega[c] * w[c * R + s] * (y[c] * scale + gamma * t[c]);
      }
      for (int u = 0; u < R; u++) {
        double v = delta * delta;
        for (int c = 0; c < B; c++) {
          v += (1 + gamma) * omega[c] * w[c * R + s] * w[c * R + u];
        }
        k[s * R + u] = v;
      }
    }
    double[] exact = solve3(k, rhs);
    for (int s = 0; s < R; s++) {
      assertEquals(exact[s], h[s], 1e-9, "abundance " + s);
    }
  }

  @Test
  void theExactDecoderRowsEqualLeastSquaresAndRespectTheBox() {
    Random rnd = new Random(8);
    double[] hh = {3, 1, 0.5, 1, 2, 0.2, 0.5, 0.2, 1.5};
    double[] truth = endmembers(rnd);
    double[] p = new double[B * R];
    for (int c = 0; c < B; c++) {
      for (int s = 0; s < R; s++) {
        for (int u = 0; u < R; u++) {
          p[c * R + s] += truth[c * R + u] * hh[u * R + s]; // P = W Q: W is the unconstrained minimiser
        }
      }
    }
    double[] w = new double[B * R];
    BoxQuadratic.solveRows(w, hh, p, B, R, Double.POSITIVE_INFINITY, 10000);
    for (int i = 0; i < w.length; i++) {
      assertEquals(truth[i], w[i], 1e-9, "entry " + i);
    }
    double[] boxed = new double[B * R];
    BoxQuadratic.solveRows(boxed, hh, p, B, R, 0.5, 10000);
    for (double v : boxed) {
      assertTrue(v >= 0 && v <= 0.5, "outside the box: " + v);
    }
    assertTrue(BoxQuadratic.objective(boxed, hh, p, B, R)
        >= BoxQuadratic.objective(w, hh, p, B, R), "the box cannot beat the unconstrained minimum");
  }

  private static double[] simplexPoint(Random rnd) {
    double[] a = new double[R];
    double sum = 0;
    for (int s = 0; s < R; s++) {
      a[s] = -Math.log(1 - rnd.nextDouble());
      sum += a[s];
    }
    for (int s = 0; s < R; s++) {
      a[s] /= sum;
    }
    return a;
  }

  /** A 3 × 3 system by Cramer's rule. */
  private static double[] solve3(double[] m, double[] v) {
    double det = det3(m);
    double[] out = new double[3];
    for (int col = 0; col < 3; col++) {
      double[] c = m.clone();
      for (int row = 0; row < 3; row++) {
        c[row * 3 + col] = v[row];
      }
      out[col] = det3(c) / det;
    }
    return out;
  }

  private static double det3(double[] m) {
    return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
        + m[2] * (m[3] * m[7] - m[4] * m[6]);
  }
}
