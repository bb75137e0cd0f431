package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/** The pieces of uDAS's superfluous-endmember test ({@link UdasFit}) against independent references. */
class UdasDropTest {

  /**
   * {@link UdasFit#dropCosts} against brute force: for each pixel the minimum of {@code ½ hᵀKh − hᵀl} with every
   * component and without component r (each a linear solve of its own), summed; twice the rise must equal
   * {@code (HHᵀ)_rr / (K⁻¹)_rr} with H the full minimisers. Also with one component already inactive.
   */
  @Test
  void dropCostsEqualTheRiseOfTheObjectiveByBruteForce() {
    int b = 7;
    int r = 4;
    int n = 25;
    double gamma = 0.3;
    double delta = 1.5;
    Random rnd = new Random(11);
    double[] w = new double[b * r];
    for (int i = 0; i < w.length; i++) {
      w[i] = rnd.nextDouble();
    }
    double[] weights = new double[b];
    for (int c = 0; c < b; c++) {
      weights[c] = 0.5 + rnd.nextDouble();
    }
    double[][] lin = new double[n][r];
    for (double[] l : lin) {
      for (int s = 0; s < r; s++) {
        l[s] = rnd.nextGaussian();
      }
    }
    for (boolean[] active : new boolean[][] {{true, true, true, true}, {true, false, true, true}}) {
      int[] all = indices(active, -1);
      double[] hh = new double[r * r];
      for (double[] l : lin) {
        double[] h = solve(w, weights, gamma, delta, all, l, b, r);
        for (int s = 0; s < all.length; s++) {
          for (int t = 0; t < all.length; t++) {
            hh[all[s] * r + all[t]] += h[s] * h[t];
          }
        }
      }
      double[] costs = UdasFit.dropCosts(w, weights, gamma, delta, hh, active, b, r);
      for (int drop = 0; drop < r; drop++) {
        if (!active[drop]) {
          assertEquals(0, costs[drop], "inactive component " + drop);
          continue;
        }
        int[] kept = indices(active, drop);
        double rise = 0;
        for (double[] l : lin) {
          rise += minimum(w, weights, gamma, delta, kept, l, b, r) - minimum(w, weights, gamma, delta, all, l, b, r);
        }
        assertEquals(2 * rise, costs[drop], 1e-9 * Math.abs(2 * rise), "component " + drop);
      }
    }
  }

  /**
   * An inactive component of {@link SumToOneNnls} is held at zero and the others solve the problem of the decoder
   * without its column: the same abundances as a step built on the reduced decoder (floors binding on some pixels).
   */
  @Test
  void anInactiveComponentIsHeldAtZeroAndTheOthersSolveTheReducedProblem() {
    int b = 9;
    int r = 3;
    Random rnd = new Random(3);
    double[] w = new double[b * r];
    double[] reduced = new double[b * 2];
    for (int c = 0; c < b; c++) {
      for (int s = 0; s < r; s++) {
        w[c * r + s] = rnd.nextDouble();
      }
      reduced[c * 2] = w[c * r];
      reduced[c * 2 + 1] = w[c * r + 2];
    }
    double[] weights = new double[b];
    for (int c = 0; c < b; c++) {
      weights[c] = 0.5 + rnd.nextDouble();
    }
    double[] floors = {-0.05, -0.1, -0.02};
    SumToOneNnls masked = new SumToOneNnls(w, weights, 0, null, 4, floors, new boolean[] {true, false, true}, b, r,
        0.01);
    SumToOneNnls plain = new SumToOneNnls(reduced, weights, 0, null, 4, new double[] {-0.05, -0.02}, b, 2, 0.01);
    float[] y = new float[b];
    for (int p = 0; p < 50; p++) {
      for (int c = 0; c < b; c++) {
        y[c] = (float) (100 * rnd.nextDouble() * (p % 3 == 0 ? 0.2 : 1));
      }
      double[] h = {0.3, 0.4, 0.3};
      double[] expected = {0.3, 0.3};
      masked.solve(y, 0, h, 0, new double[masked.workLength()]);
      plain.solve(y, 0, expected, 0, new double[plain.workLength()]);
      assertEquals(0, h[1], "pixel " + p);
      assertEquals(expected[0], h[0], 1e-12, "pixel " + p);
      assertEquals(expected[1], h[2], 1e-12, "pixel " + p);
    }
  }

  private static int[] indices(boolean[] active, int without) {
    return java.util.stream.IntStream.range(0, active.length).filter(s -> active[s] && s != without).toArray();
  }

  /** K over {@code kept}: (1 + γ)WᵀΩW + δ²11ᵀ. */
  private static DMatrixRMaj curvature(double[] w, double[] weights, double gamma, double delta, int[] kept, int b,
      int r) {
    DMatrixRMaj k = new DMatrixRMaj(kept.length, kept.length);
    for (int i = 0; i < kept.length; i++) {
      for (int j = 0; j < kept.length; j++) {
        double v = 0;
        for (int c = 0; c < b; c++) {
          v += w[c * r + kept[i]] * weights[c] * w[c * r + kept[j]];
        }
        k.set(i, j, (1 + gamma) * v + delta * delta);
      }
    }
    return k;
  }

  private static double[] solve(double[] w, double[] weights, double gamma, double delta, int[] kept, double[] l,
      int b, int r) {
    DMatrixRMaj k = curvature(w, weights, gamma, delta, kept, b, r);
    DMatrixRMaj rhs = new DMatrixRMaj(kept.length, 1);
    for (int i = 0; i < kept.length; i++) {
      rhs.set(i, 0, l[kept[i]]);
    }
    DMatrixRMaj h = new DMatrixRMaj(kept.length, 1);
    CommonOps_DDRM.solve(k, rhs, h);
    return h.data;
  }

  /** The minimum of {@code ½ hᵀKh − hᵀl} over the components {@code kept} (the others at 0). */
  private static double minimum(double[] w, double[] weights, double gamma, double delta, int[] kept, double[] l,
      int b, int r) {
    double[] h = solve(w, weights, gamma, delta, kept, l, b, r);
    double v = 0;
    for (int i = 0; i < kept.length; i++) {
      v -= 0.5 * h[i] * l[kept[i]];
    }
    return v;
  }
}
