package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Pivoted Cholesky against brute-force reconstruction: the factor L (n × rank, Schur columns below the leading
 * block) multiplied out must give back the permuted matrix, {@code L Lᵀ = P A Pᵀ}; solutions are checked by
 * multiplying A back.
 */
class PivotedCholeskyTest {

  /** A = B Bᵀ for a random n × k matrix B: symmetric positive semi-definite of rank min(n, k). */
  private static double[] gramOfRandom(int n, int k, long seed) {
    Random random = new Random(seed);
    double[][] b = new double[n][k];
    for (double[] row : b) {
      for (int j = 0; j < k; j++) {
        row[j] = random.nextGaussian();
      }
    }
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int c = 0; c < k; c++) {
          s += b[i][c] * b[j][c];
        }
        a[i * n + j] = s;
      }
    }
    return a;
  }

  /** max |(L Lᵀ)_ij − A_{order[i], order[j]}| over the whole n × n matrix, L the first {@code rank} columns. */
  private static double reconstructionError(double[] a, double[] l, int n, int rank, int[] order) {
    double worst = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < rank && k <= i && k <= j; k++) {
          s += l[i * n + k] * l[j * n + k];
        }
        worst = Math.max(worst, Math.abs(s - a[order[i] * n + order[j]]));
      }
    }
    return worst;
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static boolean isPermutation(int[] order, int n) {
    boolean[] seen = new boolean[n];
    for (int i = 0; i < n; i++) {
      if (order[i] < 0 || order[i] >= n || seen[order[i]]) {
        return false;
      }
      seen[order[i]] = true;
    }
    return true;
  }

  @Test
  void fullRankFactorMultipliesBackToThePermutedMatrix() {
    for (int n = 1; n <= 9; n++) {
      double[] a = gramOfRandom(n, n + 3, 100 + n);
      double[] l = a.clone();
      int[] order = new int[n];
      int rank = PivotedCholesky.factor(l, n, 0.0, order);
      assertEquals(n, rank, "rank of a full-rank " + n + "x" + n + " matrix");
      assertTrue(isPermutation(order, n));
      double error = reconstructionError(a, l, n, rank, order);
      assertTrue(error <= 1e-12 * maxAbs(a), "n=" + n + " error " + error);
      // Diagonal pivoting takes the largest remaining diagonal first: the pivots never grow.
      for (int j = 1; j < n; j++) {
        assertTrue(l[j * n + j] <= l[(j - 1) * n + j - 1] * (1 + 1e-12), "pivot " + j + " grew");
      }
    }
  }

  @Test
  void detectsTheRankOfASemiDefiniteMatrix() {
    int n = 8;
    for (int k = 1; k < n; k++) {
      double[] a = gramOfRandom(n, k, 7 * k);
      double trace = 0;
      for (int i = 0; i < n; i++) {
        trace += a[i * n + i];
      }
      double[] l = a.clone();
      int[] order = new int[n];
      int rank = PivotedCholesky.factor(l, n, 1e-12 * trace / n, order);
      assertEquals(k, rank, "rank of B Bᵀ with B " + n + "x" + k);
      // The discarded Schur complement is rounding noise, so the rank columns rebuild all of P A Pᵀ.
      double error = reconstructionError(a, l, n, rank, order);
      assertTrue(error <= 1e-10 * maxAbs(a), "k=" + k + " error " + error);
    }
  }

  @Test
  void duplicatedRowsAndColumnsCountOnce() {
    // [[4, 4, 2], [4, 4, 2], [2, 2, 5]]: index 1 repeats index 0.
    double[] a = {4, 4, 2, 4, 4, 2, 2, 2, 5};
    double[] l = a.clone();
    int[] order = new int[3];
    assertEquals(2, PivotedCholesky.factor(l, 3, 1e-12, order));
    assertEquals(2, order[0], "largest diagonal first");
    assertTrue(reconstructionError(a, l, 3, 2, order) <= 1e-14);
  }

  @Test
  void zeroAndNaNMatricesHaveRankZero() {
    int[] order = new int[2];
    assertEquals(0, PivotedCholesky.factor(new double[4], 2, 0.0, order));
    assertEquals(0, PivotedCholesky.factor(new double[] {Double.NaN, 0, 0, Double.NaN}, 2, 0.0, order));
    double[] rhs = {0, 0};
    PivotedCholesky.solve(new double[4], 2, 0, order, rhs, new double[2]);
    assertEquals(0.0, rhs[0]);
    assertEquals(0.0, rhs[1]);
  }

  @Test
  void solvesFullAndRankDeficientSystemsInTheRange() {
    Random random = new Random(3);
    int n = 7;
    for (int k : new int[] {n, 4, 1}) {
      double[] a = gramOfRandom(n, k, 40 + k);
      // rhs = A x0 lies in the range of A, so a solution exists even when A is singular.
      double[] x0 = new double[n];
      for (int i = 0; i < n; i++) {
        x0[i] = random.nextGaussian();
      }
      double[] rhs = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          rhs[i] += a[i * n + j] * x0[j];
        }
      }
      double[] l = a.clone();
      int[] order = new int[n];
      int rank = PivotedCholesky.factor(l, n, 1e-12 * maxAbs(a), order);
      assertEquals(k, rank);
      double[] t = rhs.clone();
      PivotedCholesky.solve(l, n, rank, order, t, new double[n]);
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += a[i * n + j] * t[j];
        }
        assertEquals(rhs[i], s, 1e-9 * (1 + maxAbs(rhs)), "k=" + k + " row " + i);
      }
      // A basic solution: the pivoted-out directions are exactly zero.
      for (int i = rank; i < n; i++) {
        assertEquals(0.0, t[order[i]], "k=" + k + " flat direction " + order[i]);
      }
      if (k == n) {
        for (int i = 0; i < n; i++) {
          assertEquals(x0[i], t[i], 1e-8 * (1 + maxAbs(x0)), "unique solution, entry " + i);
        }
      }
    }
  }
}
