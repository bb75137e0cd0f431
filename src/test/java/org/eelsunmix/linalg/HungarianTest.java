package org.eelsunmix.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hungarian assignment against brute force over every injective row-to-column map. */
class HungarianTest {

  /** Minimum total cost over all injective maps of min(rows, cols) rows/columns, by exhaustive search. */
  private static double bruteForceMinimum(double[][] cost) {
    int rows = cost.length;
    int cols = cost[0].length;
    return rows <= cols
        ? search(cost, 0, new boolean[cols], false)
        : search(cost, 0, new boolean[rows], true);
  }

  /** Recursively gives each "agent" (row, or column when transposed) a distinct unused "task". */
  private static double search(double[][] cost, int agent, boolean[] used, boolean transposed) {
    int agents = transposed ? cost[0].length : cost.length;
    if (agent == agents) {
      return 0;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int task = 0; task < used.length; task++) {
      if (!used[task]) {
        used[task] = true;
        double c = transposed ? cost[task][agent] : cost[agent][task];
        best = Math.min(best, c + search(cost, agent + 1, used, transposed));
        used[task] = false;
      }
    }
    return best;
  }

  private static void assertValidAssignment(double[][] cost, int[] assignment) {
    int rows = cost.length;
    int cols = cost[0].length;
    assertEquals(rows, assignment.length);
    boolean[] taken = new boolean[cols];
    int assigned = 0;
    for (int column : assignment) {
      if (column >= 0) {
        assertTrue(column < cols);
        assertTrue(!taken[column], "column used twice");
        taken[column] = true;
        assigned++;
      } else {
        assertEquals(-1, column);
      }
    }
    assertEquals(Math.min(rows, cols), assigned);
  }

  @Test
  void squareMatricesMatchBruteForce() {
    Random random = new Random(11);
    for (int n = 1; n <= 7; n++) {
      for (int trial = 0; trial < 30; trial++) {
        double[][] cost = new double[n][n];
        for (double[] row : cost) {
          for (int j = 0; j < n; j++) {
            row[j] = random.nextGaussian() * 10;
          }
        }
        int[] a = Hungarian.assign(cost);
        assertValidAssignment(cost, a);
        assertEquals(bruteForceMinimum(cost), Hungarian.totalCost(cost, a), 1e-9, "n=" + n);
      }
    }
  }

  @Test
  void tiedCostsMatchBruteForce() {
    Random random = new Random(12);
    for (int n = 1; n <= 7; n++) {
      for (int trial = 0; trial < 40; trial++) {
        double[][] cost = new double[n][n];
        for (double[] row : cost) {
          for (int j = 0; j < n; j++) {
            row[j] = random.nextInt(3); // many exact ties
          }
        }
        int[] a = Hungarian.assign(cost);
        assertValidAssignment(cost, a);
        assertEquals(bruteForceMinimum(cost), Hungarian.totalCost(cost, a), 0.0);
      }
    }
  }

  @Test
  void rectangularMatricesMatchBruteForce() {
    Random random = new Random(13);
    for (int rows = 1; rows <= 6; rows++) {
      for (int cols = 1; cols <= 6; cols++) {
        for (int trial = 0; trial < 10; trial++) {
          double[][] cost = new double[rows][cols];
          for (double[] row : cost) {
            for (int j = 0; j < cols; j++) {
              row[j] = trial % 2 == 0 ? random.nextDouble() : random.nextInt(2) - 1.0;
            }
          }
          int[] a = Hungarian.assign(cost);
          assertValidAssignment(cost, a);
          assertEquals(bruteForceMinimum(cost), Hungarian.totalCost(cost, a), 1e-12,
              rows + "x" + cols + " trial " + trial);
        }
      }
    }
  }

  @Test
  void recoversAHiddenPermutation() {
    int[] hidden = {3, 0, 4, 1, 2};
    double[][] cost = new double[5][5];
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        cost[i][j] = j == hidden[i] ? 0.1 : 1.0 + i + j;
      }
    }
    assertArrayEquals(hidden, Hungarian.assign(cost));
  }

  @Test
  void emptyAndBadMatrices() {
    assertEquals(0, Hungarian.assign(new double[0][]).length);
    assertArrayEquals(new int[] {-1, -1}, Hungarian.assign(new double[2][0]));
    assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[][] {{1, 2}, {3}}));
    assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[][] {{1, Double.NaN}}));
  }
}
