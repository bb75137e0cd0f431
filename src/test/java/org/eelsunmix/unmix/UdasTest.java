package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eelsunmix.core.BadInputException;
import org.eelsunmix.core.PixelKey;
import org.eelsunmix.core.SpectrumImage;
import org.eelsunmix.synth.SyntheticGenerator;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The uDAS kernel: mSDA's one-scatter recursion, the objective's decrease and gradients, bad options. */
class UdasTest {
  private static final SpectrumImage SMALL = SyntheticGenerator.generate(SyntheticGenerator.Options
      .builtin("co-ru-pt").withSize(24).withBlock(6), 0).image();

  @Test
  void msdaFromOneScatterEqualsLayersComputedFromTheirOutputs() {
    int b = 5;
    int n = 40;
    Random rnd = new Random(3);
    double[][] x = new double[n][b];
    double[] scatter = new double[(b + 1) * (b + 1)];
    for (double[] row : x) {
      for (int c = 0; c < b; c++) {
        row[c] = rnd.nextDouble();
      }
      addScatter(scatter, row, b);
    }
    double p = 0.1;
    double ridge = 0.5;
    Msda msda = Msda.fit(scatter, b, 3, p, ridge);
    // Reference: each layer fitted from the scatter of the previous layer's outputs, as Chen et al.'s mDA.
    double[][] h = x;
    for (int layer = 0; layer < 3; layer++) {
      double[] s = new double[(b + 1) * (b + 1)];
      for (double[] row : h) {
        addScatter(s, row, b);
      }
      DMatrixRMaj w = mdaMap(s, b, p, ridge);
      double[][] next = new double[n][b];
      for (int i = 0; i < n; i++) {
        for (int r = 0; r < b; r++) {
          double v = w.get(r, b);
          for (int c = 0; c < b; c++) {
            v += w.get(r, c) * h[i][c];
          }
          next[i][r] = (1 - p) * v;
        }
      }
      h = next;
    }
    double[] g = msda.composite();
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < b; r++) {
        double v = g[r * (b + 1) + b];
        for (int c = 0; c < b; c++) {
          v += g[r * (b + 1) + c] * x[i][c];
        }
        assertEquals(h[i][r], v, 1e-10, "pixel " + i + ", channel " + r);
      }
    }
  }

  @Test
  void theObjectiveDecreasesAtEveryOuterIteration() {
    Udas.Result u = Udas.fit(SMALL, new Udas.Options(3, 1).withOuterIterations(6));
    double[] j = u.objectiveHistory();
    assertEquals(6, j.length);
    // nothing dropped (see UdasQualityTest for the round after a drop): every round is an exact block descent
    assertEquals("[-1, -1, -1]", java.util.Arrays.toString(u.droppedAt()));
    for (int k = 1; k < j.length; k++) {
      assertTrue(j[k] <= j[k - 1], "iteration " + k + ": " + j[k] + " > " + j[k - 1]);
    }
    assertTrue(u.rmse() > 0 && u.rmse() < 100, "fit RMSE " + u.rmse());
  }

  /**
   * The encoder step must move W1 on real EELS spectra: on a co-ru-pt cube (R = 4, one more than its truth) every outer iteration's encoder step
   * accepts at least one proximal step and lowers J. (The earlier scaled step overshot on these spectra, no trial
   * was accepted, and W1 stayed at its start H pinv(X).)
   */
  @Test
  void theEncoderStepIsAcceptedAndLowersTheObjectiveOnARealCube() {
    SpectrumImage image = SyntheticGenerator.generate(SyntheticGenerator.Options.builtin("co-ru-pt").withSize(32),
        0).image();
    PixelKey[] keys = new PixelKey[image.pixels()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new PixelKey(image.id(), i / image.width(), i % image.width());
    }
    Udas.Options o = new Udas.Options(4, 1).withOuterIterations(3);
    UdasPixelPasses passes = new Udas.InMemoryPasses(new UdasBlock(image.data(), keys, image.channels()),
        image.channels(), o.endmembers());
    StringBuilder seen = new StringBuilder();
    int[] rounds = {0};
    UdasFit.run(passes, o, (outer, before, after, accepted) -> {
      seen.append(String.format(java.util.Locale.ROOT, "round %d: J %.9g -> %.9g, %d accepted; ", outer, before,
          after, accepted));
      rounds[0]++;
      assertTrue(accepted >= 1, "no encoder step accepted: " + seen);
      assertTrue(after < before, "the encoder step did not lower J: " + seen);
    });
    System.out.println("uDAS encoder steps (co-ru-pt 32x32, R = 4): " + seen);
    assertEquals(3, rounds[0]);
  }

  @Test
  void theDecoderGradientMatchesFiniteDifferences() {
    int b = 4;
    int r = 2;
    int n = 7;
    double gamma = 0.3;
    Random rnd = new Random(5);
    double[][] x = random(rnd, n, b);
    double[][] h = random(rnd, n, r);
    double[] wn = flat(random(rnd, b, b + 1));
    double[] hx = new double[r * (b + 1)];
    double[] hh = new double[r * r];
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < r; s++) {
        for (int c = 0; c < b; c++) {
          hx[s * (b + 1) + c] += h[i][s] * x[i][c];
        }
        hx[s * (b + 1) + b] += h[i][s];
        for (int t = 0; t < r; t++) {
          hh[s * r + t] += (1 + gamma) * h[i][s] * h[i][t];
        }
      }
    }
    double[] p = UdasFit.targetCross(identity(b), wn, gamma, hx, b, r);
    double[] w = flat(random(rnd, b, r));
    double[] grad = new double[b * r];
    BoxQuadratic.gradient(w, hh, p, b, r, grad);
    for (int i = 0; i < w.length; i++) {
      double e = 1e-6;
      double[] up = w.clone();
      double[] down = w.clone();
      up[i] += e;
      down[i] -= e;
      double fd = (decoderObjective(up, x, h, wn, gamma) - decoderObjective(down, x, h, wn, gamma)) / (2 * e);
      assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), "entry " + i);
    }
  }

  @Test
  void theEncoderGradientWithItsL21TermMatchesFiniteDifferences() {
    int b = 4;
    int r = 3;
    int n = 9;
    double gamma = 0.2;
    double delta = 2;
    double lambda = 0.05;
    Random rnd = new Random(11);
    float[] data = new float[n * b];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextDouble();
    }
    PixelKey[] keys = new PixelKey[n];
    for (int i = 0; i < n; i++) {
      keys[i] = new PixelKey("t", 0, i);
    }
    UdasBlock block = new UdasBlock(data, keys, b);
    double[] w = flat(random(rnd, b, r));
    double[] wn = flat(random(rnd, b, b + 1));
    double[] w1 = flat(random(rnd, r, b));
    double[] wt = UdasFit.transpose(w, b, r);
    double[] a = UdasFit.encoderLinear(wt, identity(b), wn, gamma, b, r);
    double[] c = UdasFit.gram(wt, r, b);
    for (int i = 0; i < c.length; i++) {
      c[i] *= 1 + gamma;
    }
    UdasStatistics st = block.encode(new UdasEncoderPass(w1, a, c, r, b, delta, true), 1, new UdasStatistics(r, b,
        true, UdasFit.encoderBounds(w1, a, c, r, b, delta), n));
    double[] norms = UdasFit.rowNorms(w1, r, b);
    for (int i = 0; i < w1.length; i++) {
      double analytic = st.gradient()[i] / n + lambda * w1[i] / norms[i / b];
      double e = 1e-6;
      double[] up = w1.clone();
      double[] down = w1.clone();
      up[i] += e;
      down[i] -= e;
      double fd = (encoderObjective(up, data, n, b, r, w, wn, gamma, delta, lambda)
          - encoderObjective(down, data, n, b, r, w, wn, gamma, delta, lambda)) / (2 * e);
      assertEquals(fd, analytic, 1e-6 * Math.max(1, Math.abs(fd)), "entry " + i);
    }
  }

  @Test
  void badOptionsNameTheParam() {
    assertEquals("udasLayers", assertThrows(BadInputException.class,
        () -> new Udas.Options(3, 1, 0, 1e-5, 1, 1e-4, 20, 10, 5, Double.NaN)).source());
    assertEquals("gamma", assertThrows(BadInputException.class,
        () -> new Udas.Options(3, 1, 12, 1e-5, 1, -1, 20, 10, 5, Double.NaN)).source());
    assertEquals("corruption", assertThrows(BadInputException.class,
        () -> new Udas.Options(3, 1, 12, 1, 1, 1e-4, 20, 10, 5, Double.NaN)).source());
    assertEquals("l21Weight", assertThrows(BadInputException.class,
        () -> new Udas.Options(3, 1).withL21Weight(0)).source());
    assertEquals("numEndmembers", assertThrows(BadInputException.class,
        () -> Udas.fit(SMALL, new Udas.Options(SMALL.channels(), 1))).source());
  }

  /** ½‖X − WH‖² + (γ/2)‖WH − W_n X̄‖², straight from the pixels. */
  private static double decoderObjective(double[] w, double[][] x, double[][] h, double[] wn, double gamma) {
    int b = x[0].length;
    int r = h[0].length;
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      for (int c = 0; c < b; c++) {
        double fit = 0;
        for (int s = 0; s < r; s++) {
          fit += w[c * r + s] * h[i][s];
        }
        double t = wn[c * (b + 1) + b];
        for (int k = 0; k < b; k++) {
          t += wn[c * (b + 1) + k] * x[i][k];
        }
        f += 0.5 * (x[i][c] - fit) * (x[i][c] - fit) + 0.5 * gamma * (fit - t) * (fit - t);
      }
    }
    return f;
  }

  /**
   * (1/N) Σ [½‖x − Wh‖² + (γ/2)‖Wh − W_n x̄‖² + (δ²/2)(1 − Σh)²] + λ Σ‖w_r‖ with h = relu(W1 x), minus the
   * constants the kernel leaves out (½‖x‖², (γ/2)‖W_n x̄‖²).
   */
  private static double encoderObjective(double[] w1, float[] data, int n, int b, int r, double[] w, double[] wn,
      double gamma, double delta, double lambda) {
    double f = 0;
    for (int i = 0; i < n; i++) {
      double[] h = new double[r];
      double sum = 0;
      for (int s = 0; s < r; s++) {
        double z = 0;
        for (int c = 0; c < b; c++) {
          z += w1[s * b + c] * data[i * b + c];
        }
        h[s] = Math.max(0, z);
        sum += h[s];
      }
      for (int c = 0; c < b; c++) {
        double fit = 0;
        for (int s = 0; s < r; s++) {
          fit += w[c * r + s] * h[s];
        }
        double t = wn[c * (b + 1) + b];
        for (int k = 0; k < b; k++) {
          t += wn[c * (b + 1) + k] * data[i * b + k];
        }
        double xc = data[i * b + c];
        f += 0.5 * (xc - fit) * (xc - fit) - 0.5 * xc * xc + 0.5 * gamma * ((fit - t) * (fit - t) - t * t);
      }
      f += 0.5 * delta * delta * (1 - sum) * (1 - sum);
    }
    return f / n + lambda * UdasFit.l21(w1, r, b);
  }

  private static DMatrixRMaj mdaMap(double[] scatter, int b, double p, double ridge) {
    int n1 = b + 1;
    DMatrixRMaj s = DMatrixRMaj.wrap(n1, n1, scatter);
    DMatrixRMaj q = new DMatrixRMaj(n1, n1);
    DMatrixRMaj pm = new DMatrixRMaj(b, n1);
    for (int i = 0; i < n1; i++) {
      double qi = i < b ? 1 - p : 1;
      for (int j = 0; j < n1; j++) {
        double qj = j < b ? 1 - p : 1;
        q.set(i, j, i == j ? qi * s.get(i, i) + (i < b ? ridge : 0) : qi * qj * s.get(i, j));
        if (i < b) {
          pm.set(i, j, s.get(i, j) * qj);
        }
      }
    }
    CommonOps_DDRM.invert(q);
    DMatrixRMaj w = new DMatrixRMaj(b, n1);
    CommonOps_DDRM.mult(pm, q, w);
    return w;
  }

  private static void addScatter(double[] s, double[] x, int b) {
    for (int i = 0; i <= b; i++) {
      for (int j = 0; j <= b; j++) {
        s[i * (b + 1) + j] += (i < b ? x[i] : 1) * (j < b ? x[j] : 1);
      }
    }
  }

  private static double[] identity(int b) {
    double[] g = new double[b * (b + 1)];
    for (int i = 0; i < b; i++) {
      g[i * (b + 1) + i] = 1;
    }
    return g;
  }

  private static double[][] random(Random rnd, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = rnd.nextDouble() - 0.2;
      }
    }
    return m;
  }

  private static double[] flat(double[][] m) {
    return UdasFit.flat(m);
  }
}
