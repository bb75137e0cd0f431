package org.eelsunmix.unmix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BLU's abundance step against the posterior it must sample: for one pixel x, three vertices and σ², the density
 * {@code ∝ exp(−‖x − Σ a_r v_r‖²/(2σ²))} on the simplex (uniform prior), integrated by brute force on a fine grid
 * of the simplex. The chain of Gibbs passes, with each choice of the eliminated component, must reproduce its
 * means and variances; x lies outside the simplex and σ is a third of an edge, so the truncation shapes the answer.
 */
class SimplexGibbsTest {
  private static final double[][] VERTICES = {{0.2, 0.1, 1.0}, {1.3, 0.2, 0.7}, {0.4, 1.1, 0.9}};
  private static final double[] PIXEL = {1.2, -0.3, 0.5}; // beyond the edge v0–v1, and off the vertices' plane
  private static final double NOISE_VARIANCE = 0.12;
  private static final int DRAWS = 60_000;

  @ParameterizedTest(name = "component {0} eliminated")
  @ValueSource(ints = {0, 1, 2})
  void theChainMatchesTheTruncatedPosteriorOnTheSimplex(int eliminated) {
    double[][] ref = bruteForceMoments(1200); // [mean, variance][component]
    SimplexGibbs gibbs = new SimplexGibbs(VERTICES, NOISE_VARIANCE, eliminated);
    KeyedRandom rng = new KeyedRandom(KeyedRandom.key(11, eliminated));
    double[] a = {1.0 / 3, 1.0 / 3, 1.0 / 3};
    double[] work = new double[gibbs.workLength()];
    double[] sum = new double[3];
    double[] squares = new double[3];
    for (int i = -200; i < DRAWS; i++) {
      gibbs.sample(PIXEL, 0, a, 0, 1, rng, work);
      assertEquals(1, a[0] + a[1] + a[2], 1e-12, "on the simplex");
      assertTrue(a[0] >= 0 && a[1] >= 0 && a[2] >= 0, "non-negative");
      if (i >= 0) {
        for (int r = 0; r < 3; r++) {
          sum[r] += a[r];
          squares[r] += a[r] * a[r];
        }
      }
    }
    for (int r = 0; r < 3; r++) {
      double mean = sum[r] / DRAWS;
      double variance = squares[r] / DRAWS - mean * mean;
      // successive Gibbs draws are correlated: allow about 20 effective-sample standard errors of 60 000 draws
      assertEquals(ref[0][r], mean, 0.01, "mean of a_" + r);
      assertEquals(ref[1][r], variance, 0.08 * ref[1][r], "variance of a_" + r);
    }
    // x is beyond the edge v0–v1: a_2 would be negative without the simplex, here its mean is pushed inside
    assertTrue(ref[0][1] > 0.5 && ref[0][2] > 0.05 && ref[1][2] > 1e-3, "the reference problem is not degenerate: "
        + java.util.Arrays.deepToString(ref));
  }

  /** Means and variances of the three abundances under the posterior, by the midpoint rule on an n × n grid. */
  private static double[][] bruteForceMoments(int n) {
    double total = 0;
    double[] first = new double[3];
    double[] second = new double[3];
    double h = 1.0 / n;
    for (int i = 0; i < n; i++) {
      for (int j = 0; i + j < n; j++) {
        // the cell's centre, and for cells cut by the diagonal the centre of its lower triangle
        boolean diagonal = i + j == n - 1;
        double a1 = diagonal ? (i + 1.0 / 3) * h : (i + 0.5) * h;
        double a2 = diagonal ? (j + 1.0 / 3) * h : (j + 0.5) * h;
        double[] a = {1 - a1 - a2, a1, a2};
        double d2 = 0;
        for (int c = 0; c < 3; c++) {
          double m = 0;
          for (int r = 0; r < 3; r++) {
            m += a[r] * VERTICES[r][c];
          }
          d2 += (PIXEL[c] - m) * (PIXEL[c] - m);
        }
        double w = Math.exp(-d2 / (2 * NOISE_VARIANCE)) * (diagonal ? 0.5 : 1);
        total += w;
        for (int r = 0; r < 3; r++) {
          first[r] += w * a[r];
          second[r] += w * a[r] * a[r];
        }
      }
    }
    double[][] out = new double[2][3];
    for (int r = 0; r < 3; r++) {
      out[0][r] = first[r] / total;
      out[1][r] = second[r] / total - out[0][r] * out[0][r];
    }
    return out;
  }
}
